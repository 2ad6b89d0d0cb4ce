/**
 * The failure path: a Pass per catching state records where the run failed, then notify (SNS +
 * OpsItem) → cleanup (drill) → report → Failed, a Task that ends the execution with the recorded
 * error; on a redrive (RedriveExecution reruns that Task) it takes the lock back and the run
 * resumes at the state that failed (a cleaned-up drill: at Recover).
 */
import { CleanupIncomplete } from "../functions/shared/errors.js";
import type { State } from "./asl.js";
import { arnPlaceholder, failedAt, S, type StateName } from "./names.js";
import { doneChoice, isDrill, LAMBDA_RETRY, run, TIMEOUTS, task, waitFor } from "./tasks.asl.js";

/** The states of the failure path and a Pass per catching state that records where it failed. */
export function failurePath(catching: StateName[]): Record<string, State> {
  const states: Record<string, State> = {};
  for (const state of catching) {
    states[failedAt(state)] = {
      Type: "Pass",
      Parameters: { step: state, "error.$": "$.error", "redriveCount.$": "$$.Execution.RedriveCount" },
      ResultPath: "$.failure",
      Next: S.NotifyFailure,
    };
  }
  states[S.NotifyFailure] = task(S.NotifyFailure, {
    params: { "state.$": "$", outcome: "FAILED" },
    resultPath: "$.notify",
    next: S.FailureCleanupChoice,
    catchTo: S.FailureCleanupChoice,
    comment: "SNS message and an OpsCenter OpsItem, before any cleanup",
  });
  states[S.FailureCleanupChoice] = {
    Type: "Choice",
    Choices: [
      // Cleanup itself ended incomplete: its leftovers are final (its loop is bounded), report them.
      { Variable: "$.failure.error.Error", StringEquals: CleanupIncomplete.errorName, Next: S.FailureReport },
      { And: [{ Variable: "$.run", IsPresent: true }, ...isDrill], Next: S.FailureCleanup },
      { Variable: "$.run", IsPresent: true, Next: S.FailureReport },
    ],
    Default: S.Failed,
  };
  states[S.FailureCleanup] = task(S.FailureCleanup, {
    params: run,
    resultPath: "$.cleanup",
    next: S.FailureCleanupDone,
    catchTo: S.FailureReport,
    comment: "A failed drill still deletes everything it created (waits for running restores)",
  });
  states[S.FailureCleanupDone] = doneChoice("$.cleanup.done", true, S.FailureReport, S.WaitForFailureCleanup);
  states[S.WaitForFailureCleanup] = waitFor("$.cleanup.waitSeconds", S.FailureCleanup);
  states[S.FailureReport] = task(S.FailureReport, {
    params: { "state.$": "$", final: true },
    resultPath: "$.report",
    next: S.Failed,
    catchTo: S.Failed,
  });
  states[S.Failed] = {
    Type: "Task",
    Comment:
      "Raises the recorded error (the execution fails with it); on a redrive takes the lock back and returns the state to resume with",
    Resource: arnPlaceholder("resume"),
    Parameters: { "state.$": "$", "redriveCount.$": "$$.Execution.RedriveCount" },
    // No ResultPath: the result replaces the state (the default, "$").
    TimeoutSeconds: TIMEOUTS.resume,
    // Not TRANSIENT_RETRY: the recorded error may be AwsTransient or States.Timeout itself.
    Retry: [LAMBDA_RETRY],
    Next: S.ResumeAt,
  };
  states[S.ResumeAt] = {
    Type: "Choice",
    Choices: catching.map((state) => ({ Variable: "$.redrive.resumeAt", StringEquals: state, Next: state })),
    Default: S.Failed,
  };
  return states;
}
