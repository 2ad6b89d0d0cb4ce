/**
 * Which scenario resources a request refers to (for `resource` faults): by id, ARN or restore job
 * id (the world's index), or by an identifier that starts with a resource's name and "-". Costs
 * O(size of the input), not O(resources).
 */

/** Scenario names are at most 64 characters: no longer prefix can be one. */
const MAX_NAME = 64;

/** The longest scenario name that is `candidate` or a prefix of it followed by "-". */
function byPrefix(candidate: string, names: ReadonlySet<string>): string | undefined {
  if (names.has(candidate)) return candidate;
  for (let i = candidate.lastIndexOf("-", MAX_NAME); i > 0; i = candidate.lastIndexOf("-", i - 1)) {
    const prefix = candidate.slice(0, i);
    if (names.has(prefix)) return prefix;
  }
  return undefined;
}

export function resourcesIn(
  input: unknown,
  index: ReadonlyMap<string, string>,
  names: ReadonlySet<string>,
): Set<string> {
  const found = new Set<string>();
  const visit = (v: unknown, depth: number): void => {
    if (depth > 6 || v === null || v === undefined) return;
    if (typeof v === "string") {
      const direct = index.get(v);
      if (direct) found.add(direct);
      const last = v.split(/[:/]/).pop() ?? v;
      const byLast = index.get(last);
      if (byLast) found.add(byLast);
      for (const candidate of [v, last]) {
        const n = byPrefix(candidate, names);
        if (n) found.add(n);
      }
    } else if (Array.isArray(v)) {
      for (const x of v) visit(x, depth + 1);
    } else if (typeof v === "object" && !(v instanceof Date)) {
      for (const x of Object.values(v as Record<string, unknown>)) visit(x, depth + 1);
    }
  };
  visit(input, 0);
  return found;
}
