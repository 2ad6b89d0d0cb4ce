/**
 * Discrete-event scheduler over the sandbox's virtual clock.
 *
 * Every execution branch is a thread. A thread that reaches a Wait state or a Retry interval
 * sleeps until a virtual instant; a thread running a Lambda handler is active. In `instant` mode
 * the clock jumps to the earliest wake-up only when no handler is running anywhere (so parallel
 * branches that wait concurrently overlap instead of adding up, and nothing sleeps in real time).
 * In `paced` mode the clock follows wall time at `speed` simulated seconds per second and sleepers
 * wake when the clock reaches them (the standalone sandbox, polled by outside clients).
 */

/** What the scheduler needs from the virtual clock (milliseconds since the epoch). */
export interface TimeSource {
  nowMs(): number;
  advanceToMs(ms: number): void;
}

/**
 * instant: the clock jumps to the next wake-up whenever no handler runs.
 * paced: the clock flows by itself (VirtualClock.runWithWall); sleepers wake when it reaches them.
 */
export type SchedulerMode = { kind: "instant" } | { kind: "paced"; tickMs?: number };

/** Adapts the sandbox's VirtualClock (scripts/sandbox/clock.ts). */
export function timeSourceOf(clock: { nowMs(): number; advanceTo(ms: number): unknown }): TimeSource {
  return { nowMs: () => clock.nowMs(), advanceToMs: (ms) => void clock.advanceTo(ms) };
}

export interface Sleeper {
  readonly wakeAtMs: number;
  /** Resolves when the clock reached `wakeAtMs` (never, if cancelled). */
  readonly promise: Promise<void>;
  readonly woken: boolean;
  readonly cancelled: boolean;
}

interface SleeperImpl extends Sleeper {
  woken: boolean;
  cancelled: boolean;
  resolve: () => void;
  onWake: (() => void)[];
  seq: number;
}

export class Scheduler {
  private active = 0;
  private readonly sleepers = new Set<SleeperImpl>();
  private seq = 0;
  private checkQueued = false;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Instants the clock may not jump past (instant mode): invocations still running until then. */
  private readonly caps = new Set<{ untilMs: number }>();

  constructor(
    readonly time: TimeSource,
    readonly mode: SchedulerMode = { kind: "instant" },
  ) {
    if (mode.kind === "paced") {
      this.timer = setInterval(() => this.wakeDue(), mode.tickMs ?? 50);
    }
  }

  nowMs(): number {
    return this.time.nowMs();
  }

  /** Number of handlers running (tests, diagnostics). */
  get activeCount(): number {
    return this.active;
  }

  get pendingCount(): number {
    return this.sleepers.size;
  }

  /** A thread starts running a handler: the clock does not jump while any handler runs. */
  enter(): void {
    this.active += 1;
  }

  exit(): void {
    this.active -= 1;
    if (this.active < 0) throw new Error("scheduler: exit() without enter()");
    this.queueCheck();
  }

  /** Registers a wake-up at `wakeAtMs`; the caller awaits `promise` when it must block. */
  sleepUntil(wakeAtMs: number, onWake?: () => void): Sleeper {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => {
      resolve = r;
    });
    const s: SleeperImpl = {
      wakeAtMs,
      promise,
      woken: false,
      cancelled: false,
      resolve,
      onWake: onWake ? [onWake] : [],
      seq: this.seq++,
    };
    this.sleepers.add(s);
    if (wakeAtMs <= this.time.nowMs()) this.wake(s);
    else this.queueCheck();
    return s;
  }

  /** Adds a callback run (synchronously) when the sleeper wakes; runs it at once if it already did. */
  onWake(sleeper: Sleeper, fn: () => void): void {
    const s = sleeper as SleeperImpl;
    if (s.woken) fn();
    else if (!s.cancelled) s.onWake.push(fn);
  }

  /** Forgets a sleeper: its promise never resolves (the branch was aborted). */
  cancel(sleeper: Sleeper): void {
    const s = sleeper as SleeperImpl;
    if (s.woken || s.cancelled) return;
    s.cancelled = true;
    this.sleepers.delete(s);
    this.queueCheck();
  }

  /**
   * Instant mode: until `release()`, the clock jumps no further than `untilMs`. A Lambda invocation
   * that outlived its Task runs on in real time, but no longer than the function's own timeout:
   * simulated time stops there until it has ended.
   */
  cap(untilMs: number): () => void {
    const c = { untilMs };
    this.caps.add(c);
    return () => {
      if (this.caps.delete(c)) this.queueCheck();
    };
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private wake(s: SleeperImpl): void {
    if (s.woken || s.cancelled) return;
    s.woken = true;
    this.sleepers.delete(s);
    for (const fn of s.onWake) fn();
    s.resolve();
  }

  private wakeDue(): void {
    const now = this.time.nowMs();
    const due = [...this.sleepers].filter((s) => s.wakeAtMs <= now).sort(bySchedule);
    for (const s of due) this.wake(s);
  }

  /**
   * Checks after the current macrotask, so that everything the library does in microtasks
   * (state transitions, event logs) settles before the clock moves.
   */
  private queueCheck(): void {
    if (this.checkQueued || this.closed || this.mode.kind !== "instant") return;
    this.checkQueued = true;
    setImmediate(() => {
      this.checkQueued = false;
      this.advanceIfIdle();
    });
  }

  private advanceIfIdle(): void {
    if (this.active > 0 || this.sleepers.size === 0) return;
    const next = [...this.sleepers].sort(bySchedule)[0];
    if (!next) return;
    const cap = Math.min(...[...this.caps].map((c) => c.untilMs));
    if (next.wakeAtMs > cap) return; // a release() looks again
    if (next.wakeAtMs > this.time.nowMs()) this.time.advanceToMs(next.wakeAtMs);
    this.wakeDue();
    // Woken threads run in microtasks; look again once they settled.
    this.queueCheck();
  }
}

function bySchedule(a: SleeperImpl, b: SleeperImpl): number {
  return a.wakeAtMs - b.wakeAtMs || a.seq - b.seq;
}
