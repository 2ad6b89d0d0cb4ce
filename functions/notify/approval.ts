/**
 * RequestApproval: the SNS message that asks a person to approve (or reject) a failover an alarm
 * or AWS Health event started. The state machine invokes notify with the callback pattern
 * (`lambda:invoke.waitForTaskToken`), so this message carries the task token; the run waits until
 * `drctl approve|reject` (or `aws stepfunctions send-task-success|send-task-failure`) answers, or
 * the window ends (docs/design.md, "Approval").
 */
import { FAILOVER_REJECTED } from "../shared/approval.js";
import { InputInvalid } from "../shared/errors.js";
import { logger } from "../shared/logger.js";
import type { StateSnapshot } from "../shared/report/index.js";
import type { NotifyResult } from "../shared/types.js";
import type { NotifyDeps } from "./notify.js";

/** Single-quoted for a POSIX shell. */
const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export function approvalMessage(
  state: StateSnapshot,
  taskToken: string,
  now: Date,
): { subject: string; body: string } {
  const run = state.run;
  const gate = run?.approval;
  if (!run || !gate)
    throw new InputInvalid("approval request: the run has no approval gate ($.run.approval)");
  const region = run.executionArn.split(":")[3] ?? "";
  const deadline = new Date(now.getTime() + gate.timeoutSeconds * 1000).toISOString();
  const outcomeAtDeadline =
    gate.mode === "wait"
      ? `the run fails with ApprovalTimedOut at ${deadline} (nothing is created)`
      : `the failover PROCEEDS at ${deadline} unless it is rejected before`;
  const signals = (state.detect?.signals ?? [])
    .filter((s) => !s.healthy)
    .map((s) => `${s.name}: ${s.detail}`)
    .join("; ");
  const output = JSON.stringify({ decision: "approved", by: "YOUR-NAME", at: "TIME" });
  const body = [
    `drctl failover ${run.app}: APPROVAL NEEDED. A ${run.trigger} trigger started a failover into ${region}.`,
    "Nothing has been created yet; the run waits for your answer.",
    "",
    `Run:        ${run.name}`,
    `Execution:  ${run.executionArn}`,
    `Started:    ${run.startedAt}`,
    `Restore to: ${run.restoreTo}`,
    `Outage:     ${signals || (state.detect?.forced ? "not checked (force)" : "confirmed by Detect")}`,
    `Window:     ${gate.windowMinutes} minutes (approval.mode "${gate.mode}"): without an answer ${outcomeAtDeadline}.`,
    "",
    "Approve or reject with drctl (your AWS credentials; needs states:GetExecutionHistory and",
    "states:SendTaskSuccess / states:SendTaskFailure):",
    `  drctl approve ${run.executionArn} [--by NAME]`,
    `  drctl reject ${run.executionArn} --reason "WHY" [--by NAME]`,
    "",
    "Or with the AWS CLI (CloudShell works) and this task token:",
    `  aws stepfunctions send-task-success --region ${region} --task-token ${shellQuote(taskToken)} --task-output ${shellQuote(output)}`,
    `  aws stepfunctions send-task-failure --region ${region} --task-token ${shellQuote(taskToken)} --error ${FAILOVER_REJECTED} --cause "WHY"`,
    "",
    "In the console: Step Functions > State machines > the drctl state machine > Executions >",
    `${run.executionArn.split(":").pop()}: the RequestApproval step is waiting (its`,
    "TaskScheduled event holds the same token in Payload.taskToken); answer with one of the commands above.",
  ].join("\n");
  return { subject: `drctl failover ${run.app}: approval needed (${run.trigger} trigger)`, body };
}

/** Publishes the approval request; a failure to publish fails the Task (nobody would know to answer). */
export async function requestApproval(
  state: StateSnapshot,
  taskToken: string,
  deps: Pick<NotifyDeps, "sns" | "topicArn" | "now">,
): Promise<NotifyResult> {
  const { subject, body } = approvalMessage(state, taskToken, deps.now());
  const messageId = await deps.sns.publish(deps.topicArn, subject, body);
  logger.info("approval requested", { subject, messageId, execution: state.run?.executionArn });
  return { messageId, opsItemId: null };
}
