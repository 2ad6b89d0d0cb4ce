/**
 * The critical path of a run: the chain of phases, restores and integrations that determined
 * when the recovery ended, from the observed start and end times.
 *
 * The run is a graph in the order the state machine imposes:
 *   lock → detect → approve                    (whichever ran, one after the other)
 *   → stack deploy  ∥  plan → each restore      (the Recover parallel)
 *   → integration of each resource              (after its own restore and the integrations of
 *                                                its dependsOn; one that started only after the
 *                                                Recover parallel ended waited for all of it)
 *   → validate (after the Recover parallel and every integration) → failover (failover mode)
 * Starting from the last node (failover, else validate, else whatever ended last in a run that
 * stopped earlier), each step goes back to the predecessor that finished last: the one the node
 * waited for. Integration runs alongside the restores up to actions on the stack's instances; what
 * is left then (an attach, a mount, what depends on them) runs after the parallel, so a slow
 * restore of another resource can precede it.
 */
import * as z from "zod";
import type { ReportPhase } from "./model.js";

export const CRITICAL_PATH_KINDS = ["phase", "stack", "restore", "integration"] as const;
export type CriticalPathKind = (typeof CRITICAL_PATH_KINDS)[number];

export const CriticalPathItem = z
  .object({
    kind: z.enum(CRITICAL_PATH_KINDS),
    /** Phase name, stack name or resource name. */
    name: z.string(),
    start: z.iso.datetime(),
    end: z.iso.datetime(),
  })
  .strict();
export type CriticalPathItem = z.infer<typeof CriticalPathItem>;

/** Per resource, what the path needs: restore (last attempt) and integration times, dependsOn. */
export interface PathResource {
  name: string;
  dependsOn: readonly string[];
  restoreStart?: string | null | undefined;
  restoreEnd?: string | null | undefined;
  integrationStart?: string | null | undefined;
  /** Set only when the integration finished (DONE). */
  integrationEnd?: string | null | undefined;
}

export interface CriticalPathInput {
  mode: "drill" | "failover";
  phases: readonly ReportPhase[];
  /** CreateStack → CREATE_COMPLETE; the deploy phase when absent. */
  stack?: { name: string; start?: string | undefined; end?: string | undefined } | undefined;
  resources: readonly PathResource[];
}

interface PathNode {
  item: CriticalPathItem;
  endMs: number;
  preds: PathNode[];
}

const PRE_PHASES = ["lock", "detect", "approve"] as const;

function node(kind: CriticalPathKind, name: string, start?: string | null, end?: string | null) {
  if (!start || !end) return undefined;
  const s = Date.parse(start);
  const e = Date.parse(end);
  if (Number.isNaN(s) || Number.isNaN(e) || e < s) return undefined;
  const item = { kind, name, start: new Date(s).toISOString(), end: new Date(e).toISOString() };
  return { item, endMs: e, preds: [] } satisfies PathNode as PathNode;
}

const defined = <T>(xs: readonly (T | undefined)[]): T[] => xs.filter((x): x is T => x !== undefined);

/** The predecessor a node waited for: the one that ended last (ties: longer, then by name). */
function gating(preds: readonly PathNode[]): PathNode | undefined {
  let best: PathNode | undefined;
  for (const p of preds) {
    if (
      !best ||
      p.endMs > best.endMs ||
      (p.endMs === best.endMs && Date.parse(p.item.start) < Date.parse(best.item.start)) ||
      (p.endMs === best.endMs && p.item.start === best.item.start && p.item.name < best.item.name)
    ) {
      best = p;
    }
  }
  return best;
}

export function criticalPathOf(input: CriticalPathInput): CriticalPathItem[] {
  const phase = (name: ReportPhase["name"]) => {
    const p = input.phases.find((x) => x.name === name);
    return p ? node("phase", name, p.startedAt, p.endedAt) : undefined;
  };
  const all: PathNode[] = [];
  const add = (n: PathNode | undefined, preds: readonly PathNode[]) => {
    if (!n) return undefined;
    n.preds = [...preds];
    all.push(n);
    return n;
  };

  let before: PathNode[] = [];
  for (const name of PRE_PHASES) {
    const n = add(phase(name), before);
    if (n) before = [n];
  }

  const deployPhase = input.phases.find((p) => p.name === "deploy");
  const stackName = input.stack?.name ?? "deploy";
  const stack = add(
    node("stack", stackName, input.stack?.start, input.stack?.end) ??
      node("stack", stackName, deployPhase?.startedAt, deployPhase?.endedAt),
    before,
  );
  const plan = add(phase("plan"), before);
  const restores = defined(
    input.resources.map((r) => add(node("restore", r.name, r.restoreStart, r.restoreEnd), defined([plan]))),
  );
  const recover = defined([stack, plan, ...restores]);

  // Integrations, each after its dependsOn (the integration document is kept in dependsOn order,
  // but a dependency listed later is still found).
  const integrated = new Map<string, PathNode>();
  for (const r of input.resources) {
    const n = node("integration", r.name, r.integrationStart, r.integrationEnd);
    if (n) integrated.set(r.name, n);
  }
  const recoverEnd = Math.max(...recover.map((n) => n.endMs));
  const restoreOf = new Map(restores.map((n) => [n.item.name, n]));
  for (const r of input.resources) {
    const n = integrated.get(r.name);
    if (!n) continue;
    const after = Date.parse(n.item.start) >= recoverEnd ? recover : defined([restoreOf.get(r.name)]);
    add(n, [...after, ...defined(r.dependsOn.map((d) => integrated.get(d)))]);
  }
  const integrations = [...integrated.values()];
  const integratePhase = integrations.length === 0 ? add(phase("integrate"), recover) : undefined;
  const afterIntegrate = integrations.length > 0 ? integrations : defined([integratePhase]);

  const validate = add(phase("validate"), [...recover, ...afterIntegrate]);
  const failover = input.mode === "failover" ? add(phase("failover"), defined([validate])) : undefined;

  const sink = failover ?? validate ?? gating(all);
  const path: CriticalPathItem[] = [];
  const seen = new Set<PathNode>();
  for (let n = sink; n && !seen.has(n); n = gating(n.preds)) {
    seen.add(n);
    path.unshift(n.item);
  }
  return path;
}

/** Keys to match report items against the critical path. */
export const pathKey = (kind: CriticalPathKind, name: string): string => `${kind}:${name}`;
