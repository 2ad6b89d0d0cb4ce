/**
 * The recovery state machine: one typed ASL (JSONPath) object, the single source for the CDK
 * stack (DefinitionBody + substitutions) and for the local runner (placeholders → local ARNs).
 *
 * wrap input → validate → detect (failover) → approval (automatic failover) → plan (RPO gate)
 * → Parallel { deploy stack ‖ start → poll restores }
 * → integrate → validate health → Route 53 failover (failover) → report → cleanup (drill).
 * Any failure → notify (SNS + OpsItem) → cleanup (drill) → report → Failed, a Task that ends the
 * execution with the recorded error; on a redrive (RedriveExecution reruns that Task) it takes the
 * lock back and the run resumes at the state that failed (a cleaned-up drill: at Recover).
 *
 * Builders, retriers and timeouts: tasks.asl.ts; the Recover parallel: recover.asl.ts; the failure
 * path: failure.asl.ts; approval: approval.asl.ts; the aftermath of a stopped run: aftermath.asl.ts.
 */
import { aftermathChoice, aftermathStates } from "./aftermath.asl.js";
import { approvalStates } from "./approval.asl.js";
import type { StateMachineDefinition } from "./asl.js";
import { failurePath } from "./failure.asl.js";
import { arnPlaceholder, type FunctionKey, S, type StateName, TASK_FUNCTIONS } from "./names.js";
import { recoverState } from "./recover.asl.js";
import {
  doneChoice,
  EXECUTION_TIMEOUT_SECONDS,
  HEALTH_RETRY,
  isDrill,
  run,
  task,
  waitFor,
} from "./tasks.asl.js";

/**
 * Integrate's result: beside the stack, plan and restores it reads ($.recovery), so that its next
 * tick gets its own last version of the integration document (the Recover parallel puts the last
 * IntegrateRestored's result there first).
 */
const INTEGRATION = "$.recovery.integration";

/** States whose errors are caught into the failure path (each gets a FailedAt<State> Pass). */
export const CATCHING_STATES: StateName[] = [
  S.ValidateInput,
  S.Detect,
  S.RequestApproval,
  S.PlanOnly,
  S.PlanRestores,
  S.Recover,
  S.Integrate,
  S.ValidateHealth,
  S.Failover,
  S.CheckDns,
  S.WriteReport,
  S.Cleanup,
  S.FinalizeReport,
];

