import { type RunOptions, StateMachine } from "aws-local-stepfunctions";
import { type AslDefinition, engineDefinition, ROOT_SCOPE } from "./definition.js";
import type { LibEvent } from "./execution-types.js";
import type { Sleeper } from "./scheduler.js";
import { StateRunners } from "./state-runners.js";
import { fixContextReferences, lambdaErrorCause, TaskError } from "./task-support.js";

export type { ExecutionDeps, ExecutionRecord, ExecutionStatus } from "./execution-types.js";
export { fixContextReferences, lambdaErrorCause, TaskError };

export class ExecutionRunner extends StateRunners {
  private abortFn: (() => void) | undefined;
  private deadline: Sleeper | undefined;
  private finished = false;
  private wakeFinish: () => void = () => undefined;
  /** Resolves when the execution is stopped (finish() then waits for no sleeping branch). */
  private readonly stopped = new Promise<void>((r) => {
    this.wakeFinish = r;
  });

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
}
