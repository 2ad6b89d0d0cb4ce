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
 */
import { AppUnhealthy, AwsTransient, CleanupIncomplete } from "../functions/shared/errors.js";
import { aftermathChoice, aftermathStates } from "./aftermath.asl.js";
import { approvalStates } from "./approval.asl.js";
import type {
  Branch,
  Catcher,
  ChoiceState,
  Retrier,
  State,
  StateMachineDefinition,
  TaskState,
} from "./asl.js";
import { arnPlaceholder, type FunctionKey, failedAt, S, type StateName, TASK_FUNCTIONS } from "./names.js";

/** Lambda service hiccups: retried with jittered backoff on every Task. */
export const LAMBDA_RETRY: Retrier = {
  ErrorEquals: [
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
  ],
  IntervalSeconds: 2,
  MaxAttempts: 6,
  BackoffRate: 2,
  JitterStrategy: "FULL",
};

/** AWS calls that stayed throttled or 5xx after the SDK's own retries, and Task timeouts. */
export const TRANSIENT_RETRY: Retrier = {
  ErrorEquals: [AwsTransient.errorName, "States.Timeout"],
  IntervalSeconds: 5,
  MaxAttempts: 4,
  BackoffRate: 2,
  MaxDelaySeconds: 60,
};

/** The DR app's health URL answers 200 a while after integration; keep asking for ~17 minutes. */
export const HEALTH_RETRY: Retrier = {
  ErrorEquals: [AppUnhealthy.errorName],
  IntervalSeconds: 15,
  MaxAttempts: 12,
  BackoffRate: 1.5,
  MaxDelaySeconds: 120,
};

/** TimeoutSeconds per function: how long one invocation may take. */
export const TIMEOUTS: Record<FunctionKey, number> = {
  validateInput: 30,
  detect: 60,
  deployStack: 60,
  checkStack: 30,
  planRestores: 300,
  startRestores: 600,
  pollRestores: 120,
  integrate: 600,
  validateHealth: 60,
  failover: 60,
  writeReport: 120,
  cleanup: 600,
  notify: 30,
  aftermath: 30,
  resume: 60,
};

/** The whole execution's limit: restores of large databases can take many hours. */
export const EXECUTION_TIMEOUT_SECONDS = 48 * 3600;

const run = { "run.$": "$.run" };

export interface TaskOptions {
  params: Record<string, unknown>;
  resultPath: string | null;
  next: string;
  retry?: Retrier[];
  /** Where errors go: the failure path (default), another state, or nowhere. */
  catchTo?: string | false;
  /** Catchers tried before the catch-all (e.g. States.Timeout of a callback). */
  catchFirst?: Catcher[];
  comment?: string;
}

/** What the aftermath path (aftermath.asl.ts) builds its states with. */
export interface AslHelpers {
  task: typeof task;
  waitFor: typeof waitFor;
  doneChoice: typeof doneChoice;
}

function task(state: StateName, o: TaskOptions): TaskState {
  const fn = TASK_FUNCTIONS[state];
  if (!fn) throw new Error(`state ${state} has no function in TASK_FUNCTIONS`);
  const t: TaskState = {
    Type: "Task",
    Resource: arnPlaceholder(fn),
    Parameters: o.params,
    ResultPath: o.resultPath,
    TimeoutSeconds: TIMEOUTS[fn],
    Retry: [...(o.retry ?? []), LAMBDA_RETRY, TRANSIENT_RETRY],
    Next: o.next,
  };
  if (o.comment) t.Comment = o.comment;
  const catchTo = o.catchTo === undefined ? failedAt(state) : o.catchTo;
  if (catchTo)
    t.Catch = [
      ...(o.catchFirst ?? []),
      catchAll(catchTo, o.catchTo === undefined ? "$.error" : "$.stepError"),
    ];
  return t;
}

function catchAll(next: string, resultPath: string): Catcher {
  return { ErrorEquals: ["States.ALL"], ResultPath: resultPath, Next: next };
}

function waitFor(secondsPath: string, next: string): State {
  return { Type: "Wait", SecondsPath: secondsPath, Next: next };
}

function doneChoice(flag: string, value: boolean | string, done: string, notYet: string): ChoiceState {
  const rule =
    typeof value === "boolean"
      ? { Variable: flag, BooleanEquals: value, Next: done }
      : { Variable: flag, StringEquals: value, Next: done };
  return { Type: "Choice", Choices: [rule], Default: notYet };
}

