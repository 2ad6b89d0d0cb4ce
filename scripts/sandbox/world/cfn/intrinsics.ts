/**
 * CloudFormation's intrinsic functions and condition functions, evaluated over a scope that
 * answers Ref (parameters, pseudo parameters, resources), Fn::GetAtt and conditions.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html
 */
import { validation } from "./parse.js";

/** AWS::NoValue: removes the property (or list item) it stands in. */
export const NO_VALUE = Symbol("AWS::NoValue");

export interface Scope {
  /** Ref of a parameter, pseudo parameter or resource (undefined when none has that name). */
  ref(name: string): unknown;
  getAtt(logicalId: string, attribute: string): unknown;
  condition(name: string): boolean;
  mapping(map: string, top: string, second: string): unknown;
  /** Fn::GetAZs for a region ("" = the stack's region). */
  azs(region: string): string[];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** The single key of an intrinsic-function object ({"Fn::Join": …}, {"Ref": …}), if it is one. */
export function intrinsicKey(v: unknown): string | undefined {
  if (!isObject(v)) return undefined;
  const keys = Object.keys(v);
  const k = keys[0];
  return keys.length === 1 && k !== undefined && (k === "Ref" || k === "Condition" || k.startsWith("Fn::"))
    ? k
    : undefined;
}

const text = (v: unknown, fn: string): string => {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  throw validation(`Template error: every ${fn} object requires a string value`);
};
const list = (v: unknown, fn: string): unknown[] => {
  if (Array.isArray(v)) return v;
  throw validation(`Template error: every ${fn} object requires a list`);
};

/** `${Name}` / `${Resource.Attribute}` placeholders of a Fn::Sub string (`${!Literal}` excluded). */
export function subVariables(template: string): string[] {
  return [...template.matchAll(/\$\{([^!}][^}]*)\}/g)].map((m) => (m[1] as string).trim());
}

function sub(args: unknown, scope: Scope): string {
  const [template, vars] = Array.isArray(args) ? [args[0], args[1]] : [args, undefined];
  const own = isObject(vars) ? vars : {};
  return text(template, "Fn::Sub").replace(/\$\{([^}]*)\}/g, (_, inner: string) => {
    if (inner.startsWith("!")) return `\${${inner.slice(1)}}`;
    const name = inner.trim();
    if (name in own) return String(evaluate(own[name], scope));
    const dot = name.indexOf(".");
    const value = dot > 0 ? scope.getAtt(name.slice(0, dot), name.slice(dot + 1)) : ref(name, scope);
    return Array.isArray(value) ? value.join(",") : String(value);
  });
}

function ref(name: string, scope: Scope): unknown {
  const v = scope.ref(name);
  if (v === undefined) {
    throw validation(
      `Template format error: Unresolved resource dependencies [${name}] in the Resources block of the template`,
    );
  }
  return v;
}

/** Condition functions: Fn::Equals/Not/And/Or and Condition, to a boolean. */
export function truth(v: unknown, scope: Scope): boolean {
  const k = intrinsicKey(v);
  const arg = k ? (v as Record<string, unknown>)[k] : undefined;
  switch (k) {
    case "Condition":
      return scope.condition(text(arg, "Condition"));
    case "Fn::Equals": {
      const [a, b] = list(arg, "Fn::Equals").map((x) => evaluate(x, scope));
      return JSON.stringify(a) === JSON.stringify(b) || String(a) === String(b);
    }
    case "Fn::Not":
      return !truth(list(arg, "Fn::Not")[0], scope);
    case "Fn::And":
      return list(arg, "Fn::And").every((x) => truth(x, scope));
    case "Fn::Or":
      return list(arg, "Fn::Or").some((x) => truth(x, scope));
    default: {
      const value = evaluate(v, scope);
      if (value === true || value === "true") return true;
      if (value === false || value === "false") return false;
      throw validation("Template error: condition functions must evaluate to a boolean");
    }
  }
}

