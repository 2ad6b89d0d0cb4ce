/**
 * The approval states of the recovery machine (docs/design.md, "Approval"). A failover an alarm or
 * AWS Health started ($.run.approval present) publishes an approval request and waits on its task
 * token (callback pattern, `lambda:invoke.waitForTaskToken`): approved → on; rejected
 * (SendTaskFailure FailoverRejected) → the failure path; no answer within the window
 * (States.Timeout at TimeoutSecondsPath) → on ("proceed-after") or ApprovalTimedOut ("wait").
 */
import { APPROVAL_TIMED_OUT } from "../functions/shared/approval.js";
import type { State, TaskState } from "./asl.js";
import { failedAt, S } from "./names.js";
import { doneChoice, task } from "./tasks.asl.js";

/** lambda:invoke with the callback pattern: the Task's result is SendTaskSuccess's output. */
export const LAMBDA_CALLBACK = "arn:aws:states:::lambda:invoke.waitForTaskToken";

/**
 * The builder's Lambda Task turned into a callback Task: the function (notify) gets the payload
 * plus `taskToken`; the wait is bounded by the run's approval window instead of the function's
 * timeout, and its States.Timeout (no answer) is caught, never retried.
 */
function callback(t: TaskState, timeoutPath: string): TaskState {
  const { Resource, Parameters, Retry, ...rest } = t;
  const { TimeoutSeconds: _functionTimeout, ...common } = rest as typeof rest & { TimeoutSeconds?: number };
  return {
    ...common,
    Resource: LAMBDA_CALLBACK,
    Parameters: { FunctionName: Resource, Payload: { ...Parameters, "taskToken.$": "$$.Task.Token" } },
    TimeoutSecondsPath: timeoutPath,
    Retry: Retry.map((r) => ({ ...r, ErrorEquals: r.ErrorEquals.filter((e) => e !== "States.Timeout") })),
  } as TaskState;
}

export function approvalStates(): Record<string, State> {
  const request = task(S.RequestApproval, {
    params: { "state.$": "$", outcome: "APPROVAL" },
    resultPath: "$.approval",
    next: S.DryRunChoice,
    catchFirst: [
      { ErrorEquals: ["States.Timeout"], ResultPath: "$.approvalTimeout", Next: S.ApprovalTimeoutChoice },
    ],
    comment: "SNS approval request carrying the task token; waits for drctl approve / reject (SendTask*)",
  });
  return {
    [S.ApprovalChoice]: {
      Type: "Choice",
      Choices: [{ Variable: "$.run.approval", IsPresent: true, Next: S.RequestApproval }],
      Default: S.DryRunChoice,
    },
    [S.RequestApproval]: callback(request, "$.run.approval.timeoutSeconds"),
    [S.ApprovalTimeoutChoice]: doneChoice(
      "$.run.approval.mode",
      "proceed-after",
      S.ProceedAfterWindow,
      S.ApprovalTimedOut,
    ),
    [S.ProceedAfterWindow]: {
      Type: "Pass",
      Result: { decision: "window-elapsed" },
      ResultPath: "$.approval",
      Next: S.DryRunChoice,
    },
    [S.ApprovalTimedOut]: {
      Type: "Pass",
      Result: {
        Error: APPROVAL_TIMED_OUT,
        Cause: "No one approved the failover within approval.windowMinutes; nothing was created",
      },
      ResultPath: "$.error",
      Next: failedAt(S.RequestApproval),
    },
  };
}
