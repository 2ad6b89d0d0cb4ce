/**
 * Step Functions limits in the emulation (docs/fidelity.md, "Step Functions"): 256 KB state
 * input/output and task results (States.DataLimitExceeded, which States.ALL does not catch),
 * 25,000 history events (States.Runtime), and a Task past its TimeoutSeconds whose Lambda keeps
 * running while the retry starts. Small synthetic state machines through the SFN API.
 */
import type { HistoryEvent } from "@aws-sdk/client-sfn";
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../../scripts/sandbox/clock.js";
import { SfnBackend } from "../../../scripts/sandbox/sfn/backend.js";
import type { ExecutionRecord } from "../../../scripts/sandbox/sfn/execution.js";
import { LambdaRegistry, type LocalHandler } from "../../../scripts/sandbox/sfn/lambda-registry.js";
import { Scheduler, timeSourceOf } from "../../../scripts/sandbox/sfn/scheduler.js";

const ROLE = "arn:aws:iam::111122223333:role/drctl-orchestrator";
const fn = (name: string) => `arn:aws:lambda:us-west-2:111122223333:function:${name}`;
const TOO_BIG = "x".repeat(300 * 1024);
const HALF = "x".repeat(150 * 1024);
const LIMIT_CAUSE = (state: string) =>
  `The state/task '${state}' returned a result with a size exceeding the maximum number of bytes service limit.`;

interface Ran {
  record: ExecutionRecord;
  events: HistoryEvent[];
  call: (operation: string, body: Record<string, unknown>) => Promise<Record<string, unknown>>;
}

/** Runs one definition to its end (or fails the test after `ms` of real time). */
async function run(
  definition: object,
  handlers: Record<string, LocalHandler>,
  input = {},
  ms = 30_000,
): Promise<Ran> {
  const clock = new VirtualClock("2026-03-01T09:00:00Z");
  const registry = new LambdaRegistry();
  for (const [name, h] of Object.entries(handlers)) registry.register(fn(name), h);
  const sfn = new SfnBackend({
    account: "111122223333",
    scheduler: new Scheduler(timeSourceOf(clock)),
    registry,
  });
  const call = (operation: string, body: Record<string, unknown>) =>
    sfn.call({ service: "sfn", operation, region: "us-west-2", input: body });
  const { stateMachineArn } = await call("CreateStateMachine", {
    name: "limits",
    definition: JSON.stringify(definition),
    roleArn: ROLE,
  });
  const { executionArn } = await call("StartExecution", { stateMachineArn, input: JSON.stringify(input) });
  const record = sfn.executionRecords()[0] as ExecutionRecord;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    record.done,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the execution did not end within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = (await call("GetExecutionHistory", {
      executionArn,
      maxResults: 1000,
      ...(nextToken ? { nextToken } : {}),
    })) as { events: HistoryEvent[]; nextToken?: string };
    events.push(...page.events);
    nextToken = page.nextToken;
  } while (nextToken);
  return { record, events, call };
}

