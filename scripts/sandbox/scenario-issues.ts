/**
 * Scenario error messages: "path: got VALUE, allowed: ..." for every zod issue, with the fields
 * the schema allows where a field is unknown and the fault shape meant where a fault matches none.
 */
import type { z } from "zod";
import { valueAt } from "../../functions/shared/config.js";
import { FAULT_KINDS, FAULT_SHAPES } from "./scenario-faults.js";
import { Scenario } from "./scenario-schema.js";

type Issue = z.core.$ZodIssue;

export function describeScenarioIssues(issues: readonly Issue[], raw: unknown): string[] {
  const out: string[] = [];
  for (const issue of issues) out.push(...describeIssue(issue, [], raw));
  return [...new Set(out)];
}

function describeIssue(issue: Issue, prefix: PropertyKey[], raw: unknown): string[] {
  const path = [...prefix, ...issue.path];
  const where = path.length ? path.map(String).join(".") : "(root)";
  const value = valueAt(raw, path);
  const got = value === undefined ? "missing" : `got ${show(value)}`;
  switch (issue.code) {
    case "invalid_value":
      return [`${where}: ${got}, allowed: ${issue.values.map((v) => String(v)).join(" | ")}`];
    case "unrecognized_keys": {
      const allowed = allowedKeys(path, raw);
      return issue.keys.map(
        (k) =>
          `${[...path, k].join(".")}: unknown field, allowed: ${allowed ? allowed.join(" | ") : "(see schema)"}`,
      );
    }
    case "invalid_type":
      if (value === undefined) return [`${where}: missing, required (${issue.expected})`];
      return [
        `${where}: ${got}, allowed: ${issue.expected === "object" ? "an object" : `a ${issue.expected}`}`,
      ];
    case "invalid_union":
      return describeUnion(issue, path, raw, value);
    default: {
      const plain = issue.code === "custom" || /^(allowed|required)\b/.test(issue.message);
      return [`${where}: ${got}, ${plain ? issue.message : `allowed: ${issue.message}`}`];
    }
  }
}

function describeUnion(
  issue: Extract<Issue, { code: "invalid_union" }>,
  path: PropertyKey[],
  raw: unknown,
  value: unknown,
): string[] {
  const where = path.map(String).join(".");
  const shapes = FAULT_SHAPES;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return [`${where}: got ${show(value)}, allowed: a fault object, one of ${shapes}`];
  }
  const keys = Object.keys(value);
  const kind = FAULT_KINDS.find((k) => keys.includes(k.key) && (!("also" in k) || keys.includes(k.also)));
  const variant = kind ? issue.errors[kind.index] : undefined;
  if (!kind || !variant) {
    return [`${where}: got ${show(value)}, allowed: one of ${shapes}`];
  }
  return variant.flatMap((sub) => describeIssue(sub, path, raw));
}

/** The object keys the schema allows at a path (for unknown-field messages). */
function allowedKeys(path: PropertyKey[], raw: unknown): string[] | undefined {
  let schema: z.core.$ZodType | undefined = Scenario as unknown as z.core.$ZodType;
  const walked: PropertyKey[] = [];
  const unwrap = (s: z.core.$ZodType | undefined): z.core.$ZodType | undefined => {
    let cur = s;
    for (let i = 0; i < 10 && cur; i++) {
      const def = cur._zod.def as unknown as {
        type: string;
        innerType?: z.core.$ZodType;
        in?: z.core.$ZodType;
      };
      if (
        def.type === "default" ||
        def.type === "optional" ||
        def.type === "nullable" ||
        def.type === "prefault"
      ) {
        cur = def.innerType;
      } else if (def.type === "pipe") cur = def.in;
      else break;
    }
    return cur;
  };
  const pickUnion = (s: z.core.$ZodType | undefined): z.core.$ZodType | undefined => {
    const u = unwrap(s);
    const def = u?._zod.def as unknown as { type: string; options?: z.core.$ZodType[] } | undefined;
    if (def?.type !== "union" || !def.options) return u;
    const value = valueAt(raw, walked);
    const keys = value && typeof value === "object" ? Object.keys(value) : [];
    const kind = FAULT_KINDS.find((k) => keys.includes(k.key) && (!("also" in k) || keys.includes(k.also)));
    return kind ? unwrap(def.options[kind.index]) : undefined;
  };
  schema = pickUnion(schema);
  for (const key of path) {
    const def = schema?._zod.def as unknown as
      | {
          type: string;
          shape?: Record<string, z.core.$ZodType>;
          element?: z.core.$ZodType;
          valueType?: z.core.$ZodType;
        }
      | undefined;
    if (!def) return undefined;
    if (def.type === "object" && def.shape) schema = def.shape[String(key)];
    else if (def.type === "array") schema = def.element;
    else if (def.type === "record") schema = def.valueType;
    else return undefined;
    walked.push(key);
    schema = pickUnion(schema);
  }
  const def = schema?._zod.def as unknown as { type: string; shape?: Record<string, unknown> } | undefined;
  return def?.type === "object" && def.shape ? Object.keys(def.shape) : undefined;
}

function show(value: unknown): string {
  const text = JSON.stringify(value instanceof Date ? value.toISOString() : value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
