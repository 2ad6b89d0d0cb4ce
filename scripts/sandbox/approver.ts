/**
 * The person of a scenario's `approval.approver`: when an execution issues a task token for its
 * approval request, they answer after `afterMinutes` of simulated time with `drctl approve` /
 * `drctl reject` (answerApproval: the token found in the execution history, SendTaskSuccess or
 * SendTaskFailure through the sandbox's Step Functions API, as the command line does).
 */
import type { SFNClient } from "@aws-sdk/client-sfn";
import { answerApproval } from "../approve.js";
import type { LocalSandbox } from "./local.js";
import type { Scenario } from "./scenario.js";

/** Answers every approval request the scenario's approver answers; returns what they did (for the runner). */
export function playApprover(sandbox: LocalSandbox, scenario: Scenario, sfn: SFNClient): string[] {
  const approver = scenario.approval?.approver;
  const log: string[] = [];
  if (!approver || approver.action === "none") return log;
  const { scheduler } = sandbox;
  sandbox.sfn.tokens.onIssued(({ executionArn }) => {
    scheduler.sleepUntil(scheduler.nowMs() + approver.afterMinutes * 60_000, () => {
      // The clock holds while the answer is on its way (as it does while a handler runs).
      scheduler.enter();
      const decision = {
        decision: approver.action === "approve" ? ("approved" as const) : ("rejected" as const),
        by: approver.by,
        at: new Date(scheduler.nowMs()).toISOString(),
        ...(approver.reason !== undefined && { reason: approver.reason }),
      };
      void answerApproval(sfn, executionArn, decision)
        .then(
          (r) => log.push(r.message),
          (e: unknown) => log.push(`approver: ${(e as Error).name}: ${(e as Error).message}`),
        )
        .finally(() => scheduler.exit());
    });
  });
  return log;
}