const catchAll = [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Caught" }];

describe("SFN emulation: 256 KB payloads", () => {
  it("a task result over 256 KB fails the execution with States.DataLimitExceeded; States.ALL does not catch it", async () => {
    const { record, events } = await run(
      {
        StartAt: "Big",
        States: {
          Big: { Type: "Task", Resource: fn("big"), Catch: catchAll, Next: "Done" },
          Caught: { Type: "Pass", End: true },
          Done: { Type: "Succeed" },
        },
      },
      { big: () => ({ blob: TOO_BIG }) },
    );
    expect(record.status).toBe("FAILED");
    expect(record.error).toBe("States.DataLimitExceeded");
    expect(record.cause).toBe(LIMIT_CAUSE(fn("big")));
    expect(events.at(-1)?.executionFailedEventDetails).toEqual({
      error: "States.DataLimitExceeded",
      cause: LIMIT_CAUSE(fn("big")),
    });
    expect(events.some((e) => e.stateEnteredEventDetails?.name === "Caught")).toBe(false);
  });

  it("a catcher that names States.DataLimitExceeded catches it", async () => {
    const { record } = await run(
      {
        StartAt: "Big",
        States: {
          Big: {
            Type: "Task",
            Resource: fn("big"),
            Catch: [{ ErrorEquals: ["States.DataLimitExceeded"], ResultPath: "$.error", Next: "Caught" }],
            End: true,
          },
          Caught: { Type: "Pass", End: true },
        },
      },
      { big: () => ({ blob: TOO_BIG }) },
    );
    expect(record.status).toBe("SUCCEEDED");
    expect(JSON.parse(record.output ?? "{}").error.Error).toBe("States.DataLimitExceeded");
  });

  it("a Pass state whose output exceeds 256 KB fails the execution", async () => {
    const { record } = await run(
      {
        StartAt: "Half",
        States: {
          Half: { Type: "Task", Resource: fn("half"), ResultPath: "$.r", Next: "Double" },
          Double: { Type: "Pass", Parameters: { "a.$": "$.r", "b.$": "$.r" }, End: true },
        },
      },
      { half: () => HALF },
    );
    expect(record.status).toBe("FAILED");
    expect(record.error).toBe("States.DataLimitExceeded");
    expect(record.cause).toBe(LIMIT_CAUSE("Double"));
  });

  it("a Task whose input after Parameters exceeds 256 KB fails before its Lambda runs", async () => {
    let called = 0;
    const { record } = await run(
      {
        StartAt: "Send",
        States: {
          Send: {
            Type: "Task",
            Resource: fn("take"),
            Parameters: { "a.$": "$.half", "b.$": "$.half" },
            Catch: catchAll,
            End: true,
          },
          Caught: { Type: "Pass", End: true },
        },
      },
      {
        take: () => {
          called++;
          return {};
        },
      },
      { half: HALF },
    );
    expect(record.status).toBe("FAILED");
    expect(record.error).toBe("States.DataLimitExceeded");
    expect(called).toBe(0);
  });
});

describe("SFN emulation: page sizes", () => {
  it("GetExecutionHistory takes a maxResults of 0 (the default, 100) to 1000", async () => {
    const { record, call } = await run({ StartAt: "Done", States: { Done: { Type: "Succeed" } } }, {});
    const err = await call("GetExecutionHistory", {
      executionArn: record.executionArn,
      maxResults: 1001,
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "ValidationException" });
    expect((err as Error).message).toMatch(/Member must have value less than or equal to 1000$/);
  });
});

describe("SFN emulation: 25,000 history events", () => {
  it("fails the execution with States.Runtime as event 25,000", async () => {
    const { record, events } = await run(
      {
        StartAt: "Spin",
        States: {
          Spin: { Type: "Pass", Next: "Again?" },
          "Again?": {
            Type: "Choice",
            Choices: [{ Variable: "$.spin", BooleanEquals: true, Next: "Spin" }],
            Default: "Done",
          },
          Done: { Type: "Succeed" },
        },
      },
      {},
      { spin: true },
      120_000,
    );
    expect(record.status).toBe("FAILED");
    expect(record.error).toBe("States.Runtime");
    expect(record.cause).toBe("The execution reached the maximum number of history events (25000).");
    expect(events).toHaveLength(25_000);
    const last = events.at(-1);
    expect(last).toMatchObject({ id: 25_000, previousEventId: 24_999, type: "ExecutionFailed" });
    expect(last?.executionFailedEventDetails).toEqual({
      error: "States.Runtime",
      cause: "The execution reached the maximum number of history events (25000).",
    });
  });
});

describe("SFN emulation: a Task past its TimeoutSeconds", () => {
  it("fails with States.Timeout while its Lambda keeps running; the retry overlaps it and the late result is discarded", async () => {
    // Prepare: the first invocation takes 1.5 s of real time, the Task allows 1 s.
    const log: string[] = [];
    let calls = 0;
    const slow: LocalHandler = async () => {
      const n = ++calls;
      log.push(`start ${n}`);
      if (n === 1) await new Promise((done) => setTimeout(done, 1500));
      log.push(`end ${n}`);
      return { attempt: n };
    };

    // Act
    const { record, events } = await run(
      {
        StartAt: "Slow",
        States: {
          Slow: {
            Type: "Task",
            Resource: fn("slow"),
            TimeoutSeconds: 1,
            Retry: [{ ErrorEquals: ["States.Timeout"], IntervalSeconds: 5, MaxAttempts: 1 }],
            End: true,
          },
        },
      },
      { slow },
    );
    const whenDone = [...log];
    await Promise.all(record.detached);

    // Assess
    expect(record.status).toBe("SUCCEEDED");
    expect(JSON.parse(record.output ?? "null")).toEqual({ attempt: 2 });
    // The retry started (and finished) while the first invocation was still running...
    expect(whenDone).toEqual(["start 1", "start 2", "end 2"]);
    // ...which ran to its end afterwards: its effects land, nothing uses its result.
    expect(log).toEqual(["start 1", "start 2", "end 2", "end 1"]);
    expect(record.detached).toHaveLength(1);
    const types = events.map((e) => e.type);
    expect(types.filter((t) => t === "LambdaFunctionTimedOut")).toHaveLength(1);
    expect(
      events.find((e) => e.type === "LambdaFunctionTimedOut")?.lambdaFunctionTimedOutEventDetails?.error,
    ).toBe("States.Timeout");
    expect(types.filter((t) => t === "LambdaFunctionSucceeded")).toHaveLength(1);
  });
});
