/**
 * One Step Functions execution, run by aws-local-stepfunctions with:
 * - Task states bound to in-process Lambda handlers (LambdaRegistry);
 * - Wait states and Retry intervals on the virtual clock (Scheduler), read through the engine's
 *   `waitTimeOverrides` / `retryIntervalOverrides` lookups, which it performs at the moment a
 *   Wait starts or a retry is decided: the lookup returns 0 ms and registers a wake-up, and the
 *   branch's next Task invocation blocks until the clock reaches it;
 * - a history in the GetExecutionHistory format, built from the engine's event log with virtual
 *   timestamps (events of a sleeping branch are held and stamped when it wakes).
 */
import { setImmediate as nextMacrotask } from "node:timers/promises";
import type { HistoryEvent } from "@aws-sdk/client-sfn";
import { type RunOptions, StateMachine } from "aws-local-stepfunctions";
import { awaitCallback, callbackOf } from "./callback-task.js";
import {
  type AslDefinition,
  type AslState,
  type DefinitionIndex,
  engineDefinition,
  isRedriveHelper,
  pathSegments,
  ROOT_SCOPE,
} from "./definition.js";
import { invokeLambda, LAMBDA_TIMEOUT_MARGIN_SECONDS } from "./lambda-invoke.js";
import type { LambdaRegistry } from "./lambda-registry.js";
import {
  DATA_LIMIT_EXCEEDED,
  dataLimitCause,
  HISTORY_LIMIT,
  handling,
  MAX_HISTORY_EVENTS,
  tooLarge,
  withStepFunctionsMatching,
} from "./limits.js";
import type { RecordInit, ResumePoint } from "./redrive.js";
import type { Scheduler, Sleeper } from "./scheduler.js";
import { type TaskEvent, type TaskEvents, taskEvents } from "./task-events.js";
import {
  causeText,
  contextObjectOf,
  fixContextReferences,
  lambdaErrorCause,
  named,
  never,
  resultKey,
  retryDelay,
  TaskError,
} from "./task-support.js";
import { CallbackFailure, type TaskTokens } from "./task-tokens.js";

export { fixContextReferences, lambdaErrorCause, TaskError };

export type ExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "ABORTED" | "TIMED_OUT";

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  stateMachineName: string;
  name: string;
  roleArn: string;
  input: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  history: HistoryEvent[];
  /** Emulation caveats noticed while running (a Wait duration it could not derive, ...). */
  warnings: string[];
  /** Lambda invocations whose Task timed out and that still ran on; each settles when it ends. */
  detached: Promise<void>[];
  /** Resolves when the execution reached a terminal status. */
  done: Promise<void>;
  /** Times redriven (redrive.ts), when last, and the clientTokens of the last redrives. */
  redriveCount: number;
  redriveDate?: Date;
  redriveTokens: { token: string; firstUsedMs: number; redriveDate: Date }[];
}

interface LibEvent {
  type: string;
  timestamp: number;
  state?: { name: string; type: string; input: unknown; output?: unknown };
  parentState?: { name: string; type: string; input: unknown };
  input?: unknown;
  output?: unknown;
  Error?: string;
  Cause?: unknown;
  index?: number;
}

interface Thread {
  scope: string;
  /** Pending wake-up (Wait or Retry interval) the branch's next Task waits for. */
  sleeper?: Sleeper;
  holding: boolean;
  held: LibEvent[];
  lastEventId?: number;
  aborted: boolean;
}

interface TaskTrack {
  attempts: number[];
  retryPending: boolean;
  /** Error of the last failed invocation, until the engine asked whether to retry it. */
  lastError?: string;
  /** The wrapper already recorded the failure event (LambdaFunctionFailed, …) for the engine's next StateFailed event. */
  failureRecorded: boolean;
  enteredAtMs: number;
}

export interface ExecutionDeps {
  index: DefinitionIndex;
  scheduler: Scheduler;
  registry: LambdaRegistry;
  region: string;
  tokens: TaskTokens;
}

