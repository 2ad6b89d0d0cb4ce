/**
 * The engine's hooks into an execution: Task states bound to in-process Lambda handlers, Wait
 * states and Retry intervals on the virtual clock.
 */
import { setImmediate as nextMacrotask } from "node:timers/promises";
import { awaitCallback, callbackOf } from "./callback-task.js";
import { type AslState, pathSegments, ROOT_SCOPE } from "./definition.js";
import { ExecutionEvents } from "./execution-events.js";
import { invokeLambda, LAMBDA_TIMEOUT_MARGIN_SECONDS } from "./lambda-invoke.js";
import {
  DATA_LIMIT_EXCEEDED,
  dataLimitCause,
  handling,
  tooLarge,
  withStepFunctionsMatching,
} from "./limits.js";
import { type TaskEvent, type TaskEvents, taskEvents } from "./task-events.js";
import {
  fixContextReferences,
  lambdaErrorCause,
  named,
  never,
  resultKey,
  retryDelay,
  TaskError,
} from "./task-support.js";
import { CallbackFailure } from "./task-tokens.js";

export abstract class StateRunners extends ExecutionEvents {
  protected waitOverrides(): Record<string, number> {
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

  protected waitMillis(stateName: string): number {
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

  protected retryOverrides(): Record<string, number> {
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

  protected taskHandlers(): Record<string, (input: unknown) => Promise<unknown>> {
    const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const info of this.deps.index.states.values()) {
      if (info.type === "Task") handlers[info.name] = (input) => this.invokeTask(info.name, info.def, input);
    }
    return handlers;
  }

  protected async invokeTask(stateName: string, def: AslState, rawInput: unknown): Promise<unknown> {
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
  protected async invocation(def: AslState, input: unknown): Promise<string> {
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
  protected taskFailed(
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
}
