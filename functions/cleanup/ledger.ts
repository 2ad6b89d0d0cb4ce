/**
 * What cleanup did, round after round: deletions accepted, leftovers with their reason, what is
 * still pending. Every call goes through the ledger, which classifies its errors and keeps, per
 * resource and operation, the bounds that make cleanup finish (carried in the cleanup document):
 * - refused (AwsCallFailed: access denied, validation, wrong state): a leftover at once, and the
 *   same operation is not asked again for that resource during this run's cleanup;
 * - transient (AwsTransient: throttling, 5xx, network): retried in later rounds, at most
 *   MAX_TRIES times within RETRY_WINDOW_SECONDS, then a leftover with the last error;
 * - "not found" is handled by the wrappers (the resource is gone);
 * - accepted: not asked again; the resource is waited for, at most WAIT_LIMIT_SECONDS, then it is
 *   a leftover ("still deleting after ...") and nothing waits for it any longer.
 */
import { AwsCallFailed, AwsTransient } from "../shared/errors.js";
import type { CleanupDocument, CleanupTrack } from "../shared/types.js";

/** Tries of one operation on one resource that failed transiently (each round is one try). */
export const MAX_TRIES = 5;
/** How long transient failures of one operation are retried. */
export const RETRY_WINDOW_SECONDS = 30 * 60;
/** How long cleanup waits for one resource to go away after its deletion was accepted. */
export const WAIT_LIMIT_SECONDS = 2 * 3600;
/** Longest reason kept per leftover (messages of AWS errors can be long). */
export const REASON_CHARS = 600;

/** When a resource waited for is looked at again (CleanupDocument.due). */
type Due = NonNullable<CleanupDocument["due"]>[string];

export type Operation = "delete" | "detach" | "terminate" | "tag" | "describe" | "list";

/**
 * What a changing call returns when AWS answered "not in this state" for a reason that passes
 * (e.g. FileSystemInUse while mount targets are still deleting): neither accepted nor refused,
 * asked again next round; the caller waits.
 */
export const NOT_YET: unique symbol = Symbol("not yet");

const bounded = (text: string): string =>
  text.length > REASON_CHARS ? `${text.slice(0, REASON_CHARS - 3)}...` : text;

const minutes = (seconds: number): string => `${Math.round(seconds / 60)} min`;

export class Ledger {
  readonly deleted = new Set<string>();
  readonly leftovers: string[] = [];
  readonly pending: string[] = [];
  /** Expected seconds until each pending item is over (undefined = unknown), for the next wait. */
  readonly remaining: (number | undefined)[] = [];
  /** Per operation and resource ("<op> <resource>"): tries, acceptance, refusal (kept across rounds). */
  readonly track: Record<string, CleanupTrack>;
  /** Since when each state (pending description) has been waited for, kept across rounds. */
  readonly waiting: Record<string, string> = {};
  /** Per key waited for with an expected time: when to look at it again (kept across rounds). */
  readonly due: Record<string, Due> = {};
  private readonly previousWaits: Record<string, string>;
  private readonly previousDue: Record<string, Due>;
  private readonly resolved = new Set<string>();
  /** Failed calls recorded this round. */
  failures = 0;

  constructor(
    previous: CleanupDocument | undefined,
    readonly now: Date,
  ) {
    this.track = { ...(previous?.track ?? {}) };
    this.previousWaits = previous?.waiting ?? {};
    this.previousDue = previous?.due ?? {};
  }

  /**
   * Whether `key`, waited for in an earlier round, is not due for a look yet (half its expected
   * time has not passed): then it stays pending, in the same wait and bound, without a call.
   */
  notDue(key: string): boolean {
    const due = this.previousDue[key];
    const now = this.now.getTime();
    if (!due || Date.parse(due.at) <= now) return false;
    // Past the wait's bound: looked at now (and a leftover if still so).
    const since = this.previousWaits[due.what];
    if (since === undefined || now - Date.parse(since) > WAIT_LIMIT_SECONDS * 1000) return false;
    this.due[key] = due;
    this.wait(key, due.what, Math.max(1, (Date.parse(due.until) - now) / 1000));
    return true;
  }

