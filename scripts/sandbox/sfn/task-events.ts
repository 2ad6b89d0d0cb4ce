/**
 * The history events of one Task invocation, in the form Step Functions writes for the Task's
 * Resource (docs/fidelity.md, "Step Functions"):
 * - a Lambda function ARN: LambdaFunctionScheduled (resource, input, timeoutInSeconds when the
 *   Task sets TimeoutSeconds), LambdaFunctionStarted (no details), LambdaFunctionSucceeded
 *   (output), LambdaFunctionFailed (error, cause), LambdaFunctionTimedOut (error only);
 * - a service integration (`arn:aws:states:::lambda:invoke`): TaskScheduled (resourceType,
 *   resource, region, parameters), TaskStarted, TaskSucceeded, TaskFailed, TaskTimedOut; with
 *   `.waitForTaskToken` (resource `invoke.waitForTaskToken`) TaskSubmitted (the Invoke response)
 *   before the answer.
 * An oversized result's States.DataLimitExceeded cause names the function ARN, or the
 * integration's resource type.
 */
import { LAMBDA_INVOKE } from "./definition.js";

export interface TaskEvent {
  type: string;
  details: Record<string, unknown>;
}

export interface TaskEvents {
  scheduled(input: unknown, timeoutSeconds: number | undefined): TaskEvent;
  started(): TaskEvent;
  /** A callback Task's integration call returned (TaskSubmitted: its response). */
  submitted(output: string): TaskEvent;
  succeeded(output: string): TaskEvent;
  /** A failure; an empty cause is left out, as for a timeout. */
  failed(error: string, cause: string): TaskEvent;
  /** States.Timeout, or a callback's States.HeartbeatTimeout. */
  timedOut(error?: string): TaskEvent;
  /** The cause of States.DataLimitExceeded for a result over the payload quota. */
  resultTooLargeCause(): string;
}

const TIMEOUT = "States.Timeout";
const unchanged = { truncated: false };
const withCause = (error: string, cause: string) => (cause ? { error, cause } : { error });
const timeout = (seconds: number | undefined) => (seconds === undefined ? {} : { timeoutInSeconds: seconds });
const tooLarge = (what: string) =>
  `The state/task '${what}' returned a result with a size exceeding the maximum number of bytes service limit.`;

/** The event writer for a Task with this Resource, in the execution's region. */
export function taskEvents(resource: string, region: string): TaskEvents {
  const integration = LAMBDA_INVOKE.exec(resource);
  return integration
    ? integrationEvents("lambda", `invoke${integration[1] ?? ""}`, region)
    : functionEvents(resource);
}

function functionEvents(resource: string): TaskEvents {
  return {
    scheduled: (input, seconds) => ({
      type: "LambdaFunctionScheduled",
      details: {
        lambdaFunctionScheduledEventDetails: {
          resource,
          input: JSON.stringify(input ?? null),
          inputDetails: unchanged,
          ...timeout(seconds),
        },
      },
    }),
    started: () => ({ type: "LambdaFunctionStarted", details: {} }),
    submitted: () => {
      throw new Error(`a Lambda function ARN Task (${resource}) has no callback`);
    },
    succeeded: (output) => ({
      type: "LambdaFunctionSucceeded",
      details: { lambdaFunctionSucceededEventDetails: { output, outputDetails: unchanged } },
    }),
    failed: (error, cause) => ({
      type: "LambdaFunctionFailed",
      details: { lambdaFunctionFailedEventDetails: withCause(error, cause) },
    }),
    timedOut: () => ({
      type: "LambdaFunctionTimedOut",
      details: { lambdaFunctionTimedOutEventDetails: { error: TIMEOUT } },
    }),
    resultTooLargeCause: () => tooLarge(resource),
  };
}

function integrationEvents(resourceType: string, resource: string, region: string): TaskEvents {
  const base = { resourceType, resource };
  return {
    scheduled: (input, seconds) => ({
      type: "TaskScheduled",
      details: {
        taskScheduledEventDetails: {
          ...base,
          region,
          parameters: JSON.stringify(input ?? null),
          ...timeout(seconds),
        },
      },
    }),
    started: () => ({ type: "TaskStarted", details: { taskStartedEventDetails: base } }),
    submitted: (output) => ({
      type: "TaskSubmitted",
      details: { taskSubmittedEventDetails: { ...base, output, outputDetails: unchanged } },
    }),
    succeeded: (output) => ({
      type: "TaskSucceeded",
      details: { taskSucceededEventDetails: { ...base, output, outputDetails: unchanged } },
    }),
    failed: (error, cause) => ({
      type: "TaskFailed",
      details: { taskFailedEventDetails: { ...base, ...withCause(error, cause) } },
    }),
    timedOut: (error = TIMEOUT) => ({
      type: "TaskTimedOut",
      details: { taskTimedOutEventDetails: { ...base, error } },
    }),
    resultTooLargeCause: () => tooLarge(resourceType),
  };
}
