/**
 * IAM condition operators, as the IAM JSON policy reference defines them:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 *
 * - Several values for one key: the key matches when ANY of them matches (OR); negated operators
 *   (StringNotEquals, ArnNotLike, ...) match when the value matches NONE of them.
 * - Several keys under one operator, and several operators in one block: ALL must hold (AND).
 * - A key absent from the request context: the condition is false, except for negated operators
 *   (true), `...IfExists` (true) and `Null` (which tests presence).
 * - `ForAnyValue:` true when at least one request value matches; false when the key is absent.
 *   `ForAllValues:` true when every request value matches, and also when the key is absent or
 *   has no values (documented: "It also returns true if there are no context keys in the request").
 */

/** Request context: key (lowercase) → its values. Single-valued keys hold one value. */
export type RequestContext = ReadonlyMap<string, readonly string[]>;

export type ConditionBlock = Record<string, Record<string, unknown>>;

export class UnsupportedCondition extends Error {
  override readonly name = "UnsupportedCondition";
}

interface ParsedOperator {
  set: "ForAllValues" | "ForAnyValue" | undefined;
  base: string;
  ifExists: boolean;
}

export function parseOperator(operator: string): ParsedOperator {
  let rest = operator;
  let set: ParsedOperator["set"];
  const colon = rest.indexOf(":");
  if (colon >= 0) {
    const qualifier = rest.slice(0, colon).toLowerCase();
    if (qualifier === "forallvalues") set = "ForAllValues";
    else if (qualifier === "foranyvalue") set = "ForAnyValue";
    else throw new UnsupportedCondition(`unknown condition set operator in ${operator}`);
    rest = rest.slice(colon + 1);
  }
  const ifExists = /IfExists$/i.test(rest) && rest.toLowerCase() !== "null";
  const base = ifExists ? rest.slice(0, -"IfExists".length) : rest;
  return { set, base, ifExists };
}

/** `*` (any run of characters) and `?` (one character) glob, anchored. */
/** Compiled patterns (policies repeat the same few on every call). */
const compiled = new Map<string, RegExp>();
const memoRegExp = (key: string, make: () => RegExp): RegExp => {
  let re = compiled.get(key);
  if (!re) {
    re = make();
    compiled.set(key, re);
  }
  return re;
};

export function globRegExp(pattern: string, flags = ""): RegExp {
  return memoRegExp(`glob:${flags}:${pattern}`, () => globSource(pattern, flags));
}

function globSource(pattern: string, flags: string): RegExp {
  let src = "";
  for (const ch of pattern) {
    if (ch === "*") src += ".*";
    else if (ch === "?") src += ".";
    else src += ch.replace(/[.+^${}()|[\]\\/-]/g, "\\$&");
  }
  return new RegExp(`^${src}$`, `s${flags}`);
}

/**
 * ARN matching for ArnEquals/ArnLike (and Resource elements): compared segment by segment
 * (arn:partition:service:region:account:resource); `*` and `?` match within a segment, and a
 * `*` that ends a segment may extend past the colons that follow it.
 */
export function arnMatches(pattern: string, value: string): boolean {
  if (pattern === "*") return true;
  return memoRegExp(`arn:${pattern}`, () => arnRegExp(pattern)).test(value);
}

function arnRegExp(pattern: string): RegExp {
  let src = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === "*") {
      const next = pattern[i + 1];
      src += next === undefined || next === ":" ? ".*" : "[^:]*";
    } else if (ch === "?") {
      src += "[^:]";
    } else {
      src += ch.replace(/[.+^${}()|[\]\\/-]/g, "\\$&");
    }
  }
  return new RegExp(`^${src}$`, "s");
}

type Matcher = (actual: string, expected: string) => boolean;

const MATCHERS: Record<string, { match: Matcher; negated: boolean }> = {
  stringequals: { match: (a, e) => a === e, negated: false },
  stringnotequals: { match: (a, e) => a === e, negated: true },
  stringequalsignorecase: { match: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: false },
  stringnotequalsignorecase: { match: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: true },
  stringlike: { match: (a, e) => globRegExp(e).test(a), negated: false },
  stringnotlike: { match: (a, e) => globRegExp(e).test(a), negated: true },
  arnequals: { match: (a, e) => arnMatches(e, a), negated: false },
  arnlike: { match: (a, e) => arnMatches(e, a), negated: false },
  arnnotequals: { match: (a, e) => arnMatches(e, a), negated: true },
  arnnotlike: { match: (a, e) => arnMatches(e, a), negated: true },
  bool: { match: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: false },
};

function policyValues(raw: unknown, operator: string, key: string): string[] {
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((v) => {
    if (typeof v === "string") return v;
    if (typeof v === "boolean" || typeof v === "number") return String(v);
    throw new UnsupportedCondition(`${operator} ${key}: value ${JSON.stringify(v)} is not a string`);
  });
}

/** One value of the request against the policy's values: OR, or NOR for negated operators. */
function valueMatches(m: { match: Matcher; negated: boolean }, actual: string, expected: string[]): boolean {
  const any = expected.some((e) => m.match(actual, e));
  return m.negated ? !any : any;
}

/** One `operator: { key: values }` pair against the request context. */
export function keyHolds(
  operator: string,
  key: string,
  raw: unknown,
  context: RequestContext,
  lookup: (key: string) => readonly string[] | undefined = (k) => context.get(k.toLowerCase()),
): boolean {
  const op = parseOperator(operator);
  const expected = policyValues(raw, operator, key);
  const actual = lookup(key);
  if (op.base.toLowerCase() === "null") {
    if (op.set) throw new UnsupportedCondition(`${operator}: Null takes no set operator`);
    const absent = actual === undefined || actual.length === 0;
    return expected.some((e) => (e.toLowerCase() === "true" ? absent : !absent));
  }
  const m = MATCHERS[op.base.toLowerCase()];
  if (!m) throw new UnsupportedCondition(`condition operator ${operator} is not modelled by the sandbox`);
  const present = actual !== undefined && actual.length > 0;
  if (op.set === "ForAllValues") {
    if (!present) return true;
    return actual.every((a) => valueMatches(m, a, expected));
  }
  if (op.set === "ForAnyValue") {
    if (!present) return false;
    return actual.some((a) => valueMatches(m, a, expected));
  }
  if (!present) return op.ifExists || m.negated;
  // A single-valued key; with several request values (misuse) every one must match.
  return actual.every((a) => valueMatches(m, a, expected));
}

/** The whole Condition element: every operator, every key (AND). */
export function conditionsHold(
  condition: ConditionBlock | undefined,
  context: RequestContext,
  lookup?: (key: string) => readonly string[] | undefined,
): boolean {
  if (!condition) return true;
  return Object.entries(condition).every(([operator, entries]) => {
    if (entries === null || typeof entries !== "object") {
      throw new UnsupportedCondition(`condition ${operator} is not an object`);
    }
    return Object.entries(entries).every(([key, raw]) => keyHolds(operator, key, raw, context, lookup));
  });
}