export class ExecutionRunner {
  readonly record: ExecutionRecord;
  private readonly threads = new Map<string, Thread>();
  private readonly tasks = new Map<string, TaskTrack>();
  /** Latest Task result per branch and ResultPath (source of Wait durations). */
  private readonly results = new Map<string, unknown>();
  /** Each state's latest input as it entered (TimeoutSecondsPath and the like read it). */
  private readonly stateInputs = new Map<string, unknown>();
  /** Parallel states (by name) whose current run has started / failed. */
  private readonly parallelStarted = new Set<string>();
  private readonly parallelFailed = new Set<string>();
  private abortFn: (() => void) | undefined;
  private stopReason:
    | { status: "ABORTED" | "TIMED_OUT" | "FAILED"; error?: string; cause?: string }
    | undefined;
  /** Set while the terminal event is appended (nothing else is, once the execution stopped). */
  private closing = false;
  private deadline: Sleeper | undefined;
  private finished = false;
  private resolveDone!: () => void;
  private wakeFinish: () => void = () => undefined;
  /** Resolves when the execution is stopped (finish() then waits for no sleeping branch). */
  private readonly stopped = new Promise<void>((r) => {
    this.wakeFinish = r;
  });

  constructor(
    private readonly deps: ExecutionDeps,
    init: RecordInit,
    /** A redrive: the run starts here, and its history goes on from the previous attempt's. */
    private readonly resume?: ResumePoint,
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

  private get now(): number {
    return this.deps.scheduler.nowMs();
  }

  /** Starts the execution; returns at once (the run continues in the background). */
  start(): void {
    const { index, scheduler } = this.deps;
    const def = index.definition as AslDefinition;
    const engineDef = engineDefinition(this.resume?.definition ?? def);
    if (this.resume) engineDef.StartAt = this.resume.startAt;
    const machine = new StateMachine(engineDef as never, { validationOptions: { noValidate: true } });
    const input: unknown = this.resume ? this.resume.input : JSON.parse(this.record.input);
    const runOptions: RunOptions = {
      noThrowOnAbort: true,
      context: this.contextObject() as never,
      overrides: {
        taskResourceLocalHandlers: this.taskHandlers() as never,
        waitTimeOverrides: this.waitOverrides(),
        retryIntervalOverrides: this.retryOverrides(),
      },
    };
    if (typeof def.TimeoutSeconds === "number") {
      // DescribeExecution of a timed-out execution shows neither error nor cause.
      // A redrive counts the execution's TimeoutSeconds again from the redrive.
      const from = (this.record.redriveDate ?? this.record.startDate).getTime();
      this.deadline = scheduler.sleepUntil(from + def.TimeoutSeconds * 1000, () => this.stop("TIMED_OUT"));
    }
    const run = machine.run(input as never, runOptions);
    this.abortFn = run.abort;
    const consumed = this.consume(run.eventLogs as AsyncGenerator<LibEvent>);
    void this.finish(run.result, consumed);
  }

  /**
   * StopExecution, the execution's TimeoutSeconds reached on the virtual clock, or a terminal
   * error no catcher handles (FAILED: payload or history quota).
   */
  stop(status: "ABORTED" | "TIMED_OUT" | "FAILED", error?: string, cause?: string): void {
    if (this.finished || this.stopReason) return;
    this.stopReason = {
      status,
      ...(error !== undefined && { error }),
      ...(cause !== undefined && { cause }),
    };
    this.wakeFinish();
    this.deps.tokens.closeExecution(this.record.executionArn);
    for (const t of this.threads.values()) this.abortThread(t);
    this.abortFn?.();
  }

  private async finish(result: Promise<unknown>, consumed: Promise<void>): Promise<void> {
    let outcome: { ok: true; output: unknown } | { ok: false; error: string; cause: string };
    try {
      outcome = { ok: true, output: await result };
    } catch (e) {
      const inner = (e as { cause?: unknown }).cause ?? e;
      const err = inner instanceof Error ? inner : new Error(String(inner));
      const cause = (err as { cause?: unknown }).cause ?? err.message;
      outcome = {
        ok: false,
        error: err.name,
        cause: typeof cause === "string" ? cause : JSON.stringify(cause),
      };
    }
    await consumed;
    // A branch that is still held (it ended right after a Wait) is flushed at its wake-up.
    for (const t of this.threads.values()) {
      const asleep = t.sleeper && !t.sleeper.woken && !t.sleeper.cancelled && !t.aborted;
      if (asleep) await Promise.race([t.sleeper?.promise, this.stopped]); // a stop cancels the wake-up
    }
    this.finished = true;
    if (this.deadline) this.deps.scheduler.cancel(this.deadline);
    const r = this.record;
    r.stopDate = new Date(this.now);
    if (this.stopReason) {
      r.status = this.stopReason.status;
      if (this.stopReason.error !== undefined) r.error = this.stopReason.error;
      if (this.stopReason.cause !== undefined) r.cause = this.stopReason.cause;
      const details = {
        ...(r.error !== undefined && { error: r.error }),
        ...(r.cause !== undefined && { cause: r.cause }),
      };
      this.closing = true;
      if (r.status === "ABORTED")
        this.append(ROOT_SCOPE, "ExecutionAborted", { executionAbortedEventDetails: details });
      else if (r.status === "FAILED")
        this.append(ROOT_SCOPE, "ExecutionFailed", { executionFailedEventDetails: details });
      else this.append(ROOT_SCOPE, "ExecutionTimedOut", { executionTimedOutEventDetails: details });
    } else if (outcome.ok) {
      r.status = "SUCCEEDED";
      r.output = JSON.stringify(outcome.output ?? null);
    } else {
      r.status = "FAILED";
      r.error = outcome.error;
      if (outcome.cause) r.cause = outcome.cause;
    }
    this.resolveDone();
  }

  // ---- Context object -------------------------------------------------------------------------

  private contextObject(stateName?: string, token?: string): Record<string, unknown> {
    const t = stateName === undefined ? undefined : this.tasks.get(stateName);
    const retries = t ? t.attempts.reduce((x, y) => x + y, 0) : 0;
    return contextObjectOf(this.record, stateName, t?.enteredAtMs ?? this.now, retries, token);
  }

  // ---- Threads and virtual time ---------------------------------------------------------------

  private thread(scope: string): Thread {
    let t = this.threads.get(scope);
    if (!t) {
      t = { scope, holding: false, held: [], aborted: false };
      this.threads.set(scope, t);
    }
    return t;
  }

  private threadOfState(stateName: string): Thread {
    return this.thread(this.deps.index.states.get(stateName)?.scope ?? ROOT_SCOPE);
  }

  /** The branch sleeps `ms` from now (or from the end of a sleep it has not finished yet). */
  private sleepThread(t: Thread, ms: number): void {
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

  private abortThread(t: Thread): void {
    t.aborted = true;
    t.held = [];
    t.holding = false;
    if (t.sleeper) this.deps.scheduler.cancel(t.sleeper);
  }

  private waitOverrides(): Record<string, number> {
    return new Proxy({} as Record<string, number>, {
      get: (_target, prop) => {
        if (typeof prop !== "string") return undefined;
        const src = this.deps.index.waits.get(prop);
        if (!src) return undefined;
        const t = this.threadOfState(prop);
        const ms = this.waitMillis(prop);
        this.sleepThread(t, ms);
        return 0;
      },
    });
  }

  private waitMillis(stateName: string): number {
    const src = this.deps.index.waits.get(stateName);
    if (!src) return 0;
    switch (src.kind) {
      case "seconds":
        return src.seconds * 1000;
      case "timestamp":
        return Math.max(0, Date.parse(src.timestamp) - this.now);
      case "result": {
        const scope = this.deps.index.states.get(stateName)?.scope ?? ROOT_SCOPE;
        const result = this.results.get(resultKey(scope, src.resultPath));
        const value = src.rest.reduce<unknown>(
          (v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined),
          result,
        );
        if (typeof value === "number" && Number.isFinite(value) && value >= 0) return value * 1000;
        this.warn(
          `Wait ${stateName}: no numeric seconds at ${src.resultPath}.${src.rest.join(".")}; waited 0 s`,
        );
        return 0;
      }
      case "unknown":
        this.warn(`Wait ${stateName}: ${src.reason}; waited 0 s`);
        return 0;
    }
  }

  private retryOverrides(): Record<string, number> {
    return new Proxy({} as Record<string, number>, {
      get: (_target, prop) => {
        if (typeof prop !== "string") return undefined;
        const track = this.tasks.get(prop);
        if (track?.lastError !== undefined) {
          const error = track.lastError;
          delete track.lastError;
          const info = this.deps.index.states.get(prop);
          const key = `${this.record.executionArn}|${prop}`;
          const delay = info ? retryDelay(info.def.Retry ?? [], track.attempts, error, key) : undefined;
          if (delay !== undefined) {
            track.retryPending = true;
            this.sleepThread(this.threadOfState(prop), delay);
          }
        }
        // Never let the engine sleep in real time.
        return 0;
      },
    });
  }

  // ---- Task handlers --------------------------------------------------------------------------

  private taskHandlers(): Record<string, (input: unknown) => Promise<unknown>> {
    const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const info of this.deps.index.states.values()) {
      if (info.type === "Task") handlers[info.name] = (input) => this.invokeTask(info.name, info.def, input);
    }
    return handlers;
  }

  private async invokeTask(stateName: string, def: AslState, rawInput: unknown): Promise<unknown> {
    const { scheduler, region } = this.deps;
    const t = this.threadOfState(stateName);
    if (t.aborted || this.stopReason) return never();
    if (t.sleeper && !t.sleeper.woken) await t.sleeper.promise;
    if (t.aborted || this.stopReason) return never();
    let track = this.tasks.get(stateName);
    if (!track?.retryPending) {
      track = {
        attempts: (def.Retry ?? []).map(() => 0),
        retryPending: false,
        failureRecorded: false,
        enteredAtMs: this.now,
      };
      this.tasks.set(stateName, track);
    }
    track.retryPending = false;
    scheduler.enter();
    try {
      // Let the engine's event log catch up (TaskStateEntered precedes the scheduled event).
      await nextMacrotask();
      const events = taskEvents(def.Resource ?? "", region);
      const write = (e: TaskEvent) => this.append(t.scope, e.type, e.details);
      let output: string;
      try {
        const where = { executionArn: this.record.executionArn, stateName, region };
        const cb = callbackOf(def, this.stateInputs.get(stateName), this.deps.tokens, where);
        const input = fixContextReferences(
          def.Parameters,
          structuredClone(rawInput),
          this.contextObject(stateName, cb?.token),
        );
        // A state's input (the previous output) or, after Parameters, the task's input: 256 KB.
        if (tooLarge(JSON.stringify(rawInput ?? null)) || tooLarge(JSON.stringify(input ?? null))) {
          throw named(DATA_LIMIT_EXCEEDED, dataLimitCause(stateName));
        }
        write(events.scheduled(input, cb ? cb.timeoutSeconds : def.TimeoutSeconds));
        write(events.started());
        const call = () => this.invocation(def, input);
        output = await (cb
          ? awaitCallback(cb, call, { ...this.deps, startedAtMs: this.now }, events, write)
          : call());
        if (tooLarge(output)) throw named(DATA_LIMIT_EXCEEDED, events.resultTooLargeCause());
      } catch (e) {
        if (t.aborted || this.stopReason) return never();
        return this.taskFailed(stateName, def, e, events, write);
      }
      if (t.aborted || this.stopReason) return never();
      write(events.succeeded(output));
      const parsed: unknown = JSON.parse(output);
      if (def.ResultPath !== null && def.ResultSelector === undefined) {
        const rp = def.ResultPath ?? "$";
        if (pathSegments(rp)) this.results.set(resultKey(t.scope, rp), parsed);
      }
      return parsed;
    } finally {
      scheduler.exit();
    }
  }

  /**
   * One Lambda invocation: its result, or its error; past the Task's TimeoutSeconds States.Timeout
   * while the invocation goes on (its effects land, its result is discarded; the retry may overlap
   * it, but simulated time passes its function timeout only once it has ended).
   */
  private async invocation(def: AslState, input: unknown): Promise<string> {
    const { registry, scheduler } = this.deps;
    const seconds = def.TimeoutSeconds;
    const startedMs = this.now;
    const invocation = invokeLambda(registry, def.Resource ?? "", input, seconds && seconds * 1000);
    const outcome = await invocation.outcome;
    if (outcome.kind === "result") return outcome.output;
    if (outcome.kind === "error") throw outcome.error;
    const lambdaEnd = startedMs + ((seconds ?? 0) + LAMBDA_TIMEOUT_MARGIN_SECONDS) * 1000;
    void invocation.settled.then(scheduler.cap(lambdaEnd));
    this.record.detached.push(invocation.settled);
    throw named("States.Timeout", "");
  }

  /** Records a Task's failure and hands the engine an error it retries or catches only as AWS would. */
  private taskFailed(
    stateName: string,
    def: AslState,
    e: unknown,
    events: TaskEvents,
    write: (e: TaskEvent) => void,
  ): Promise<never> {
    const { name, cause: lambdaCause } = lambdaErrorCause(e);
    const timeout = name === "States.Timeout" || name === "States.HeartbeatTimeout";
    const own =
      timeout || [DATA_LIMIT_EXCEEDED, "States.Runtime"].includes(name) || e instanceof CallbackFailure;
    const cause = own && e instanceof Error ? e.message : lambdaCause;
    write(timeout ? events.timedOut(name) : events.failed(name, cause));
    const handled = handling(def, name);
    if (name === DATA_LIMIT_EXCEEDED && !handled.isRetryable && !handled.isCatchable) {
      // Terminal: States.ALL neither retries nor catches it (nor an enclosing Parallel's Catch).
      this.stop("FAILED", name, cause);
      return never();
    }
    const track = this.tasks.get(stateName);
    if (track) {
      track.failureRecorded = true;
      track.lastError = name;
    }
    throw withStepFunctionsMatching(new TaskError(name, cause), def, name);
  }

  // ---- History --------------------------------------------------------------------------------

  private warn(message: string): void {
    if (!this.record.warnings.includes(message)) this.record.warnings.push(message);
  }

  private async consume(events: AsyncGenerator<LibEvent>): Promise<void> {
    for await (const ev of events) this.onEvent(ev);
  }

  private scopeOf(ev: LibEvent): string {
    const name = ev.state?.name ?? ev.parentState?.name;
    if (name === undefined) return ROOT_SCOPE;
    return this.deps.index.states.get(name)?.scope ?? ROOT_SCOPE;
  }

  private onEvent(ev: LibEvent): void {
    if (isRedriveHelper(ev.state?.name)) return;
    if (ev.type === "StateEntered" && ev.state) this.stateInputs.set(ev.state.name, ev.state.input);
    const t = this.thread(this.scopeOf(ev));
    if (t.aborted && ev.type !== "ExecutionStarted") return;
    if (t.holding) {
      t.held.push(ev);
      return;
    }
    const sleeping = t.sleeper !== undefined && !t.sleeper.woken && !t.sleeper.cancelled;
    if (sleeping && ev.type === "StateExited" && ev.state?.type === "Wait") {
      t.holding = true;
      t.held.push(ev);
      return;
    }
    if (sleeping && ev.type === "StateRetried") {
      t.holding = true;
      return;
    }
    this.convert(t, ev);
  }

  private flush(t: Thread): void {
    if (!t.holding) return;
    t.holding = false;
    const held = t.held;
    t.held = [];
    for (const ev of held) this.convert(t, ev);
  }

  private convert(t: Thread, ev: LibEvent): void {
    const s = ev.state;
    switch (ev.type) {
      case "ExecutionStarted":
        if (this.resume) {
          const redriveCount = this.record.redriveCount;
          this.append(t.scope, "ExecutionRedriven", { executionRedrivenEventDetails: { redriveCount } });
          return;
        }
        this.append(t.scope, "ExecutionStarted", {
          executionStartedEventDetails: {
            input: this.record.input,
            inputDetails: { truncated: false },
            roleArn: this.record.roleArn,
          },
        });
        return;
      case "ExecutionSucceeded":
        this.append(t.scope, "ExecutionSucceeded", {
          executionSucceededEventDetails: {
            output: JSON.stringify(ev.output ?? null),
            outputDetails: { truncated: false },
          },
        });
        return;
      case "ExecutionFailed": {
        const cause = causeText(ev.Cause);
        const details = { error: ev.Error ?? "States.Runtime", ...(cause && { cause }) };
        this.append(t.scope, "ExecutionFailed", { executionFailedEventDetails: details });
        return;
      }
      case "StateEntered":
        if (!s) return;
        if (s.type === "Parallel" || s.type === "Map") {
          this.parallelStarted.delete(s.name);
          this.parallelFailed.delete(s.name);
        }
        this.append(t.scope, `${s.type}StateEntered`, {
          stateEnteredEventDetails: {
            name: s.name,
            input: JSON.stringify(s.input),
            inputDetails: { truncated: false },
          },
        });
        return;
      case "StateExited":
        if (!s || s.type === "Fail") return;
        if (tooLarge(JSON.stringify(s.output ?? null))) {
          this.stop("FAILED", DATA_LIMIT_EXCEEDED, dataLimitCause(s.name));
          return;
        }
        if ((s.type === "Parallel" || s.type === "Map") && !this.parallelFailed.has(s.name)) {
          this.append(t.scope, `${s.type}StateSucceeded`, {});
        }
        this.append(t.scope, `${s.type}StateExited`, {
          stateExitedEventDetails: {
            name: s.name,
            output: JSON.stringify(s.output ?? null),
            outputDetails: { truncated: false },
          },
        });
        return;
      case "StateFailed": {
        if (!s) return;
        if (s.type === "Task") {
          const track = this.tasks.get(s.name);
          if (track?.failureRecorded) {
            track.failureRecorded = false;
            return;
          }
          const resource = this.deps.index.states.get(s.name)?.def.Resource ?? "";
          const failed = taskEvents(resource, this.deps.region).failed(
            ev.Error ?? "States.TaskFailed",
            causeText(ev.Cause),
          );
          this.append(t.scope, failed.type, failed.details);
        } else if (s.type === "Parallel" || s.type === "Map") {
          this.failParallel(s.name);
          this.append(t.scope, `${s.type}StateFailed`, {});
        }
        return;
      }
      case "ParallelBranchStarted": {
        const p = ev.parentState?.name;
        if (p && !this.parallelStarted.has(p)) {
          this.parallelStarted.add(p);
          this.append(t.scope, "ParallelStateStarted", {});
        }
        return;
      }
      case "MapIterationStarted":
      case "MapIterationSucceeded":
      case "MapIterationFailed": {
        const detailsKey = `${ev.type.charAt(0).toLowerCase()}${ev.type.slice(1)}EventDetails`;
        const p = ev.parentState?.name ?? "";
        if (ev.type === "MapIterationStarted" && !this.parallelStarted.has(p)) {
          this.parallelStarted.add(p);
          this.append(t.scope, "MapStateStarted", {});
        }
        this.append(t.scope, ev.type, { [detailsKey]: { name: p, index: ev.index ?? 0 } });
        return;
      }
      case "ParallelBranchFailed":
        if (ev.parentState) this.failParallel(ev.parentState.name);
        return;
      default:
        // StateRetried, StateCaught, ParallelBranchSucceeded, ExecutionAborted/Timeout: no SFN event.
        return;
    }
  }

  /** A failed branch aborts its siblings: their pending Waits and retries never happen. */
  private failParallel(parallelState: string): void {
    this.parallelFailed.add(parallelState);
    for (const scope of this.deps.index.scopes.values()) {
      if (scope.parallelState === parallelState) {
        for (const t of this.threads.values()) {
          if (t.scope === scope.id || t.scope.startsWith(`${scope.id}/`)) this.abortThread(t);
        }
      }
    }
  }

  private append(scope: string, type: string, details: Record<string, unknown>): void {
    const history = this.record.history;
    // Once stopped, only the terminal event; event 25,000 is ExecutionSucceeded or the failure.
    if (this.stopReason && !this.closing) return;
    if (history.length >= MAX_HISTORY_EVENTS - 1 && !this.closing && type !== "ExecutionSucceeded") {
      this.stop("FAILED", HISTORY_LIMIT.error, HISTORY_LIMIT.cause);
      return;
    }
    const id = history.length + 1;
    const prev = this.previousId(scope);
    const event = {
      timestamp: new Date(this.now),
      type,
      id,
      previousEventId: prev,
      ...details,
    } as HistoryEvent;
    history.push(event);
    // The first state's events point at 0, not at ExecutionStarted (as AWS numbers them).
    if (type !== "ExecutionStarted") this.thread(scope).lastEventId = id;
  }

  private previousId(scope: string): number {
    let s: string | undefined = scope;
    while (s !== undefined) {
      const t = this.threads.get(s);
      if (t?.lastEventId !== undefined) return t.lastEventId;
      s = this.deps.index.scopes.get(s)?.parent;
    }
    return 0;
  }
}
