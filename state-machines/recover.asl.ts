/**
 * The Recover parallel: the DR app stack's deploy alongside the restores. Errors inside a branch
 * are not caught there: they fail the Parallel, whose catch-all leads to FailedAtRecover.
 */
import type { Branch, ParallelState } from "./asl.js";
import { failedAt, S } from "./names.js";
import { catchAll, doneChoice, run, task, waitFor } from "./tasks.asl.js";

/** The DR app stack: CreateStack (or replace a failed one), then DescribeStacks until done. */
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

/**
 * The restores: StartRestoreJob per resource, then poll until every job is terminal. After a poll
 * that saw a restore complete, or when the integration work in flight wants its next look,
 * IntegrateRestored integrates what has been restored (up to actions on the stack's instances)
 * while the other restores run; PollRestores keeps its next wait within that look.
 */
const restoreBranch: Branch = {
  StartAt: S.StartAlongside,
  States: {
    [S.StartAlongside]: {
      Type: "Pass",
      Result: { restoresSeen: 0, active: 0 },
      ResultPath: "$.alongside",
      Next: S.StartRestores,
    },
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
      params: { ...run, "restores.$": "$.restores", "alongside.$": "$.alongside" },
      resultPath: "$.restores",
      next: S.IntegrateChoice,
      catchTo: false,
      comment: "One call per tick for every job (ListRestoreJobs); adaptive next wait",
    }),
    // Every restore done: the Integrate after the parallel takes over, with the stack deployed.
    [S.IntegrateChoice]: {
      Type: "Choice",
      Choices: [
        { Variable: "$.restores.allTerminal", BooleanEquals: true, Next: S.RestoresDone },
        { Variable: "$.restores.integrationDue", BooleanEquals: true, Next: S.IntegrateAlongside },
      ],
      Default: S.RestoresDone,
    },
    [S.IntegrateAlongside]: task(S.IntegrateAlongside, {
      params: {
        ...run,
        recovery: { "plan.$": "$.plan", "restores.$": "$.restores" },
        "alongside.$": "$.alongside",
      },
      resultPath: "$.alongside",
      next: S.WaitForIntegrationAlongside,
      catchTo: false,
      comment: "Integrate what has been restored, up to actions on the stack's instances",
    }),
    [S.WaitForIntegrationAlongside]: waitFor("$.alongside.waitSeconds", S.PollRestores),
    [S.RestoresFinished]: { Type: "Pass", End: true },
  },
};

/**
 * Both branches' results, gathered into $.recovery for Integrate; `integration` is the last
 * IntegrateRestored's result (the integration document's version) until Integrate replaces it.
 */
export const recoverState: ParallelState = {
  Type: "Parallel",
  Branches: [deployBranch, restoreBranch],
  ResultSelector: {
    "stack.$": "$[0].stack",
    "plan.$": "$[1].plan",
    "restores.$": "$[1].restores",
    "integration.$": "$[1].alongside",
  },
  ResultPath: "$.recovery",
  Catch: [catchAll(failedAt(S.Recover), "$.error")],
  Next: S.Integrate,
};
