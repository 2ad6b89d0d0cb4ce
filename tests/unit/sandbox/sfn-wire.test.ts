import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
} from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VirtualClock } from "../../../scripts/sandbox/clock.js";
import { type SandboxServer, startServer } from "../../../scripts/sandbox/server.js";
import { SfnBackend } from "../../../scripts/sandbox/sfn/backend.js";
import { LambdaRegistry } from "../../../scripts/sandbox/sfn/lambda-registry.js";
import { Scheduler, timeSourceOf } from "../../../scripts/sandbox/sfn/scheduler.js";

const ACCOUNT = "111122223333";
const FN = `arn:aws:lambda:us-west-2:${ACCOUNT}:function:work`;
const definition = {
  StartAt: "Work",
  States: {
    Work: {
      Type: "Task",
      Resource: FN,
      ResultPath: "$.work",
      TimeoutSeconds: 10,
      Retry: [{ ErrorEquals: ["AwsTransient"], IntervalSeconds: 5, MaxAttempts: 2 }],
      Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Failed" }],
      Next: "Pause",
    },
    Pause: { Type: "Wait", SecondsPath: "$.work.waitSeconds", Next: "Done" },
    Failed: { Type: "Fail", ErrorPath: "$.error.Error", CausePath: "$.error.Cause" },
    Done: { Type: "Succeed" },
  },
};

describe("SFN emulation over the sandbox wire (SDK v3 SFNClient, strict output check)", () => {
  let server: SandboxServer;
  let sfn: SFNClient;
  let backend: SfnBackend;
  beforeAll(async () => {
    const clock = new VirtualClock("2026-03-01T09:00:00Z");
    let calls = 0;
    const registry = new LambdaRegistry().register("work", (input) => {
      calls++;
      if ((input as { fail?: boolean }).fail) {
        const e = new Error(`attempt ${calls} throttled`);
        e.name = "AwsTransient";
        throw e;
      }
      return { waitSeconds: 120 };
    });
    backend = new SfnBackend({ account: ACCOUNT, scheduler: new Scheduler(timeSourceOf(clock)), registry });
    server = await startServer({ backend, strict: true });
    sfn = new SFNClient({
      region: "us-west-2",
      endpoint: server.url,
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it("round-trips every operation the runner and the AWS CLI use", async () => {
    const created = await sfn.send(
      new CreateStateMachineCommand({
        name: "wire",
        definition: JSON.stringify(definition),
        roleArn: `arn:aws:iam::${ACCOUNT}:role/r`,
      }),
    );
    const stateMachineArn = created.stateMachineArn as string;
    expect(created.creationDate).toBeInstanceOf(Date);
    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));
    expect(described).toMatchObject({ name: "wire", status: "ACTIVE", type: "STANDARD" });
    expect(JSON.parse(described.definition as string)).toEqual(definition);
    const listed = await sfn.send(new ListStateMachinesCommand({}));
    expect(listed.stateMachines?.map((m) => m.name)).toEqual(["wire"]);

    const ok = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: "ok", input: "{}" }));
    const bad = await sfn.send(
      new StartExecutionCommand({ stateMachineArn, name: "bad", input: '{"fail":true}' }),
    );
    await Promise.all(backend.executionRecords().map((r) => r.done));

    const okDesc = await sfn.send(new DescribeExecutionCommand({ executionArn: ok.executionArn }));
    expect(okDesc.status).toBe("SUCCEEDED");
    expect(okDesc.stopDate?.getTime()).toBe((okDesc.startDate as Date).getTime() + 120_000);
    expect(JSON.parse(okDesc.output as string)).toEqual({ work: { waitSeconds: 120 } });
    const badDesc = await sfn.send(new DescribeExecutionCommand({ executionArn: bad.executionArn }));
    expect(badDesc).toMatchObject({ status: "FAILED", error: "AwsTransient" });
    expect(JSON.parse(badDesc.cause as string).errorMessage).toBe("attempt 4 throttled");

    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: bad.executionArn }));
    const types = history.events?.map((e) => e.type);
    expect(types?.filter((t) => t === "LambdaFunctionFailed")).toHaveLength(3);
    expect(types?.slice(-2)).toEqual(["FailStateEntered", "ExecutionFailed"]);
    expect(history.events?.every((e) => e.timestamp instanceof Date)).toBe(true);

    const failed = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: "FAILED" }));
    expect(failed.executions?.map((e) => e.name)).toEqual(["bad"]);
    const stopped = await sfn.send(new StopExecutionCommand({ executionArn: ok.executionArn }));
    expect(stopped.stopDate).toBeInstanceOf(Date);
  });

  it("answers the modeled errors", async () => {
    await expect(
      sfn.send(
        new DescribeStateMachineCommand({
          stateMachineArn: `arn:aws:states:us-west-2:${ACCOUNT}:stateMachine:none`,
        }),
      ),
    ).rejects.toBeInstanceOf(StateMachineDoesNotExist);
    await expect(
      sfn.send(
        new DescribeExecutionCommand({
          executionArn: `arn:aws:states:us-west-2:${ACCOUNT}:execution:wire:none`,
        }),
      ),
    ).rejects.toBeInstanceOf(ExecutionDoesNotExist);
  });
});
