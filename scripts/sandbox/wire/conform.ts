/**
 * Does an SDK-shaped value fit its schema? The SDK's codecs do not check: they write what they are
 * given (a string where the model has a number goes out as a string) and silently skip members
 * the model does not know. A server has to check both directions itself:
 * - outputs: a backend value the real API could not return is a problem (reported, and dropped so
 *   the response stays well-formed; fatal in strict mode);
 * - inputs: a request value of the wrong type, or a missing required member, is refused.
 */
import { memberNames, requiredMembers, type Schema } from "./schema.js";

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" &&
  v !== null &&
  !Array.isArray(v) &&
  !(v instanceof Date) &&
  !(v instanceof Uint8Array);

/** The problem with a scalar value, or undefined when it fits. */
function scalarProblem(ns: Schema, value: unknown, input: boolean): string | undefined {
  if (ns.isStringSchema())
    return typeof value === "string" ? undefined : `expected a string, got ${typeof value}`;
  if (ns.isNumericSchema()) {
    if (typeof value !== "number") return `expected a number, got ${typeof value}`;
    return input && Number.isNaN(value) ? "not a number" : undefined;
  }
  if (ns.isBooleanSchema())
    return typeof value === "boolean" ? undefined : `expected a boolean, got ${typeof value}`;
  if (ns.isTimestampSchema()) {
    return value instanceof Date && !Number.isNaN(value.getTime()) ? undefined : "expected a Date";
  }
  if (ns.isBlobSchema()) {
    return typeof value === "string" || value instanceof Uint8Array
      ? undefined
      : "expected a string or bytes";
  }
  if (ns.isBigIntegerSchema()) {
    return typeof value === "bigint" || typeof value === "number" ? undefined : "expected an integer";
  }
  return undefined; // documents, big decimals
}

/**
 * Checks `value` against `ns`, appending one message per misfit to `problems`. Returns the value
 * with every misfit removed: the same object when everything fits (no copy on the hot path).
 */
export function conform(
  ns: Schema,
  value: unknown,
  where: string,
  problems: string[],
  input = false,
): unknown {
  if (value === undefined || value === null) return value;
  if (ns.isStructSchema()) {
    if (!isRecord(value)) {
      problems.push(`${where}: expected a structure${ns.getName() ? ` ${ns.getName()}` : ""}`);
      return undefined;
    }
    const known = memberNames(ns);
    let out: Record<string, unknown> | undefined;
    for (const k of Object.keys(value)) {
      if (known.has(k) || k === "$metadata" || value[k] === undefined) continue;
      problems.push(`${where}.${k}: not a member of ${ns.getName()}`);
      out ??= { ...value };
      delete out[k];
    }
    for (const [name, member] of ns.structIterator()) {
      const v = value[name];
      if (v === undefined || v === null) continue;
      const fitted = conform(member, v, `${where}.${name}`, problems, input);
      if (fitted !== v) {
        out ??= { ...value };
        if (fitted === undefined) delete out[name];
        else out[name] = fitted;
      }
    }
    return out ?? value;
  }
  if (ns.isListSchema()) {
    if (!Array.isArray(value)) {
      problems.push(`${where}: expected a list`);
      return undefined;
    }
    const member = ns.getValueSchema();
    let out: unknown[] | undefined;
    value.forEach((v, i) => {
      const fitted = conform(member, v, `${where}[${i}]`, problems, input);
      if (fitted === v) return;
      out ??= [...value];
      out[i] = fitted ?? null;
    });
    return out ? out.filter((v) => v !== null) : value;
  }
  if (ns.isMapSchema()) {
    if (!isRecord(value)) {
      problems.push(`${where}: expected a map`);
      return undefined;
    }
    const member = ns.getValueSchema();
    let out: Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(value)) {
      const fitted = conform(member, v, `${where}.${k}`, problems, input);
      if (fitted !== v) {
        out ??= { ...value };
        if (fitted === undefined) delete out[k];
        else out[k] = fitted;
      }
    }
    return out ?? value;
  }
  const problem = scalarProblem(ns, value, input);
  if (!problem) return value;
  problems.push(`${where}: ${problem}`);
  return undefined;
}

/** The path of the first required member missing in a value (nested structures included). */
export function missingRequired(ns: Schema, value: unknown, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (ns.isStructSchema()) {
    if (!isRecord(value)) return undefined;
    const required = requiredMembers(ns);
    for (const [name, member] of ns.structIterator()) {
      const p = path ? `${path}.${name}` : name;
      const v = value[name];
      if ((v === undefined || v === null) && required.has(name) && !member.isIdempotencyToken()) return p;
      const inner = missingRequired(member, v, p);
      if (inner) return inner;
    }
    return undefined;
  }
  if (ns.isListSchema()) {
    if (!Array.isArray(value)) return undefined;
    const member = ns.getValueSchema();
    for (let i = 0; i < value.length; i++) {
      const inner = missingRequired(member, value[i], `${path}.${i + 1}`);
      if (inner) return inner;
    }
    return undefined;
  }
  if (ns.isMapSchema() && isRecord(value)) {
    const member = ns.getValueSchema();
    for (const [k, v] of Object.entries(value)) {
      const inner = missingRequired(member, v, `${path}.${k}`);
      if (inner) return inner;
    }
  }
  return undefined;
}
