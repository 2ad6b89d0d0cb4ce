/** Opaque paging tokens (offset-based) shared by every list operation of the world. */
import type { SandboxError } from "../types.js";

export interface Page<T> {
  items: T[];
  /** Token for the next page, absent on the last page. */
  next?: string;
}

export function paginate<T>(
  items: readonly T[],
  opts: { max: number | undefined; token: string | undefined; defaultMax: number; scope: string },
  badToken: (token: string) => SandboxError,
): Page<T> {
  let offset = 0;
  if (opts.token !== undefined && opts.token !== "") {
    const decoded = decode(opts.token);
    if (!decoded || decoded.scope !== opts.scope) throw badToken(opts.token);
    offset = decoded.offset;
  }
  const max = opts.max !== undefined && opts.max > 0 ? opts.max : opts.defaultMax;
  const slice = items.slice(offset, offset + max);
  const end = offset + slice.length;
  return end < items.length ? { items: slice, next: encode(opts.scope, end) } : { items: slice };
}

/** A page size the service caps at `cap` (a larger request gets `cap`); below `min` is refused. */
export function cappedMax(
  asked: number | undefined,
  cap: number,
  min: number,
  tooSmall: (value: number) => SandboxError,
): number {
  if (asked !== undefined && asked < min) throw tooSmall(asked);
  return Math.min(asked ?? cap, cap);
}

function encode(scope: string, offset: number): string {
  return Buffer.from(JSON.stringify({ s: scope, o: offset })).toString("base64url");
}

function decode(token: string): { scope: string; offset: number } | undefined {
  try {
    const v = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { s?: unknown; o?: unknown };
    if (typeof v.s !== "string" || typeof v.o !== "number" || v.o < 0) return undefined;
    return { scope: v.s, offset: v.o };
  } catch {
    return undefined;
  }
}