  /** Waits for `key` (pending), unless it has been waited for longer than WAIT_LIMIT_SECONDS. */
  wait(key: string, what: string, remainingSeconds?: number, limitSeconds = WAIT_LIMIT_SECONDS): void {
    // Per state waited for: a resource that moves on (detached, now deleting) is waited for anew.
    const since = this.previousWaits[what] ?? this.now.toISOString();
    this.waiting[what] = since;
    const waited = (this.now.getTime() - Date.parse(since)) / 1000;
    if (waited > limitSeconds) {
      this.leftover(key, `${what}: still so after ${minutes(waited)}; no longer waited for`);
      return;
    }
    this.resolved.add(key);
    this.pending.push(what);
    // Waits grow with the time already waited (a quarter of it), so long waits take few rounds.
    this.remaining.push(Math.max(remainingSeconds ?? 0, waited / 4) || remainingSeconds);
    if (remainingSeconds && limitSeconds === WAIT_LIMIT_SECONDS && !this.due[key]) {
      const at = (seconds: number) => new Date(this.now.getTime() + seconds * 1000).toISOString();
      this.due[key] = { at: at(remainingSeconds / 2), until: at(remainingSeconds), what };
    }
  }

  /** Whether `key` is waited for in this round (a wait beyond its limit is a leftover instead). */
  isPending(key: string): boolean {
    return this.resolved.has(key) && !this.leftovers.some((l) => l.startsWith(`${key}: `));
  }

  /** Leftovers an earlier round found that this round does not look for again (documented.ts). */
  restate(leftovers: readonly string[]): void {
    this.leftovers.push(...leftovers);
  }

  leftover(key: string, reason: string): void {
    this.resolved.add(key);
    this.leftovers.push(bounded(`${key}: ${reason}`));
  }

  /**
   * Runs one changing call (`op` on `key`). True when AWS accepted it, now or in an earlier round
   * (an accepted call is not repeated); false when it failed (a leftover, or pending for a retry).
   */
  async attempt(op: Operation, key: string, call: () => Promise<unknown>): Promise<boolean> {
    return (await this.attemptAll(op, [key], call)).length === 1;
  }

  /**
   * One changing call for several resources (a batch API): `op` on every key of `keys` that was
   * neither accepted nor refused before, all in one `call(asked)`. Returns the keys AWS accepted,
   * now or in an earlier round (none of the asked when the call returns NOT_YET); the call's
   * failure is each asked key's own, as in attempt.
   */
  async attemptAll(
    op: Operation,
    keys: readonly string[],
    call: (asked: string[]) => Promise<unknown>,
  ): Promise<string[]> {
    const before: string[] = [];
    const asked: string[] = [];
    for (const key of keys) {
      const t = this.track[`${op} ${key}`];
      if (t?.accepted && op !== "tag") before.push(key);
      else if (t?.refused) this.leftover(key, t.refused);
      else asked.push(key);
    }
    if (asked.length === 0) return before;
    try {
      if ((await call(asked)) === NOT_YET) return before;
    } catch (err) {
      for (const key of asked) this.failed(op, key, err);
      return before;
    }
    for (const key of asked) {
      const id = `${op} ${key}`;
      this.track[id] = {
        ...(this.track[id] ?? { tries: 0, since: this.now.toISOString() }),
        accepted: this.now.toISOString(),
      };
      if (op === "delete" || op === "terminate") this.deleted.add(key);
    }
    return [...before, ...asked];
  }

  /**
   * Runs a call that only reads (describe, list). Its failure makes every key in `keys` a leftover
   * (refused) or pending for a retry (transient): what cannot be seen cannot be deleted safely.
   */
  async read<T>(keys: string[], op: Operation, call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (err) {
      for (const key of keys) this.failed(op, key, err);
      return undefined;
    }
  }

  /** Records the failure of `op` on `key`: refused, or transient within the bounds. */
  failed(op: Operation, key: string, err: unknown): void {
    this.failures += 1;
    const id = `${op} ${key}`;
    // drctl's AWS errors name the call, the resource and AWS's error code; others get their name.
    const aws = err instanceof AwsTransient || err instanceof AwsCallFailed;
    const message = err instanceof Error ? (aws ? err.message : `${err.name}: ${err.message}`) : String(err);
    const t = this.track[id] ?? { tries: 0, since: this.now.toISOString() };
    const tries = t.tries + 1;
    const elapsed = (this.now.getTime() - Date.parse(t.since)) / 1000;
    if (err instanceof AwsTransient && tries < MAX_TRIES && elapsed < RETRY_WINDOW_SECONDS) {
      this.track[id] = { ...t, tries, error: bounded(message) };
      this.resolved.add(key);
      this.pending.push(`${key}: ${op} retried after ${message.slice(0, 120)}`);
      this.remaining.push(15 * 2 ** (tries - 1));
      return;
    }
    const reason = err instanceof AwsTransient ? `${op} failed ${tries} times: ${message}` : message;
    // Reads are asked again next round (a refused describe may be a passing state); changes are not.
    this.track[id] =
      op === "describe" || op === "list" ? { ...t, tries } : { ...t, tries, refused: bounded(reason) };
    this.leftover(key, reason);
  }
}
