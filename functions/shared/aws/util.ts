/** Small helpers shared by the SDK wrappers: tag shapes, chunking, pagination. */
import { callAws } from "./errors.js";

/** Record<string,string> → [{Key, Value}] (the shape most services use). */
export function toTagList(tags: Record<string, string>): { Key: string; Value: string }[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

/** [{Key, Value}] → Record<string,string>; entries without a key are skipped. */
export function fromTagList(
  list: readonly { Key?: string | undefined; Value?: string | undefined }[] | undefined,
) {
  const tags: Record<string, string> = {};
  for (const t of list ?? []) {
    if (t.Key !== undefined) tags[t.Key] = t.Value ?? "";
  }
  return tags;
}

/** Splits a list into chunks of at most `size` items. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Follows a paginated API to the end. `page` gets the token of the page to fetch (undefined for
 * the first) and returns its items and the next token. Stops on a repeated token (a server bug
 * would otherwise loop forever).
 */
export async function paginate<T>(
  page: (token: string | undefined) => Promise<{ items: readonly T[] | undefined; next: string | undefined }>,
): Promise<T[]> {
  const all: T[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    const { items, next } = await page(token);
    all.push(...(items ?? []));
    token = next === "" ? undefined : next;
    if (token !== undefined) {
      if (seen.has(token)) break;
      seen.add(token);
    }
  } while (token !== undefined);
  return all;
}

/** Where a paginated call goes, for the error mapping (callAws): service, operation, resource. */
export type CallSite = readonly [service: string, operation: string, detail: string];

/**
 * Every item of an SDK paginator (`paginate<Operation>` of the client package, given
 * `stopOnSameToken: true`): each page's request is mapped by callAws, `pick` takes its items. The
 * paginator ends at an absent or empty token and on a token the service repeats.
 */
export async function collectPages<P, T>(
  pages: AsyncIterable<P>,
  [service, operation, detail]: CallSite,
  pick: (page: P) => readonly T[] | undefined,
): Promise<T[]> {
  const all: T[] = [];
  const it = pages[Symbol.asyncIterator]();
  for (;;) {
    const next = await callAws(service, operation, detail, () => it.next());
    if (next.done) return all;
    all.push(...(pick(next.value) ?? []));
  }
}
