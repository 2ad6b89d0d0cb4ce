/** Small collection helpers shared by steps: bounded concurrency and dependency ordering. */
import { ConfigInvalid } from "./errors.js";

/**
 * Maps items with at most `limit` calls in flight, keeping order. Every item is attempted;
 * when some fail, the first error is thrown after all settle (callers that need partial results
 * use mapLimitSettled).
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const settled = await mapLimitSettled(items, limit, fn);
  const failed = settled.find((s) => s.status === "rejected");
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<R>).value);
}

/** Like mapLimit, but returns every outcome (Promise.allSettled shape), in input order. */
export async function mapLimitSettled<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = { status: "fulfilled", value: await fn(items[index] as T) };
      } catch (reason) {
        results[index] = { status: "rejected", reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/**
 * Orders items so each comes after everything it depends on (stable: otherwise input order).
 * Unknown dependencies are ignored (the config schema rejects them); a cycle → ConfigInvalid.
 */
export function topoOrder<T extends { name: string; dependsOn: readonly string[] }>(
  items: readonly T[],
): T[] {
  const byName = new Map(items.map((i) => [i.name, i]));
  const state = new Map<string, "visiting" | "done">();
  const out: T[] = [];
  const visit = (item: T, path: string[]): void => {
    const s = state.get(item.name);
    if (s === "done") return;
    if (s === "visiting") {
      const cycle = [...path.slice(path.indexOf(item.name)), item.name];
      throw new ConfigInvalid(`resources: dependsOn cycle ${cycle.join(" -> ")}`);
    }
    state.set(item.name, "visiting");
    for (const dep of item.dependsOn) {
      const d = byName.get(dep);
      if (d) visit(d, [...path, item.name]);
    }
    state.set(item.name, "done");
    out.push(item);
  };
  for (const item of items) visit(item, []);
  return out;
}

/** The promise of `make()`, made at the first call and shared by every later one. */
export function memo<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= make();
    return value;
  };
}