export function recoveryDefinition(): StateMachineDefinition {
  return {
    Comment: "drctl: backup-and-restore disaster recovery (drill or failover) into the recovery region",
    TimeoutSeconds: EXECUTION_TIMEOUT_SECONDS,
    StartAt: S.WrapInput,
    States: {
      // The execution input may be any JSON value; ResultPath ($.run, $.error) needs an object,
      // and failing to apply it is not catchable. Wrapped, a non-object fails in ValidateInput.
      [S.WrapInput]: {
        Type: "Pass",
        Parameters: { "input.$": "$$.Execution.Input" },
        Next: S.AftermathChoice,
      },
      [S.AftermathChoice]: aftermathChoice,
      [S.ValidateInput]: task(S.ValidateInput, {
        params: {
          "input.$": "$.input",
          execution: {
            "id.$": "$$.Execution.Id",
            "name.$": "$$.Execution.Name",
            "startTime.$": "$$.Execution.StartTime",
          },
        },
        resultPath: "$.run",
        next: S.ModeChoice,
        comment: "Validate the input, resolve the app, take the per-app lock (not for dry runs)",
      }),
      [S.ModeChoice]: {
        Type: "Choice",
        Choices: [{ Variable: "$.run.mode", StringEquals: "failover", Next: S.Detect }],
        Default: S.DryRunChoice,
      },
      [S.Detect]: task(S.Detect, {
        params: run,
        resultPath: "$.detect",
        next: S.ApprovalChoice,
        comment: "Confirm the outage: primary EC2 status checks, health URL, alarms (skipped by force)",
      }),
      ...approvalStates(),
      [S.DryRunChoice]: doneChoice("$.run.dryRun", true, S.PlanOnly, S.PlanRestores),
      // The plan and its RPO gate come before anything is created (a refused plan leaves nothing).
      [S.PlanRestores]: task(S.PlanRestores, {
        params: run,
        resultPath: "$.plan",
        next: S.Recover,
        comment: "Newest COMPLETED recovery point per resource at or before restoreTo; RpoExceeded gate",
      }),
      [S.PlanOnly]: task(S.PlanOnly, { params: run, resultPath: "$.plan", next: S.FinalizeReport }),
      [S.Recover]: recoverState,
      [S.Integrate]: task(S.Integrate, {
        params: { ...run, "recovery.$": "$.recovery" },
        resultPath: INTEGRATION,
        next: S.IntegrationDone,
        comment: "Endpoints into SSM, EBS attach, EFS mount, tags; in dependsOn order",
      }),
      [S.IntegrationDone]: doneChoice(`${INTEGRATION}.allDone`, true, S.ValidateHealth, S.WaitForIntegration),
      [S.WaitForIntegration]: waitFor(`${INTEGRATION}.waitSeconds`, S.Integrate),
      [S.ValidateHealth]: task(S.ValidateHealth, {
        params: { ...run, "stack.$": "$.recovery.stack" },
        resultPath: "$.health",
        next: S.FailoverChoice,
        retry: [HEALTH_RETRY],
      }),
      [S.FailoverChoice]: {
        Type: "Choice",
        Choices: [{ Variable: "$.run.mode", StringEquals: "failover", Next: S.Failover }],
        Default: S.WriteReport,
      },
      [S.Failover]: task(S.Failover, {
        params: { ...run, "stack.$": "$.recovery.stack", action: "submit" },
        resultPath: "$.dns",
        next: S.DnsInSync,
        comment: "Route 53 UPSERT of the record to the DR load balancer",
      }),
      [S.DnsInSync]: doneChoice("$.dns.status", "INSYNC", S.WriteReport, S.WaitForDns),
      [S.WaitForDns]: waitFor("$.dns.waitSeconds", S.CheckDns),
      [S.CheckDns]: task(S.CheckDns, {
        params: { ...run, "dns.$": "$.dns", action: "check" },
        resultPath: "$.dns",
        next: S.DnsInSync,
      }),
      [S.WriteReport]: task(S.WriteReport, {
        params: { "state.$": "$", final: false },
        resultPath: "$.report",
        next: S.CleanupChoice,
      }),
      [S.CleanupChoice]: {
        Type: "Choice",
        Choices: [{ And: isDrill, Next: S.Cleanup }],
        Default: S.FinalizeReport,
      },
      [S.Cleanup]: task(S.Cleanup, {
        params: run,
        resultPath: "$.cleanup",
        next: S.CleanupDone,
        comment: "Delete what the drill created (found by tag and by the run's documents)",
      }),
      [S.CleanupDone]: doneChoice("$.cleanup.done", true, S.FinalizeReport, S.WaitForCleanup),
      [S.WaitForCleanup]: waitFor("$.cleanup.waitSeconds", S.Cleanup),
      [S.FinalizeReport]: task(S.FinalizeReport, {
        params: { "state.$": "$", final: true },
        resultPath: "$.report",
        next: S.NotifySuccess,
        comment: "Final report (with cleanup); releases the per-app lock",
      }),
      [S.NotifySuccess]: task(S.NotifySuccess, {
        params: { "state.$": "$", outcome: "SUCCEEDED" },
        resultPath: "$.notify",
        next: S.Succeeded,
        catchTo: S.Succeeded,
      }),
      [S.Succeeded]: { Type: "Succeed" },
      ...failurePath(CATCHING_STATES),
      ...aftermathStates(),
    },
  };
}

/** Replaces the function placeholders with ARNs (local runner; CDK uses DefinitionSubstitutions). */
export function renderDefinition(arnOf: (fn: FunctionKey) => string): StateMachineDefinition {
  let text = JSON.stringify(recoveryDefinition());
  for (const fn of Object.values(TASK_FUNCTIONS)) {
    text = text.split(arnPlaceholder(fn)).join(arnOf(fn));
  }
  return JSON.parse(text) as StateMachineDefinition;
}
