import { ROOT_SCOPE } from "./definition.js";
import type { ExecutionDeps, ExecutionRecord, TaskTrack, Thread } from "./execution-types.js";
import type { RecordInit, ResumePoint } from "./redrive.js";
import { contextObjectOf } from "./task-support.js";

export abstract class ExecutionState {
  readonly record: ExecutionRecord;
  protected readonly threads = new Map<string, Thread>();
  protected readonly tasks = new Map<string, TaskTrack>();
  /** Latest Task result per branch and ResultPath (source of Wait durations). */
  protected readonly results = new Map<string, unknown>();
  /** Each state's latest input as it entered (TimeoutSecondsPath and the like read it). */
  protected readonly stateInputs = new Map<string, unknown>();
  /** Parallel states (by name) whose current run has started / failed. */
  protected readonly parallelStarted = new Set<string>();
  protected readonly parallelFailed = new Set<string>();
  protected stopReason:
    | { status: "ABORTED" | "TIMED_OUT" | "FAILED"; error?: string; cause?: string }
    | undefined;
  /** Set while the terminal event is appended (nothing else is, once the execution stopped). */
  protected closing = false;
  protected resolveDone!: () => void;

  constructor(
    protected readonly deps: ExecutionDeps,
    init: RecordInit,
    /** A redrive: the run starts here, and its history goes on from the previous attempt's. */
    protected readonly resume?: ResumePoint,
  ) {
    const done = new Promise<void>((r) => {
      this.resolveDone = r;
    });
    const { history = [], redriveCount = 0, redriveTokens = [] } = init;
    const fresh = { status: "RUNNING" as const, warnings: [], detached: [], done };
    this.record = { ...init, ...fresh, history, redriveCount, redriveTokens };
    if (resume) this.thread(ROOT_SCOPE).lastEventId = history.length; // ExecutionRedriven follows it
    for (const [key, value] of resume?.results ?? []) this.results.set(key, value);
  }

  protected get now(): number {
    return this.deps.scheduler.nowMs();
  }

  /** StopExecution, a timeout, or a terminal error no catcher handles (ExecutionRunner). */
  abstract stop(status: "ABORTED" | "TIMED_OUT" | "FAILED", error?: string, cause?: string): void;

  /** Stamps and records a branch's held events when it wakes (ExecutionEvents). */
  protected abstract flush(t: Thread): void;

  protected contextObject(stateName?: string, token?: string): Record<string, unknown> {
    const t = stateName === undefined ? undefined : this.tasks.get(stateName);
    const retries = t ? t.attempts.reduce((x, y) => x + y, 0) : 0;
    return contextObjectOf(this.record, stateName, t?.enteredAtMs ?? this.now, retries, token);
  }

  // ---- Threads and virtual time ---------------------------------------------------------------

  protected thread(scope: string): Thread {
    let t = this.threads.get(scope);
    if (!t) {
      t = { scope, holding: false, held: [], aborted: false };
      this.threads.set(scope, t);
    }
    return t;
  }

  protected threadOfState(stateName: string): Thread {
    return this.thread(this.deps.index.states.get(stateName)?.scope ?? ROOT_SCOPE);
  }

  /** The branch sleeps `ms` from now (or from the end of a sleep it has not finished yet). */
  protected sleepThread(t: Thread, ms: number): void {
    const { scheduler } = this.deps;
    let from = this.now;
    if (t.sleeper && !t.sleeper.woken && !t.sleeper.cancelled) {
      from = Math.max(from, t.sleeper.wakeAtMs);
      scheduler.cancel(t.sleeper);
    }
    const sleeper = scheduler.sleepUntil(from + Math.max(0, Math.round(ms)));
    t.sleeper = sleeper;
    scheduler.onWake(sleeper, () => this.flush(t));
  }

  protected abortThread(t: Thread): void {
    t.aborted = true;
    t.held = [];
    t.holding = false;
    if (t.sleeper) this.deps.scheduler.cancel(t.sleeper);
  }

  protected warn(message: string): void {
    if (!this.record.warnings.includes(message)) this.record.warnings.push(message);
  }
}
