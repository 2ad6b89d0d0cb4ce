/**
 * The callback pattern (`arn:aws:states:::lambda:invoke.waitForTaskToken`) and SendTaskSuccess /
 * SendTaskFailure / SendTaskHeartbeat, through the SDK v3 SFNClient against the sandbox server.
 * Sources in docs/fidelity.md, "Step Functions".
 */
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from "@aws-sdk/client-sfn";
import { afterAll, describe, expect, it } from "vitest";
import { closeAll, FN, historyOf, REGION, ROLE, type SfnWire, sfnWire } from "./sfn-support.js";

afterAll(closeAll);

const ask = {
  Type: "Task",
  Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
  Parameters: { FunctionName: FN, Payload: { "token.$": "$$.Task.Token", "n.$": "$.n" } },
  ResultPath: "$.answer",
  End: true,
};
const machine = (extra: Record<string, unknown> = {}) => ({
  StartAt: "Ask",
  States: { Ask: { ...ask, ...extra } },
});

let machines = 0;

/** Starts one execution of a callback machine; resolves with the token the function received. */
async function startWaiting(extra: Record<string, unknown> = {}) {
  let received!: (token: string) => void;
  const token = new Promise<string>((r) => {
    received = r;
  });
  const wire = await sfnWire({
    work: (input) => {
      received((input as { token: string }).token);
      return { asked: true };
    },
  });
  const { stateMachineArn = "" } = await wire.sfn.send(
    new CreateStateMachineCommand({
      name: `cb${++machines}`,
      definition: JSON.stringify(machine(extra)),
      roleArn: ROLE,
    }),
  );
  const { executionArn = "" } = await wire.sfn.send(
    new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ n: 1 }) }),
  );
  return { wire, executionArn, token: await token };
}

const done = (wire: SfnWire) => Promise.all(wire.backend.executionRecords().map((r) => r.done));
const status = async (wire: SfnWire, executionArn: string) =>
  wire.sfn.send(new DescribeExecutionCommand({ executionArn }));
const errorOf = (p: Promise<unknown>) =>
  p.then(
    () => "no error",
    (e: { name?: string; message?: string }) => `${e.name}: ${e.message}`,
  );

