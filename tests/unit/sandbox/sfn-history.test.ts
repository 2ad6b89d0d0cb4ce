/**
 * The history events a Task writes, as GetExecutionHistory returns them through the SDK v3
 * SFNClient. A Task whose Resource is a Lambda function ARN (how drctl calls every step) writes
 * LambdaFunctionScheduled / Started / Succeeded / Failed / TimedOut; the optimized integration
 * (`arn:aws:states:::lambda:invoke`) writes TaskScheduled / TaskStarted / TaskSucceeded / ….
 * Sources in docs/fidelity.md, "Step Functions".
 */
import { DescribeExecutionCommand, type HistoryEvent } from "@aws-sdk/client-sfn";
import { afterAll, describe, expect, it } from "vitest";
import { closeAll, detailKeys, FN, fn, sfnWire } from "./sfn-support.js";

const BIG = "x".repeat(300 * 1024);

afterAll(closeAll);

const task = (extra: Record<string, unknown> = {}) => ({
  StartAt: "Work",
  States: { Work: { Type: "Task", Resource: FN, ResultPath: "$.work", End: true, ...extra } },
});

const of = (events: HistoryEvent[], type: string) => events.filter((e) => e.type === type);

describe("Task on a Lambda function ARN: LambdaFunction* events", () => {
  it("writes LambdaFunctionScheduled (resource, effective input, timeout), LambdaFunctionStarted and LambdaFunctionSucceeded", async () => {
    // Prepare
    const wire = await sfnWire({ work: (input) => ({ got: input }) });
    // Act
    const { events } = await wire.run(task({ Parameters: { "n.$": "$.n" }, TimeoutSeconds: 10 }), { n: 1 });
    // Assess
    expect(events.map((e) => e.type)).toEqual([
      "ExecutionStarted",
      "TaskStateEntered",
      "LambdaFunctionScheduled",
      "LambdaFunctionStarted",
      "LambdaFunctionSucceeded",
      "TaskStateExited",
      "ExecutionSucceeded",
    ]);
    expect(events.map((e) => e.previousEventId)).toEqual([0, 0, 2, 3, 4, 5, 6]);
    expect(events[2]?.lambdaFunctionScheduledEventDetails).toEqual({
      resource: FN,
      input: '{"n":1}',
      inputDetails: { truncated: false },
      timeoutInSeconds: 10,
    });
    expect(detailKeys(events[3])).toEqual([]);
    expect(events[4]?.lambdaFunctionSucceededEventDetails).toEqual({
      output: '{"got":{"n":1}}',
      outputDetails: { truncated: false },
    });
    expect(events.some((e) => e.type?.startsWith("TaskSchedul") || e.type === "TaskSucceeded")).toBe(false);
  });

  it("has no timeoutInSeconds when the Task sets no TimeoutSeconds", async () => {
    // Prepare
    const wire = await sfnWire({ work: () => ({}) });
    // Act
    const { events } = await wire.run(task());
    // Assess
    expect(of(events, "LambdaFunctionScheduled")[0]?.lambdaFunctionScheduledEventDetails).toEqual({
      resource: FN,
      input: "{}",
      inputDetails: { truncated: false },
    });
  });

  it("writes LambdaFunctionFailed with the function's error type and error payload; the retry schedules it again", async () => {
    // Prepare
    let calls = 0;
    const wire = await sfnWire({
      work: () => {
        if (calls++ === 0) throw Object.assign(new Error("throttled"), { name: "AwsTransient" });
        return { ok: true };
      },
    });
    // Act
    const { events } = await wire.run(
      task({ Retry: [{ ErrorEquals: ["AwsTransient"], IntervalSeconds: 1, MaxAttempts: 2 }] }),
    );
    // Assess
    expect(events.map((e) => e.type).slice(2, 8)).toEqual([
      "LambdaFunctionScheduled",
      "LambdaFunctionStarted",
      "LambdaFunctionFailed",
      "LambdaFunctionScheduled",
      "LambdaFunctionStarted",
      "LambdaFunctionSucceeded",
    ]);
    const failed = of(events, "LambdaFunctionFailed")[0]?.lambdaFunctionFailedEventDetails;
    expect(failed?.error).toBe("AwsTransient");
    expect(JSON.parse(failed?.cause ?? "")).toMatchObject({
      errorType: "AwsTransient",
      errorMessage: "throttled",
    });
    expect(of(events, "TaskFailed")).toEqual([]);
  });

  it("past TimeoutSeconds writes LambdaFunctionTimedOut with error States.Timeout and no cause; the execution fails the same way", async () => {
    // Prepare
    const wire = await sfnWire({ work: () => new Promise((r) => setTimeout(() => r({}), 1500)) });
    // Act
    const { events, executionArn } = await wire.run(task({ TimeoutSeconds: 1 }));
    const described = await wire.sfn.send(new DescribeExecutionCommand({ executionArn }));
    // Assess
    expect(events.map((e) => e.type).slice(-2)).toEqual(["LambdaFunctionTimedOut", "ExecutionFailed"]);
    expect(events.at(-2)?.lambdaFunctionTimedOutEventDetails).toEqual({ error: "States.Timeout" });
    expect(events.at(-1)?.executionFailedEventDetails).toEqual({ error: "States.Timeout" });
    expect(described).toMatchObject({ status: "FAILED", error: "States.Timeout" });
    expect(described.cause).toBeUndefined();
  });

  it("a result over 256 KB is LambdaFunctionFailed with States.DataLimitExceeded, the cause naming the function ARN", async () => {
    // Prepare
    const wire = await sfnWire({ work: () => ({ big: BIG }) });
    // Act
    const { events } = await wire.run(task({ ResultPath: null }));
    // Assess
    const cause = `The state/task '${FN}' returned a result with a size exceeding the maximum number of bytes service limit.`;
    expect(events.map((e) => e.type).slice(-2)).toEqual(["LambdaFunctionFailed", "ExecutionFailed"]);
    expect(events.at(-2)?.lambdaFunctionFailedEventDetails).toEqual({
      error: "States.DataLimitExceeded",
      cause,
    });
    expect(events.at(-1)?.executionFailedEventDetails).toEqual({ error: "States.DataLimitExceeded", cause });
  });
});

