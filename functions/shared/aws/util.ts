/** Small helpers shared by the SDK wrappers: tag shapes, chunking, pagination. */
import { type AwsErrorInfo, callAws } from "./errors.js";

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

/** Where a paginated call goes, for the error mapping (callAws): service, operation, resource. */
export type CallSite = readonly [service: string, operation: string, detail: string];

/**
 * Every item of an SDK paginator (`paginate<Operation>` of the client package, given
 * `stopOnSameToken: true`): `pick` takes each page's items and callAws maps a failed request. The
 * paginator ends at an absent or empty token and on a token the service repeats.
 */
export function collectPages<P, T>(
  pages: AsyncIterable<P>,
  [service, operation, detail]: CallSite,
  pick: (page: P) => readonly T[] | undefined,
): Promise<T[]> {
  return callAws(service, operation, detail, () => drain(pages, pick));
}

/**
 * collectPages for a listing of one resource that may not exist: undefined when a request fails
 * with an error `missing` recognises (the whole listing is then void, not one page of it).
 */
export function collectPagesUnlessMissing<P, T>(
  pages: AsyncIterable<P>,
  [service, operation, detail]: CallSite,
  pick: (page: P) => readonly T[] | undefined,
  missing: (err: AwsErrorInfo) => boolean,
): Promise<T[] | undefined> {
  return callAws<T[] | undefined>(
    service,
    operation,
    detail,
    () => drain(pages, pick),
    (err) => (missing(err) ? { value: undefined } : undefined),
  );
}

async function drain<P, T>(
  pages: AsyncIterable<P>,
  pick: (page: P) => readonly T[] | undefined,
): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...(pick(page) ?? []));
  return all;
}
