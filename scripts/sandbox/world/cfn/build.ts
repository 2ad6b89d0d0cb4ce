/**
 * A stack from its template and parameters: conditions evaluated, resources ordered by their
 * dependencies (Ref, Fn::GetAtt, Fn::Sub variables, DependsOn) and given physical ids and
 * attributes, properties and Outputs resolved (outputs whose Condition is false are left out).
 * References to names the template does not declare are refused as CloudFormation refuses them.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resources-section-structure.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/outputs-section-structure.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html
 */
import { evaluate, NO_VALUE, references, type Scope, truth } from "./intrinsics.js";
import type { ResolvedParameters } from "./parameters.js";
import { type Template, validation } from "./parse.js";
import { attribute, creationWeight, type Provisioned, provision, type ResourceContext } from "./resources.js";

export interface BuiltResource {
  logicalId: string;
  type: string;
  physicalId: string;
  /** Logical ids it waits for. */
  deps: string[];
  properties: Record<string, unknown>;
  provisioned: Provisioned;
  /** Creation start and end, in weight units from the stack's start (scaled by the timeline). */
  start: number;
  end: number;
}

export interface BuiltOutput {
  OutputKey: string;
  OutputValue: string;
  Description?: string;
  ExportName?: string;
}

export interface BuiltStack {
  resources: BuiltResource[];
  outputs: BuiltOutput[];
  conditions: Record<string, boolean>;
}

export interface BuildContext extends ResourceContext {
  /** Fn::GetAZs of the stack's region. */
  azs: string[];
}

function pseudo(c: BuildContext): Record<string, unknown> {
  return {
    "AWS::Region": c.region,
    "AWS::AccountId": c.account,
    "AWS::StackName": c.stackName,
    "AWS::StackId": c.stackId,
    "AWS::Partition": c.partition,
    "AWS::URLSuffix": c.partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com",
    "AWS::NotificationARNs": [],
    "AWS::NoValue": NO_VALUE,
  };
}

const unresolved = (names: string[], block: string) =>
  validation(
    `Template format error: Unresolved resource dependencies [${names.join(", ")}] in the ${block} block of the template`,
  );

/** Resource ids in creation order (dependencies first); refuses unknown names and cycles. */
function order(t: Template, known: Set<string>): { ids: string[]; deps: Map<string, string[]> } {
  const deps = new Map<string, string[]>();
  for (const [id, r] of Object.entries(t.Resources)) {
    const refs = [...references(r.Properties), ...r.DependsOn];
    const bad = refs.filter((n) => !known.has(n) && !(n in t.Resources));
    if (bad.length > 0) throw unresolved([...new Set(bad)], "Resources");
    deps.set(id, [...new Set(refs.filter((n) => n in t.Resources && n !== id))]);
  }
  const ids: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (id: string, path: string[]) => {
    if (state.get(id) === "done") return;
    if (state.get(id) === "visiting") {
      throw validation(`Circular dependency between resources: [${path.slice(path.indexOf(id)).join(", ")}]`);
    }
    state.set(id, "visiting");
    for (const d of deps.get(id) ?? []) visit(d, [...path, id]);
    state.set(id, "done");
    ids.push(id);
  };
  for (const id of Object.keys(t.Resources)) visit(id, []);
  return { ids, deps };
}

const asText = (v: unknown): string =>
  Array.isArray(v)
    ? v.map(asText).join(",")
    : typeof v === "object" && v !== null
      ? JSON.stringify(v)
      : String(v);

export function buildStack(t: Template, params: ResolvedParameters, c: BuildContext): BuiltStack {
  const pseudos = pseudo(c);
  const known = new Set([...Object.keys(params.refs), ...Object.keys(pseudos)]);
  const { ids, deps } = order(t, known);
  const built = new Map<string, BuiltResource>();
  const conditions: Record<string, boolean> = {};
  const evaluating = new Set<string>();

  const scope: Scope = {
    ref: (name) => params.refs[name] ?? pseudos[name] ?? built.get(name)?.physicalId,
    getAtt: (id, attr) => {
      const r = built.get(id);
      if (!r) throw validation(`Template error: instance of Fn::GetAtt references undefined resource ${id}`);
      return attribute(id, r.provisioned, attr);
    },
    condition: (name) => {
      if (name in conditions) return conditions[name] as boolean;
      if (!(name in t.Conditions) || evaluating.has(name)) {
        throw validation(`Template format error: Unresolved condition dependency ${name}`);
      }
      evaluating.add(name);
      conditions[name] = truth(t.Conditions[name], scope);
      evaluating.delete(name);
      return conditions[name] as boolean;
    },
    mapping: (map, top, second) => {
      const v = t.Mappings[map]?.[top]?.[second];
      if (v === undefined)
        throw validation(`Template error: Unable to get mapping for ${map}::${top}::${second}`);
      return v;
    },
    azs: (region) => (region === "" || region === c.region ? [...c.azs] : []),
  };
  for (const name of Object.keys(t.Conditions)) scope.condition(name);

  for (const id of ids) {
    const decl = t.Resources[id];
    if (!decl) continue;
    if (decl.Condition !== undefined && !scope.condition(decl.Condition)) continue;
    const properties = evaluate(decl.Properties, scope) as Record<string, unknown>;
    const provisioned = provision(c, id, decl.Type, properties);
    const mine = (deps.get(id) ?? []).filter((d) => built.has(d));
    const start = Math.max(0, ...mine.map((d) => built.get(d)?.end ?? 0));
    built.set(id, {
      logicalId: id,
      type: decl.Type,
      physicalId: provisioned.ref,
      deps: mine,
      properties,
      provisioned,
      start,
      end: start + creationWeight(decl.Type),
    });
  }

  const outputs: BuiltOutput[] = [];
  for (const [key, o] of Object.entries(t.Outputs)) {
    const bad = [...references(o.Value)].filter((n) => !known.has(n) && !(n in t.Resources));
    if (bad.length > 0) throw unresolved(bad, "Outputs");
    if (o.Condition !== undefined && !scope.condition(o.Condition)) continue;
    const out: BuiltOutput = { OutputKey: key, OutputValue: asText(evaluate(o.Value, scope)) };
    if (o.Description !== undefined) out.Description = o.Description;
    const exportName = (o.Export as { Name?: unknown } | undefined)?.Name;
    if (exportName !== undefined) out.ExportName = asText(evaluate(exportName, scope));
    outputs.push(out);
  }
  return { resources: [...built.values()], outputs, conditions };
}
