/**
 * State and function names of the recovery state machine. Reports, tests, the CDK stack and
 * the local runner all refer to states through these constants.
 */

/** The Lambda functions, one per step; the key is the folder under functions/. */
export const FUNCTIONS = [
  "validateInput",
  "detect",
  "deployStack",
  "checkStack",
  "planRestores",
  "startRestores",
  "pollRestores",
  "integrate",
  "validateHealth",
  "failover",
  "writeReport",
  "cleanup",
  "notify",
  "aftermath",
  "resume",
] as const;
export type FunctionKey = (typeof FUNCTIONS)[number];

/** Definition placeholder for a function's ARN (CDK DefinitionSubstitutions key). */
export const arnPlaceholder = (fn: FunctionKey): string => `\${${substitutionKey(fn)}}`;
export const substitutionKey = (fn: FunctionKey): string => `Fn_${fn}`;

export const S = {
  WrapInput: "WrapInput",
  ValidateInput: "ValidateInput",
  ModeChoice: "FailoverOrDrill",
  Detect: "Detect",
  ApprovalChoice: "ApprovalRequired?",
  RequestApproval: "RequestApproval",
  ApprovalTimeoutChoice: "ProceedAfterWindow?",
  ProceedAfterWindow: "ApprovalWindowElapsed",
  ApprovalTimedOut: "ApprovalTimedOut",
  DryRunChoice: "DryRun?",
  PlanOnly: "PlanOnly",
  Recover: "Recover",
  DeployStack: "DeployStack",
  WaitForStack: "WaitForStack",
  CheckStack: "CheckStack",
  StackReady: "StackReady?",
  WaitForStackDelete: "WaitForStackDelete",
  ReplaceStack: "ReplaceStack",
  StackDeployed: "StackDeployed",
  PlanRestores: "PlanRestores",
  StartRestores: "StartRestores",
  WaitForRestores: "WaitForRestores",
  PollRestores: "PollRestores",
  RestoresDone: "RestoresDone?",
  RestoresFinished: "RestoresFinished",
  StartAlongside: "NothingIntegratedYet",
  IntegrateChoice: "RestoredToIntegrate?",
  IntegrateAlongside: "IntegrateRestored",
  WaitForIntegrationAlongside: "WaitForRestoredIntegration",
  Integrate: "Integrate",
  WaitForIntegration: "WaitForIntegration",
  IntegrationDone: "IntegrationDone?",
  ValidateHealth: "ValidateHealth",
  FailoverChoice: "RouteTraffic?",
  Failover: "Failover",
  WaitForDns: "WaitForDns",
  CheckDns: "CheckDns",
  DnsInSync: "DnsInSync?",
  WriteReport: "WriteReport",
  CleanupChoice: "DrillCleanup?",
  Cleanup: "Cleanup",
  WaitForCleanup: "WaitForCleanup",
  CleanupDone: "CleanupDone?",
  FinalizeReport: "FinalizeReport",
  NotifySuccess: "NotifySuccess",
  Succeeded: "Succeeded",
  NotifyFailure: "NotifyFailure",
  FailureCleanupChoice: "FailedDrillCleanup?",
  FailureCleanup: "CleanupAfterFailure",
  WaitForFailureCleanup: "WaitForCleanupAfterFailure",
  FailureCleanupDone: "CleanupAfterFailureDone?",
  FailureReport: "ReportFailure",
  Failed: "Failed",
  // The aftermath of a stopped execution (EventBridge "Execution Status Change" → {cleanupOf}).
  AftermathChoice: "CleanupOfStoppedRun?",
  ResolveStoppedRun: "ResolveStoppedRun",
  StoppedRunAction: "StoppedRunAction?",
  StoppedRunCleanup: "CleanupStoppedRun",
  WaitForStoppedRunCleanup: "WaitForStoppedRunCleanup",
  StoppedRunCleanupDone: "CleanupStoppedRunDone?",
  StoppedRunReport: "ReportStoppedRun",
  StoppedRunNotify: "NotifyStoppedRun",
  StoppedRunOutcome: "StoppedRunOutcome?",
  StoppedRunHandled: "StoppedRunHandled",
  StoppedRunUnfinished: "StoppedRunUnfinished",
  ResumeAt: "ResumeAt?",
} as const;
export type StateName = (typeof S)[keyof typeof S];

/** Pass state that records which state failed before the failure path runs. */
export const failedAt = (state: string): string => `FailedAt${state}`;

/** Report phases, in order, and the states whose time counts toward each. */
export const PHASES = [
  ["lock", [S.ValidateInput]],
  ["detect", [S.Detect]],
  ["approve", [S.RequestApproval]],
  ["deploy", [S.DeployStack, S.WaitForStack, S.CheckStack, S.WaitForStackDelete, S.ReplaceStack]],
  ["plan", [S.PlanRestores, S.PlanOnly]],
  ["restore", [S.StartRestores, S.WaitForRestores, S.PollRestores, S.WaitForIntegrationAlongside]],
  ["integrate", [S.IntegrateAlongside, S.Integrate, S.WaitForIntegration]],
  ["validate", [S.ValidateHealth]],
  ["failover", [S.Failover, S.WaitForDns, S.CheckDns]],
  ["report", [S.WriteReport]],
  ["cleanup", [S.Cleanup, S.WaitForCleanup, S.FailureCleanup, S.WaitForFailureCleanup]],
] as const satisfies readonly (readonly [string, readonly StateName[]])[];
export type PhaseName = (typeof PHASES)[number][0];

/** Which function each Task state invokes. */
export const TASK_FUNCTIONS: Partial<Record<StateName, FunctionKey>> = {
  [S.ValidateInput]: "validateInput",
  [S.Detect]: "detect",
  [S.RequestApproval]: "notify",
  [S.PlanOnly]: "planRestores",
  [S.DeployStack]: "deployStack",
  [S.CheckStack]: "checkStack",
  [S.ReplaceStack]: "deployStack",
  [S.PlanRestores]: "planRestores",
  [S.StartRestores]: "startRestores",
  [S.PollRestores]: "pollRestores",
  [S.Integrate]: "integrate",
  [S.IntegrateAlongside]: "integrate",
  [S.ValidateHealth]: "validateHealth",
  [S.Failover]: "failover",
  [S.CheckDns]: "failover",
  [S.WriteReport]: "writeReport",
  [S.Cleanup]: "cleanup",
  [S.FinalizeReport]: "writeReport",
  [S.NotifySuccess]: "notify",
  [S.NotifyFailure]: "notify",
  [S.FailureCleanup]: "cleanup",
  [S.FailureReport]: "writeReport",
  [S.ResolveStoppedRun]: "aftermath",
  [S.StoppedRunCleanup]: "cleanup",
  [S.StoppedRunReport]: "writeReport",
  [S.StoppedRunNotify]: "notify",
  [S.Failed]: "resume",
};