describe("Task semantics shared by both Lambda forms", () => {
  it("a caught failure exits the Task (TaskStateExited) with Error and Cause at the catcher's ResultPath, then enters the catcher's Next", async () => {
    // Prepare
    const wire = await sfnWire({
      work: () => {
        throw Object.assign(new Error("stack rolled back"), { name: "StackFailed" });
      },
    });
    // Act
    const { events } = await wire.run(
      {
        StartAt: "Work",
        States: {
          Work: {
            Type: "Task",
            Resource: FN,
            Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Handled" }],
            End: true,
          },
          Handled: { Type: "Pass", End: true },
        },
      },
      { run: "r" },
    );
    // Assess
    expect(events.map((e) => e.type).slice(2, 7)).toEqual([
      "LambdaFunctionScheduled",
      "LambdaFunctionStarted",
      "LambdaFunctionFailed",
      "TaskStateExited",
      "PassStateEntered",
    ]);
    const output = JSON.parse(events[5]?.stateExitedEventDetails?.output ?? "{}");
    expect(output).toMatchObject({ run: "r", error: { Error: "StackFailed" } });
    expect(JSON.parse(output.error.Cause)).toMatchObject({
      errorType: "StackFailed",
      errorMessage: "stack rolled back",
    });
  });

  it("States.TaskFailed neither retries nor catches States.Timeout", async () => {
    // Prepare
    let calls = 0;
    const wire = await sfnWire({
      work: () => {
        calls++;
        return new Promise((r) => setTimeout(() => r({}), 1500));
      },
    });
    // Act
    const { events } = await wire.run({
      StartAt: "Work",
      States: {
        Work: {
          Type: "Task",
          Resource: FN,
          TimeoutSeconds: 1,
          Retry: [{ ErrorEquals: ["States.TaskFailed"], MaxAttempts: 2, IntervalSeconds: 1 }],
          Catch: [{ ErrorEquals: ["States.TaskFailed"], Next: "Caught" }],
          End: true,
        },
        Caught: { Type: "Succeed" },
      },
    });
    // Assess
    expect(calls).toBe(1);
    expect(events.map((e) => e.type).slice(-2)).toEqual(["LambdaFunctionTimedOut", "ExecutionFailed"]);
  });
});

describe("Task on the optimized integration arn:aws:states:::lambda:invoke: Task* events", () => {
  it("writes TaskScheduled (resourceType lambda, resource invoke, the Parameters), TaskStarted and TaskSucceeded with the Invoke response", async () => {
    // Prepare
    const wire = await sfnWire({ work: (input) => ({ got: input }) });
    // Act
    const { events } = await wire.run(
      {
        StartAt: "Work",
        States: {
          Work: {
            Type: "Task",
            Resource: "arn:aws:states:::lambda:invoke",
            Parameters: { FunctionName: fn("work"), "Payload.$": "$" },
            TimeoutSeconds: 10,
            End: true,
          },
        },
      },
      { n: 1 },
    );
    // Assess
    expect(events.map((e) => e.type).slice(2, 5)).toEqual(["TaskScheduled", "TaskStarted", "TaskSucceeded"]);
    expect(events[2]?.taskScheduledEventDetails).toEqual({
      resourceType: "lambda",
      resource: "invoke",
      region: "us-west-2",
      parameters: JSON.stringify({ FunctionName: fn("work"), Payload: { n: 1 } }),
      timeoutInSeconds: 10,
    });
    expect(events[3]?.taskStartedEventDetails).toEqual({ resourceType: "lambda", resource: "invoke" });
    const succeeded = events[4]?.taskSucceededEventDetails;
    expect(succeeded).toMatchObject({ resourceType: "lambda", resource: "invoke" });
    expect(JSON.parse(succeeded?.output ?? "")).toMatchObject({
      Payload: { got: { n: 1 } },
      StatusCode: 200,
    });
  });
});