/** Evaluates every intrinsic function inside a value. */
export function evaluate(v: unknown, scope: Scope): unknown {
  if (Array.isArray(v)) return v.map((x) => evaluate(x, scope)).filter((x) => x !== NO_VALUE);
  const k = intrinsicKey(v);
  if (!k) {
    if (!isObject(v)) return v;
    const out: Record<string, unknown> = {};
    for (const [key, x] of Object.entries(v)) {
      const value = evaluate(x, scope);
      if (value !== NO_VALUE) out[key] = value;
    }
    return out;
  }
  const arg = (v as Record<string, unknown>)[k];
  switch (k) {
    case "Ref": {
      const name = text(arg, "Ref");
      return name === "AWS::NoValue" ? NO_VALUE : ref(name, scope);
    }
    case "Fn::GetAtt": {
      const parts = typeof arg === "string" ? arg.split(/\.(.*)/s) : list(arg, "Fn::GetAtt");
      const [id, attr] = parts.map((p) => text(evaluate(p, scope), "Fn::GetAtt"));
      if (!id || !attr)
        throw validation("Template error: every Fn::GetAtt object requires two non-empty parameters");
      return scope.getAtt(id, attr);
    }
    case "Fn::Sub":
      return sub(Array.isArray(arg) ? [arg[0], arg[1]] : arg, scope);
    case "Fn::Join": {
      const [delim, items] = list(arg, "Fn::Join");
      const values = evaluate(items, scope);
      return list(values, "Fn::Join")
        .map((x) => text(x, "Fn::Join"))
        .join(text(delim, "Fn::Join"));
    }
    case "Fn::Select": {
      const [index, items] = list(arg, "Fn::Select").map((x) => evaluate(x, scope));
      const values = list(items, "Fn::Select");
      const i = Number(index);
      if (!Number.isInteger(i) || i < 0 || i >= values.length) {
        throw validation(
          `Template error: Fn::Select cannot select nonexistent value at index ${String(index)}`,
        );
      }
      return values[i];
    }
    case "Fn::Split": {
      const [delim, source] = list(arg, "Fn::Split").map((x) => evaluate(x, scope));
      return text(source, "Fn::Split").split(text(delim, "Fn::Split"));
    }
    case "Fn::GetAZs":
      return scope.azs(text(evaluate(arg, scope) ?? "", "Fn::GetAZs"));
    case "Fn::If": {
      const [cond, yes, no] = list(arg, "Fn::If");
      return evaluate(scope.condition(text(cond, "Fn::If")) ? yes : no, scope);
    }
    case "Fn::Equals":
    case "Fn::Not":
    case "Fn::And":
    case "Fn::Or":
    case "Condition":
      return truth(v, scope);
    case "Fn::FindInMap": {
      const [map, top, second] = list(arg, "Fn::FindInMap").map((x) =>
        text(evaluate(x, scope), "Fn::FindInMap"),
      );
      return scope.mapping(map as string, top as string, second as string);
    }
    case "Fn::Base64":
      return Buffer.from(text(evaluate(arg, scope), "Fn::Base64")).toString("base64");
    case "Fn::Length":
      return list(evaluate(arg, scope), "Fn::Length").length;
    case "Fn::ToJsonString":
      return JSON.stringify(evaluate(arg, scope));
    case "Fn::ImportValue":
      throw validation(`No export named ${text(evaluate(arg, scope), "Fn::ImportValue")} found`);
    default:
      throw validation(`Template format error: Unrecognized intrinsic function ${k}`);
  }
}

/** Names a value refers to: Ref targets, Fn::GetAtt resources and Fn::Sub variables (for ordering and checks). */
export function references(v: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(v)) {
    for (const x of v) references(x, out);
    return out;
  }
  if (!isObject(v)) return out;
  const k = intrinsicKey(v);
  const arg = k ? v[k] : undefined;
  if (k === "Ref" && typeof arg === "string") out.add(arg);
  else if (k === "Fn::GetAtt") {
    const id = typeof arg === "string" ? arg.split(".")[0] : Array.isArray(arg) ? arg[0] : undefined;
    if (typeof id === "string") out.add(id);
  } else if (k === "Fn::Sub") {
    const [template, vars] = Array.isArray(arg) ? [arg[0], arg[1]] : [arg, undefined];
    const own = isObject(vars) ? Object.keys(vars) : [];
    if (typeof template === "string") {
      for (const name of subVariables(template)) {
        const base = name.split(".")[0] as string;
        if (!own.includes(name)) out.add(base);
      }
    }
    if (vars !== undefined) references(vars, out);
    return out;
  }
  for (const x of Object.values(v)) references(x, out);
  return out;
}
