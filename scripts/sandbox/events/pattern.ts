/**
 * EventBridge event pattern matching, as the user guide describes it
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html,
 * .../eb-create-pattern-operators.html): every field the pattern names must match; a leaf is an
 * array of alternatives (exact values, or the operator objects `prefix`, `suffix`, `exists` and
 * `anything-but` of values or of a prefix/suffix); an array in the event matches when any of its elements does. Other operators
 * fail loudly (the sandbox does not guess their meaning).
 */

type Json = unknown;

export class UnsupportedPattern extends Error {}

const isObject = (v: Json): v is Record<string, Json> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

export function matchesPattern(pattern: Record<string, Json>, event: Json): boolean {
  if (!isObject(event)) return false;
  return Object.entries(pattern).every(([key, rule]) => {
    const present = Object.hasOwn(event, key);
    const value = present ? event[key] : undefined;
    if (Array.isArray(rule)) return matchesLeaf(rule, value, present);
    if (isObject(rule)) return present && matchesPattern(rule, value);
    throw new UnsupportedPattern(
      `pattern field ${key}: expected an array or an object, got ${JSON.stringify(rule)}`,
    );
  });
}

function matchesLeaf(alternatives: Json[], value: Json, present: boolean): boolean {
  const values = Array.isArray(value) ? value : [value];
  return alternatives.some((alt) => {
    if (isObject(alt)) return matchesOperator(alt, values, present);
    return present && values.some((v) => v === alt);
  });
}

function matchesOperator(op: Record<string, Json>, values: Json[], present: boolean): boolean {
  const [name, arg] = Object.entries(op)[0] ?? [];
  switch (name) {
    case "exists":
      return arg === present;
    case "prefix":
      return (
        present && values.some((v) => typeof v === "string" && typeof arg === "string" && v.startsWith(arg))
      );
    case "suffix":
      return (
        present && values.some((v) => typeof v === "string" && typeof arg === "string" && v.endsWith(arg))
      );
    case "anything-but": {
      if (isObject(arg)) return present && !matchesOperator(arg, values, present);
      const excluded = Array.isArray(arg) ? arg : [arg];
      if (excluded.some(isObject)) throw new UnsupportedPattern(`anything-but with ${JSON.stringify(arg)}`);
      return present && values.every((v) => !excluded.includes(v));
    }
    default:
      throw new UnsupportedPattern(`the sandbox does not model the '${String(name)}' pattern operator`);
  }
}
