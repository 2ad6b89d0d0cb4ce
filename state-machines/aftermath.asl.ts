/**
 * The aftermath path of the recovery state machine: an execution started with
 * `{"cleanupOf": <execution ARN>}` (the EventBridge rule on ABORTED / TIMED_OUT / FAILED executions,
 * or `drctl cleanup`) resolves what the stopped run left (functions/aftermath), cleans up a drill,
 * writes the stopped run's final report (releasing its lock) and notifies. A failover's resources
 * are never deleted here. An error on this path is reported and notified, then the execution fails;
 * the aftermath of a cleanup execution does nothing, so it never loops.
 */
import type { ChoiceState, State } from "./asl.js";
import { S } from "./names.js";
import { doneChoice, run, task, waitFor } from "./tasks.asl.js";

/** The start of the definition: a `cleanupOf` input takes the aftermath path. */
export const aftermathChoice: ChoiceState = {
  Type: "Choice",
  Choices: [{ Variable: "$.input.cleanupOf", IsPresent: true, Next: S.ResolveStoppedRun }],
  Default: S.ValidateInput,
};

export function aftermathStates(): Record<string, State> {
  return {
    [S.ResolveStoppedRun]: task(S.ResolveStoppedRun, {
      params: { "request.$": "$.input", execution: { "id.$": "$$.Execution.Id" } },
      resultPath: "$",
      next: S.StoppedRunAction,
      catchTo: S.StoppedRunNotify,
      comment: "DescribeExecution + history of the stopped execution: its run, last state, what to do",
    }),
    [S.StoppedRunAction]: {
      Type: "Choice",
      Choices: [
        { Variable: "$.aftermath.action", StringEquals: "cleanup", Next: S.StoppedRunCleanup },
        { Variable: "$.aftermath.action", StringEquals: "report", Next: S.StoppedRunReport },
        { Variable: "$.aftermath.action", StringEquals: "unlock", Next: S.StoppedRunNotify },
      ],
      Default: S.StoppedRunHandled,
    },
    [S.StoppedRunCleanup]: task(S.StoppedRunCleanup, {
      params: run,
      resultPath: "$.cleanup",
      next: S.StoppedRunCleanupDone,
      catchTo: S.StoppedRunReport,
      comment: "The stopped drill's resources (its restores still running are waited for)",
    }),
    [S.StoppedRunCleanupDone]: doneChoice(
      "$.cleanup.done",
      true,
      S.StoppedRunReport,
      S.WaitForStoppedRunCleanup,
    ),
    [S.WaitForStoppedRunCleanup]: waitFor("$.cleanup.waitSeconds", S.StoppedRunCleanup),
    [S.StoppedRunReport]: task(S.StoppedRunReport, {
      params: { "state.$": "$", final: true },
      resultPath: "$.report",
      next: S.StoppedRunNotify,
      catchTo: S.StoppedRunNotify,
      comment: "The stopped run's final report (error ExecutionAborted/TimedOut/Failed); releases its lock",
    }),
    [S.StoppedRunNotify]: task(S.StoppedRunNotify, {
      params: { "state.$": "$", outcome: "FAILED" },
      resultPath: "$.notify",
      next: S.StoppedRunOutcome,
      catchTo: S.StoppedRunOutcome,
    }),
    [S.StoppedRunOutcome]: {
      Type: "Choice",
      Choices: [{ Variable: "$.stepError", IsPresent: true, Next: S.StoppedRunUnfinished }],
      Default: S.StoppedRunHandled,
    },
    [S.StoppedRunUnfinished]: {
      Type: "Fail",
      ErrorPath: "$.stepError.Error",
      CausePath: "$.stepError.Cause",
    },
    [S.StoppedRunHandled]: { Type: "Succeed" },
  };
}