describe("callback Task (.waitForTaskToken)", () => {
  it("waits after the function returned (TaskSubmitted) until SendTaskSuccess, whose output is the Task's result", async () => {
    // Prepare
    const { wire, executionArn, token } = await startWaiting();
    await new Promise((r) => setTimeout(r, 20));
    // Assess: still running, the token was handed to the function and is in the scheduled parameters
    expect((await status(wire, executionArn)).status).toBe("RUNNING");
    expect(token.length > 40 && token.length <= 2048).toBe(true);
    // Act
    await wire.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"decision":"approved"}' }));
    await done(wire);
    // Assess
    const described = await status(wire, executionArn);
    expect(described.status).toBe("SUCCEEDED");
    expect(JSON.parse(described.output ?? "{}")).toEqual({ n: 1, answer: { decision: "approved" } });
    const events = await historyOf(wire.sfn, executionArn);
    expect(events.map((e) => e.type)).toEqual([
      "ExecutionStarted",
      "TaskStateEntered",
      "TaskScheduled",
      "TaskStarted",
      "TaskSubmitted",
      "TaskSucceeded",
      "TaskStateExited",
      "ExecutionSucceeded",
    ]);
    const scheduled = events[2]?.taskScheduledEventDetails;
    expect(scheduled).toMatchObject({
      resourceType: "lambda",
      resource: "invoke.waitForTaskToken",
      region: REGION,
    });
    expect(JSON.parse(scheduled?.parameters ?? "{}").Payload).toEqual({ token, n: 1 });
    expect(JSON.parse(events[4]?.taskSubmittedEventDetails?.output ?? "{}")).toMatchObject({
      Payload: { asked: true },
      StatusCode: 200,
    });
    expect(events[5]?.taskSucceededEventDetails?.output).toBe('{"decision":"approved"}');
  });

  it("answers a second SendTaskSuccess or SendTaskFailure with TaskTimedOut (the task is closed)", async () => {
    // Prepare
    const { wire, token } = await startWaiting();
    await wire.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: "{}" }));
    await done(wire);
    // Act
    const again = await errorOf(
      wire.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: "{}" })),
    );
    const failure = await errorOf(
      wire.sfn.send(new SendTaskFailureCommand({ taskToken: token, error: "X" })),
    );
    const heartbeat = await errorOf(wire.sfn.send(new SendTaskHeartbeatCommand({ taskToken: token })));
    // Assess
    expect(again).toMatch(/^TaskTimedOut: /);
    expect(failure).toMatch(/^TaskTimedOut: /);
    expect(heartbeat).toMatch(/^TaskTimedOut: /);
  });

  it("answers InvalidToken for a token it did not issue or one altered by a character", async () => {
    // Prepare
    const { wire, executionArn, token } = await startWaiting();
    const altered = `${token.slice(0, 10)}${token[10] === "A" ? "B" : "A"}${token.slice(11)}`;
    // Act
    const unknown = await errorOf(
      wire.sfn.send(new SendTaskSuccessCommand({ taskToken: "AAAA", output: "{}" })),
    );
    const forged = await errorOf(
      wire.sfn.send(new SendTaskSuccessCommand({ taskToken: altered, output: "{}" })),
    );
    const beat = await errorOf(wire.sfn.send(new SendTaskHeartbeatCommand({ taskToken: altered })));
    // Assess
    expect(unknown).toMatch(/^InvalidToken: /);
    expect(forged).toMatch(/^InvalidToken: /);
    expect(beat).toMatch(/^InvalidToken: /);
    expect((await status(wire, executionArn)).status).toBe("RUNNING");
    // The real token still works
    await wire.sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    await wire.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: "{}" }));
    await done(wire);
    expect((await status(wire, executionArn)).status).toBe("SUCCEEDED");
  });

  it("answers TaskDoesNotExist in another region, InvalidOutput for output that is not JSON, ValidationException past the model's lengths", async () => {
    // Prepare
    const { wire, executionArn, token } = await startWaiting();
    const endpoint = await wire.sfn.config.endpoint?.();
    const elsewhere = new SFNClient({
      region: "eu-west-1",
      endpoint: `${endpoint?.protocol}//${endpoint?.hostname}:${endpoint?.port}`,
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      maxAttempts: 1,
    });
    // Act
    const otherRegion = await errorOf(
      elsewhere.send(new SendTaskSuccessCommand({ taskToken: token, output: "{}" })),
    );
    const notJson = await errorOf(
      wire.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: "approved" })),
    );
    const tooLong = await errorOf(
      wire.sfn.send(
        new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify("x".repeat(262_144)) }),
      ),
    );
    const longError = await errorOf(
      wire.sfn.send(new SendTaskFailureCommand({ taskToken: token, error: "E".repeat(257) })),
    );
    // Assess
    expect(otherRegion).toMatch(/^TaskDoesNotExist: /);
    expect(notJson).toMatch(/^InvalidOutput: /);
    expect(tooLong).toMatch(/^ValidationException: .*output/);
    expect(longError).toMatch(/^ValidationException: .*error/);
    expect((await status(wire, executionArn)).status).toBe("RUNNING");
  });

  it("SendTaskFailure fails the Task with the error and cause as sent (TaskFailed), caught or ending the execution", async () => {
    // Prepare
    const { wire, executionArn, token } = await startWaiting();
    // Act
    await wire.sfn.send(
      new SendTaskFailureCommand({ taskToken: token, error: "FailoverRejected", cause: "not now" }),
    );
    await done(wire);
    // Assess
    const described = await status(wire, executionArn);
    expect(described).toMatchObject({ status: "FAILED", error: "FailoverRejected", cause: "not now" });
    const failed = (await historyOf(wire.sfn, executionArn)).find((e) => e.type === "TaskFailed");
    expect(failed?.taskFailedEventDetails).toEqual({
      resourceType: "lambda",
      resource: "invoke.waitForTaskToken",
      error: "FailoverRejected",
      cause: "not now",
    });
  });

  it("times out on the virtual clock at TimeoutSecondsPath (TaskTimedOut, States.Timeout); the token is closed then", async () => {
    // Prepare
    const { wire, executionArn, token } = await startWaiting({ TimeoutSecondsPath: "$.n" });
    const started = wire.clock.nowMs();
    // Act
    await done(wire);
    const late = await errorOf(wire.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: "{}" })));
    // Assess
    const described = await status(wire, executionArn);
    expect(described).toMatchObject({ status: "FAILED", error: "States.Timeout" });
    const events = await historyOf(wire.sfn, executionArn);
    const timedOut = events.find((e) => e.type === "TaskTimedOut");
    expect(timedOut?.taskTimedOutEventDetails).toEqual({
      resourceType: "lambda",
      resource: "invoke.waitForTaskToken",
      error: "States.Timeout",
    });
    expect((timedOut?.timestamp?.getTime() ?? 0) - started).toBe(1000);
    expect(events.find((e) => e.type === "TaskScheduled")?.taskScheduledEventDetails?.timeoutInSeconds).toBe(
      1,
    );
    expect(late).toMatch(/^TaskTimedOut: /);
  });

  it("without a heartbeat within HeartbeatSeconds fails with States.HeartbeatTimeout", async () => {
    const { wire, executionArn } = await startWaiting({ HeartbeatSeconds: 60, TimeoutSeconds: 600 });
    await done(wire);
    const described = await status(wire, executionArn);
    expect(described).toMatchObject({ status: "FAILED", error: "States.HeartbeatTimeout" });
    const timedOut = (await historyOf(wire.sfn, executionArn)).find((e) => e.type === "TaskTimedOut");
    expect(timedOut?.taskTimedOutEventDetails?.error).toBe("States.HeartbeatTimeout");
  });

  it("StopExecution closes the waiting task: a later answer is TaskTimedOut", async () => {
    // Prepare
    const { wire, executionArn, token } = await startWaiting();
    // Act
    await wire.sfn.send(new StopExecutionCommand({ executionArn }));
    const late = await errorOf(wire.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: "{}" })));
    // Assess
    expect((await status(wire, executionArn)).status).toBe("ABORTED");
    expect(late).toMatch(/^TaskTimedOut: /);
  });
});
