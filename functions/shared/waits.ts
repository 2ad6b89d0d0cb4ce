/**
 * Adaptive waits for the Wait → Task → Choice loops: each Task returns the seconds the next Wait
 * pauses, from what it knows about the work still running. Short when something is about to
 * finish, long when everything will take a while, a middle value when nothing is known.
 */

export interface WaitOptions {
  /** Shortest wait (also used when something is expected to finish within `soonSeconds`). */
  minSeconds: number;
  /** Longest wait. */
  maxSeconds: number;
  /** Wait when no remaining time is known. */
  unknownSeconds: number;
  /** Work expected to finish within this many seconds makes the wait `minSeconds`. */
  soonSeconds: number;
}

export const DEFAULT_WAIT: WaitOptions = {
  minSeconds: 15,
  maxSeconds: 300,
  unknownSeconds: 30,
  soonSeconds: 60,
};

export const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));

/**
 * Seconds until the next check, given the seconds each piece of running work is expected to
 * still need (undefined = unknown; negative = overdue). The nearest expected end wins:
 * `min` when it is within `soon`, else the time to it clamped to [min, max];
 * `unknown` when no estimate is known. Always a positive integer (Wait SecondsPath).
 */
export function adaptiveWait(
  remainingSeconds: readonly (number | undefined)[],
  options: Partial<WaitOptions> = {},
): number {
  const o = { ...DEFAULT_WAIT, ...options };
  const known = remainingSeconds.filter((s): s is number => s !== undefined && Number.isFinite(s));
  if (known.length === 0) return Math.max(1, Math.round(o.unknownSeconds));
  const nearest = Math.min(...known);
  if (nearest <= o.soonSeconds) return Math.max(1, Math.round(o.minSeconds));
  return Math.max(1, Math.ceil(clamp(nearest, o.minSeconds, o.maxSeconds)));
}

/**
 * Expected seconds left for work that started at `startedAt`, from an expected duration
 * (`expectedMinutes`, counted from the start) or else from a percentage done and the elapsed
 * time (linear extrapolation). Undefined when neither gives an estimate.
 */
export function expectedRemainingSeconds(input: {
  startedAt: Date;
  now: Date;
  expectedMinutes?: number | undefined;
  percentDone?: number | undefined;
}): number | undefined {
  const elapsed = (input.now.getTime() - input.startedAt.getTime()) / 1000;
  if (input.expectedMinutes !== undefined && input.expectedMinutes > 0) {
    return input.expectedMinutes * 60 - elapsed;
  }
  const pct = input.percentDone;
  if (pct !== undefined && pct > 0 && elapsed > 0) {
    if (pct >= 100) return 0;
    return (elapsed * 100) / pct - elapsed;
  }
  return undefined;
}

/**
 * Wait for work that gives no estimate but usually takes minutes (a CloudFormation stack):
 * a fraction of the time it has been running, clamped; short at first, longer as it goes on.
 */
export function elapsedBackoff(
  elapsedSeconds: number,
  options: { minSeconds?: number; maxSeconds?: number; fraction?: number } = {},
): number {
  const { minSeconds = 15, maxSeconds = 60, fraction = 0.2 } = options;
  return Math.max(1, Math.round(clamp(elapsedSeconds * fraction, minSeconds, maxSeconds)));
}

/**
 * Restore polling bounds (PollRestores): floor, ceiling, and the fraction of a job's running time.
 * One ListRestoreJobs covers every job of the run, so a tick costs one call whatever the number of
 * restores: the ceiling keeps a completion noticed within a minute and a half.
 */
export const RESTORE_POLL = { floorSeconds: 15, ceilingSeconds: 90, fraction: 0.1 } as const;

/**
 * Seconds until the next look at a restore job that has existed `elapsedSeconds` (since its
 * CreationDate). AWS Backup's progress fields are often absent, stuck at 0.00% or coarse, and its
 * estimate can be wrong, so none of them may lengthen the wait: it is at most `fraction` of the
 * job's age, within [floor, ceiling]. A completion is therefore noticed at most
 * max(floor, min(ceiling, fraction × the job's duration)) after it happens, and a job is looked at
 * about log(age)/log(1 + fraction) times while young, then once per ceiling. An estimate of the
 * time left (`remainingSeconds`) only shortens the wait, to look right after the expected end.
 */
export function restorePollWait(
  elapsedSeconds: number,
  remainingSeconds: number | undefined,
  bounds: { floorSeconds: number; ceilingSeconds: number; fraction: number } = RESTORE_POLL,
): number {
  const cap = clamp(
    Math.max(0, elapsedSeconds) * bounds.fraction,
    bounds.floorSeconds,
    bounds.ceilingSeconds,
  );
  const wait =
    remainingSeconds === undefined || !Number.isFinite(remainingSeconds) || remainingSeconds <= 0
      ? cap
      : clamp(remainingSeconds, bounds.floorSeconds, cap);
  return Math.max(1, Math.ceil(wait));
}