const isDrill = [
  { Variable: "$.run.mode", StringEquals: "drill" },
  { Variable: "$.run.dryRun", BooleanEquals: false },
];

const deployBranch: Branch = {
  StartAt: S.DeployStack,
  States: {
    [S.DeployStack]: task(S.DeployStack, {
      params: run,
      resultPath: "$.stack",
      next: S.StackReady,
      catchTo: false,
      comment: "CreateStack of the DR app stack (idempotent: ClientRequestToken = run name)",
    }),
    [S.StackReady]: {
      Type: "Choice",
      Choices: [
        { Variable: "$.stack.done", BooleanEquals: true, Next: S.StackDeployed },
        // replaceStack: the stack a failed failover left is being deleted; DeployStack creates anew after.
        { Variable: "$.stack.replacing", IsPresent: true, Next: S.WaitForStackDelete },
      ],
      Default: S.WaitForStack,
    },
    [S.WaitForStackDelete]: waitFor("$.stack.waitSeconds", S.ReplaceStack),
    [S.ReplaceStack]: task(S.ReplaceStack, {
      params: { ...run, "stack.$": "$.stack" },
      resultPath: "$.stack",
      next: S.StackReady,
      catchTo: false,
      comment: "DescribeStacks of the stack being replaced; CreateStack once DELETE_COMPLETE",
    }),
    [S.WaitForStack]: waitFor("$.stack.waitSeconds", S.CheckStack),
    [S.CheckStack]: task(S.CheckStack, {
      params: { ...run, "stack.$": "$.stack" },
      resultPath: "$.stack",
      next: S.StackReady,
      catchTo: false,
      comment: "DescribeStacks; StackFailed on ROLLBACK_* / *_FAILED",
    }),
    [S.StackDeployed]: { Type: "Pass", End: true },
  },
};

const restoreBranch: Branch = {
  StartAt: S.StartRestores,
  States: {
    [S.StartRestores]: task(S.StartRestores, {
      params: { ...run, "plan.$": "$.plan" },
      resultPath: "$.restores",
      next: S.RestoresDone,
      catchTo: false,
      comment: "StartRestoreJob per resource with IdempotencyToken = hash(execution, resource, attempt)",
    }),
    [S.RestoresDone]: doneChoice("$.restores.allTerminal", true, S.RestoresFinished, S.WaitForRestores),
    [S.WaitForRestores]: waitFor("$.restores.waitSeconds", S.PollRestores),
    [S.PollRestores]: task(S.PollRestores, {
      params: { ...run, "restores.$": "$.restores" },
      resultPath: "$.restores",
      next: S.RestoresDone,
      catchTo: false,
      comment: "One call per tick for every job (ListRestoreJobs); adaptive next wait",
    }),
    [S.RestoresFinished]: { Type: "Pass", End: true },
  },
};

/** The states of the failure path and a Pass per catching state that records where it failed. */
function failurePath(catching: StateName[]): Record<string, State> {
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
      ...approvalStates(task, doneChoice),
      [S.DryRunChoice]: doneChoice("$.run.dryRun", true, S.PlanOnly, S.PlanRestores),
      // The plan and its RPO gate come before anything is created (a refused plan leaves nothing).
      [S.PlanRestores]: task(S.PlanRestores, {
        params: run,
        resultPath: "$.plan",
        next: S.Recover,
        comment: "Newest COMPLETED recovery point per resource at or before restoreTo; RpoExceeded gate",
      }),
      [S.PlanOnly]: task(S.PlanOnly, { params: run, resultPath: "$.plan", next: S.FinalizeReport }),
      [S.Recover]: {
        Type: "Parallel",
        Branches: [deployBranch, restoreBranch],
        ResultSelector: { "stack.$": "$[0].stack", "plan.$": "$[1].plan", "restores.$": "$[1].restores" },
        ResultPath: "$.recovery",
        Catch: [catchAll(failedAt(S.Recover), "$.error")],
        Next: S.Integrate,
      },
      [S.Integrate]: task(S.Integrate, {
        params: { ...run, "recovery.$": "$.recovery" },
        resultPath: "$.integration",
        next: S.IntegrationDone,
        comment: "Endpoints into SSM, EBS attach, EFS mount, tags; in dependsOn order",
      }),
      [S.IntegrationDone]: doneChoice("$.integration.allDone", true, S.ValidateHealth, S.WaitForIntegration),
      [S.WaitForIntegration]: waitFor("$.integration.waitSeconds", S.Integrate),
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
      ...aftermathStates({ task, waitFor, doneChoice }),
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
