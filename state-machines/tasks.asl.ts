/**
 * What the states of the recovery machine are built with: the retriers, the per-function timeouts,
 * the execution's limit, and the Task / Catch / Wait / Choice builders. A Task's errors go to the
 * failure path (FailedAt<State>) unless told otherwise.
 */
import { AppUnhealthy, AwsTransient } from "../functions/shared/errors.js";
import type { Catcher, ChoiceState, Retrier, State, TaskState } from "./asl.js";
import { arnPlaceholder, type FunctionKey, failedAt, type StateName, TASK_FUNCTIONS } from "./names.js";

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

/** The parameters most steps get: the validated run. */
export const run = { "run.$": "$.run" };

/** A drill that is not a dry run: it created resources, so it cleans them up. */
export const isDrill = [
  { Variable: "$.run.mode", StringEquals: "drill" },
  { Variable: "$.run.dryRun", BooleanEquals: false },
];

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

export function task(state: StateName, o: TaskOptions): TaskState {
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

export function catchAll(next: string, resultPath: string): Catcher {
  return { ErrorEquals: ["States.ALL"], ResultPath: resultPath, Next: next };
}

export function waitFor(secondsPath: string, next: string): State {
  return { Type: "Wait", SecondsPath: secondsPath, Next: next };
}

export function doneChoice(flag: string, value: boolean | string, done: string, notYet: string): ChoiceState {
  const rule =
    typeof value === "boolean"
      ? { Variable: flag, BooleanEquals: value, Next: done }
      : { Variable: flag, StringEquals: value, Next: done };
  return { Type: "Choice", Choices: [rule], Default: notYet };
}
