import type { HistoryEvent } from "@aws-sdk/client-sfn";
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../../scripts/sandbox/clock.js";
import { SfnBackend } from "../../../scripts/sandbox/sfn/backend.js";
import { LambdaRegistry } from "../../../scripts/sandbox/sfn/lambda-registry.js";
import { Scheduler, timeSourceOf } from "../../../scripts/sandbox/sfn/scheduler.js";
import { SandboxError } from "../../../scripts/sandbox/types.js";

const REGION = "us-west-2";
const ACCOUNT = "111122223333";
const START = "2026-03-01T09:00:00.000Z";
const fnArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/drctl-orchestrator`;

class Transient extends Error {
  override readonly name = "AwsTransient";
}
class Boom extends Error {
  override readonly name = "StackFailed";
}

/** Two branches that each loop Task → Wait(SecondsPath) → Task, then a flaky Task retried twice. */
function definition() {
  const loop = (prefix: string, fn: string) => ({
    StartAt: `${prefix}Start`,
    States: {
      [`${prefix}Start`]: {
        Type: "Task",
        Resource: fnArn(fn),
        Parameters: { "n.$": "$.n" },
        ResultPath: "$.r",
        TimeoutSeconds: 30,
        Next: `${prefix}Done?`,
      },
      [`${prefix}Done?`]: {
        Type: "Choice",
        Choices: [{ Variable: "$.r.done", BooleanEquals: true, Next: `${prefix}End` }],
        Default: `${prefix}Wait`,
      },
      [`${prefix}Wait`]: { Type: "Wait", SecondsPath: "$.r.waitSeconds", Next: `${prefix}Check` },
      [`${prefix}Check`]: {
        Type: "Task",
        Resource: fnArn(fn),
        Parameters: { "n.$": "$.r.n" },
        ResultPath: "$.r",
        TimeoutSeconds: 30,
        Next: `${prefix}Done?`,
      },
      [`${prefix}End`]: { Type: "Pass", End: true },
    },
  });
  return {
    StartAt: "Begin",
    TimeoutSeconds: 3600,
    States: {
      Begin: {
        Type: "Task",
        Resource: fnArn("begin"),
        Parameters: {
          "input.$": "$",
          "startTime.$": "$$.Execution.StartTime",
          "name.$": "$$.Execution.Name",
        },
        ResultPath: "$.begin",
        TimeoutSeconds: 30,
        Next: "Both",
      },
      Both: {
        Type: "Parallel",
        Branches: [loop("A", "slow"), loop("B", "fast")],
        ResultPath: null,
        Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Caught" }],
        Next: "Flaky",
      },
      Flaky: {
        Type: "Task",
        Resource: fnArn("flaky"),
        ResultPath: "$.flaky",
        TimeoutSeconds: 30,
        Retry: [{ ErrorEquals: ["AwsTransient"], IntervalSeconds: 5, BackoffRate: 2, MaxAttempts: 3 }],
        Next: "Succeeded",
      },
      Caught: { Type: "Fail", ErrorPath: "$.error.Error", CausePath: "$.error.Cause" },
      Succeeded: { Type: "Succeed" },
    },
  };
}

interface Setup {
  backend: SfnBackend;
  clock: VirtualClock;
  calls: { fn: string; at: string; input: unknown }[];
  call: (operation: string, input: Record<string, unknown>) => Promise<Record<string, unknown>>;
}

function setup(opts: { flakyFailures?: number; slowFails?: boolean } = {}): Setup {
  const clock = new VirtualClock(START);
  const scheduler = new Scheduler(timeSourceOf(clock));
  const registry = new LambdaRegistry();
  const calls: Setup["calls"] = [];
  const at = () => clock.now().toISOString();
  let flaky = opts.flakyFailures ?? 2;
  // "slow": done after 3 checks of 600 s; "fast": done after 2 checks of 300 s.
  const looping = (fn: string, waitSeconds: number, rounds: number) => async (input: unknown) => {
    calls.push({ fn, at: at(), input });
    const n = ((input as { n?: number }).n ?? 0) + 1;
    if (fn === "slow" && opts.slowFails && n === 2) throw new Boom("stack rolled back");
    return { n, done: n > rounds, waitSeconds };
  };
  registry
    .register("begin", async (input) => {
      calls.push({ fn: "begin", at: at(), input });
      return { ok: true, n: 0 };
    })
    .register(fnArn("slow"), looping("slow", 600, 3))
    .register("fast", looping("fast", 300, 2))
    .register("flaky", async (input) => {
      calls.push({ fn: "flaky", at: at(), input });
      if (flaky-- > 0) throw new Transient("throttled");
      return { ok: true };
    });
  const backend = new SfnBackend({ account: ACCOUNT, scheduler, registry });
  const call = (operation: string, input: Record<string, unknown>) =>
    backend.call({ service: "sfn", operation, region: REGION, input });
  return { backend, clock, calls, call };
}

async function runToEnd(s: Setup, input: unknown = { n: 0 }, name = "run-1") {
  const { stateMachineArn } = await s.call("CreateStateMachine", {
    name: "tiny",
    definition: JSON.stringify(definition()),
    roleArn: ROLE,
  });
  const { executionArn } = await s.call("StartExecution", {
    stateMachineArn,
    name,
    input: JSON.stringify(input),
  });
  const rec = s.backend.executionRecords().find((r) => r.executionArn === executionArn);
  await rec?.done;
  const described = await s.call("DescribeExecution", { executionArn });
  const { events } = (await s.call("GetExecutionHistory", { executionArn, maxResults: 1000 })) as {
    events: HistoryEvent[];
  };
  return {
    stateMachineArn: stateMachineArn as string,
    executionArn: executionArn as string,
    described,
    events,
  };
}

const seconds = (iso: string) => (Date.parse(iso) - Date.parse(START)) / 1000;
const ts = (e: HistoryEvent) => (e.timestamp as Date).toISOString();
describe("SFN emulation: virtual time", () => {
  it("runs Waits and Retry intervals on the virtual clock, overlapping parallel waits", async () => {
    // Prepare
    const s = setup();
    const wallStart = Date.now();

    // Act
    const { described, events } = await runToEnd(s);

    // Assess
    expect(described.status).toBe("SUCCEEDED");
    // 1,815 simulated seconds are not slept in real time (a wide margin, not a speed target).
    expect(Date.now() - wallStart).toBeLessThan(60_000);
    // Branch A: 3 waits of 600 s = 1800 s; branch B: 2 waits of 300 s (overlapping A's).
    // Then Flaky fails twice: retries after 5 s and 10 s.
    expect(seconds(s.clock.now().toISOString())).toBe(1800 + 5 + 10);
    const flakyCalls = s.calls.filter((c) => c.fn === "flaky").map((c) => seconds(c.at));
    expect(flakyCalls).toEqual([1800, 1805, 1815]);
    const fastCalls = s.calls.filter((c) => c.fn === "fast").map((c) => seconds(c.at));
    expect(fastCalls).toEqual([0, 300, 600]);
    const slowCalls = s.calls.filter((c) => c.fn === "slow").map((c) => seconds(c.at));
    expect(slowCalls).toEqual([0, 600, 1200, 1800]);
    expect((described.stopDate as Date).toISOString()).toBe(s.clock.now().toISOString());
    const last = events.at(-1);
    expect(last?.type).toBe("ExecutionSucceeded");
    expect(seconds(ts(last as HistoryEvent))).toBe(1815);
  });

  it("passes the execution's virtual start time and name through $$ references", async () => {
    const s = setup();
    await runToEnd(s, { n: 0, mode: "drill" }, "drill-x");
    const begin = s.calls.find((c) => c.fn === "begin");
    expect(begin?.input).toEqual({ input: { n: 0, mode: "drill" }, startTime: START, name: "drill-x" });
  });

  it("stamps Wait exits at the wake-up time and keeps timestamps ordered", async () => {
    const s = setup();
    const { events } = await runToEnd(s);
    const waitsA = events.filter(
      (e) => e.stateEnteredEventDetails?.name === "AWait" || e.stateExitedEventDetails?.name === "AWait",
    );
    expect(waitsA.map((e) => [e.type, seconds(ts(e))])).toEqual([
      ["WaitStateEntered", 0],
      ["WaitStateExited", 600],
      ["WaitStateEntered", 600],
      ["WaitStateExited", 1200],
      ["WaitStateEntered", 1200],
      ["WaitStateExited", 1800],
    ]);
    const times = events.map((e) => (e.timestamp as Date).getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});

describe("SFN emulation: history format", () => {
  it("emits the Step Functions event types with ids, previous ids and details", async () => {
    const s = setup();
    const { events, executionArn } = await runToEnd(s);
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    const types = events.map((e) => e.type);
    expect(types[0]).toBe("ExecutionStarted");
    expect(types.slice(1, 6)).toEqual([
      "TaskStateEntered",
      "LambdaFunctionScheduled",
      "LambdaFunctionStarted",
      "LambdaFunctionSucceeded",
      "TaskStateExited",
    ]);
    expect(types).toContain("ParallelStateEntered");
    expect(types.filter((t) => t === "ParallelStateStarted")).toHaveLength(1);
    expect(types.indexOf("ParallelStateSucceeded")).toBe(types.indexOf("ParallelStateExited") - 1);
    expect(types).toContain("ChoiceStateEntered");
    expect(types).toContain("PassStateExited");
    expect(types.filter((t) => t === "LambdaFunctionFailed")).toHaveLength(2);
    expect(types).toContain("SucceedStateEntered");
    expect(types).not.toContain("StateRetried");
    expect(events.map((e, i) => i > 0 && (e.previousEventId ?? 0) > 0)).toEqual(events.map((_, i) => i > 1));

    const started = events[0];
    expect(JSON.parse(started?.executionStartedEventDetails?.input ?? "")).toEqual({ n: 0 });
    expect(started?.executionStartedEventDetails?.roleArn).toBe(ROLE);
    const entered = events[1];
    expect(entered?.stateEnteredEventDetails?.name).toBe("Begin");
    expect(JSON.parse(entered?.stateEnteredEventDetails?.input ?? "")).toEqual({ n: 0 });
    const failed = events.find((e) => e.type === "LambdaFunctionFailed");
    expect(failed?.lambdaFunctionFailedEventDetails?.error).toBe("AwsTransient");
    expect(JSON.parse(failed?.lambdaFunctionFailedEventDetails?.cause ?? "")).toMatchObject({
      errorType: "AwsTransient",
      errorMessage: "throttled",
    });
    const exited = events.find(
      (e) => e.type === "TaskStateExited" && e.stateExitedEventDetails?.name === "Flaky",
    );
    expect(JSON.parse(exited?.stateExitedEventDetails?.output ?? "").flaky).toEqual({ ok: true });

    // Without data: same events, no payloads.
    const bare = (await s.call("GetExecutionHistory", {
      executionArn,
      includeExecutionData: false,
      maxResults: 3,
    })) as {
      events: HistoryEvent[];
    };
    expect(bare.events[1]?.stateEnteredEventDetails).toEqual({
      name: "Begin",
      inputDetails: { truncated: false },
    });
  });

  it("pages with maxResults/nextToken, forwards and in reverse", async () => {
    const s = setup();
    const { events, executionArn } = await runToEnd(s);
    const collect = async (reverseOrder: boolean) => {
      const out: HistoryEvent[] = [];
      let nextToken: string | undefined;
      let pages = 0;
      do {
        const page = (await s.call("GetExecutionHistory", {
          executionArn,
          maxResults: 7,
          reverseOrder,
          ...(nextToken ? { nextToken } : {}),
        })) as { events: HistoryEvent[]; nextToken?: string };
        expect(page.events.length).toBeLessThanOrEqual(7);
        out.push(...page.events);
        nextToken = page.nextToken;
        pages++;
      } while (nextToken);
      return { out, pages };
    };
    const fwd = await collect(false);
    expect(fwd.out.map((e) => e.id)).toEqual(events.map((e) => e.id));
    expect(fwd.pages).toBe(Math.ceil(events.length / 7));
    const rev = await collect(true);
    expect(rev.out.map((e) => e.id)).toEqual(events.map((e) => e.id).reverse());
    await expect(s.call("GetExecutionHistory", { executionArn, nextToken: "bogus" })).rejects.toMatchObject({
      code: "InvalidToken",
    });
  });
});

describe("SFN emulation: failures", () => {
  it("fails with the caught error; the aborted sibling branch's Wait does not move the clock", async () => {
    const s = setup({ slowFails: true });
    const { described, events } = await runToEnd(s);
    expect(described.status).toBe("FAILED");
    expect(described.error).toBe("StackFailed");
    expect(JSON.parse(described.cause as string)).toMatchObject({
      errorType: "StackFailed",
      errorMessage: "stack rolled back",
    });
    // slow fails on its 2nd call at t=600; fast's branch is aborted while waiting until 900.
    expect(seconds(s.clock.now().toISOString())).toBe(600);
    const types = events.map((e) => e.type);
    expect(types).toContain("ParallelStateFailed");
    expect(types).toContain("FailStateEntered");
    expect(types.at(-1)).toBe("ExecutionFailed");
    expect(events.at(-1)?.executionFailedEventDetails?.error).toBe("StackFailed");
    expect(s.calls.filter((c) => c.fn === "flaky")).toHaveLength(0);
  });

  it("fails when retries are exhausted", async () => {
    const s = setup({ flakyFailures: 10 });
    const { described } = await runToEnd(s);
    expect(described.status).toBe("FAILED");
    expect(described.error).toBe("AwsTransient");
    // 1 + 3 attempts: waits 5, 10, 20 after the branches' 1800 s.
    expect(s.calls.filter((c) => c.fn === "flaky").map((c) => seconds(c.at))).toEqual([
      1800, 1805, 1815, 1835,
    ]);
  });

  it("answers the Step Functions errors", async () => {
    const s = setup();
    const missing = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:nope`;
    await expect(s.call("DescribeStateMachine", { stateMachineArn: missing })).rejects.toMatchObject({
      code: "StateMachineDoesNotExist",
    });
    await expect(s.call("StartExecution", { stateMachineArn: missing })).rejects.toMatchObject({
      code: "StateMachineDoesNotExist",
    });
    await expect(
      s.call("DescribeExecution", {
        executionArn: `arn:aws:states:${REGION}:${ACCOUNT}:execution:tiny:nope`,
      }),
    ).rejects.toMatchObject({ code: "ExecutionDoesNotExist" });
    await expect(s.call("DescribeExecution", { executionArn: "not-an-arn" })).rejects.toMatchObject({
      code: "InvalidArn",
    });
    await expect(s.call("ListTagsForResource", {})).rejects.toBeInstanceOf(SandboxError);
    await expect(
      s.call("CreateStateMachine", { name: "bad", definition: "{", roleArn: ROLE }),
    ).rejects.toMatchObject({ code: "InvalidDefinition" });

    const def = JSON.stringify(definition());
    const a = await s.call("CreateStateMachine", { name: "tiny", definition: def, roleArn: ROLE });
    const again = await s.call("CreateStateMachine", { name: "tiny", definition: def, roleArn: ROLE });
    expect(again.stateMachineArn).toBe(a.stateMachineArn);
    expect(a.stateMachineArn).toBe(`arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:tiny`);
    await expect(
      s.call("CreateStateMachine", {
        name: "tiny",
        definition: JSON.stringify({ ...definition(), Comment: "x" }),
        roleArn: ROLE,
      }),
    ).rejects.toMatchObject({ code: "StateMachineAlreadyExists" });

    const first = await s.call("StartExecution", {
      stateMachineArn: a.stateMachineArn,
      name: "e1",
      input: '{"n":0}',
    });
    const same = await s.call("StartExecution", {
      stateMachineArn: a.stateMachineArn,
      name: "e1",
      input: '{ "n": 0 }',
    });
    expect(same.executionArn).toBe(first.executionArn);
    await expect(
      s.call("StartExecution", { stateMachineArn: a.stateMachineArn, name: "e1", input: '{"n":1}' }),
    ).rejects.toMatchObject({ code: "ExecutionAlreadyExists" });
    const generated = await s.call("StartExecution", {
      stateMachineArn: a.stateMachineArn,
      input: '{"n":0}',
    });
    expect(generated.executionArn).toMatch(/:execution:tiny:[0-9a-f-]{36}$/);
    await expect(
      s.call("StartExecution", { stateMachineArn: a.stateMachineArn, input: "nope" }),
    ).rejects.toMatchObject({
      code: "InvalidExecutionInput",
    });
  });

  it("lists and stops executions", async () => {
    const s = setup();
    const { stateMachineArn } = await s.call("CreateStateMachine", {
      name: "tiny",
      definition: JSON.stringify(definition()),
      roleArn: ROLE,
    });
    const one = await s.call("StartExecution", { stateMachineArn, name: "one", input: '{"n":0}' });
    const stopped = await s.call("StopExecution", {
      executionArn: one.executionArn,
      error: "Manual",
      cause: "test",
    });
    expect(stopped.stopDate).toBeInstanceOf(Date);
    const d = await s.call("DescribeExecution", { executionArn: one.executionArn });
    expect(d).toMatchObject({ status: "ABORTED", error: "Manual", cause: "test" });
    const two = await s.call("StartExecution", { stateMachineArn, name: "two", input: '{"n":0}' });
    await s.backend.executionRecords().find((r) => r.executionArn === two.executionArn)?.done;

    const list = await s.call("ListExecutions", { stateMachineArn, maxResults: 1 });
    expect((list.executions as unknown[]).length).toBe(1);
    expect(list.nextToken).toBeTypeOf("string");
    const page2 = await s.call("ListExecutions", {
      stateMachineArn,
      maxResults: 1,
      nextToken: list.nextToken,
    });
    expect((page2.executions as unknown[]).length).toBe(1);
    expect(page2.nextToken).toBeUndefined();
    const aborted = await s.call("ListExecutions", { stateMachineArn, statusFilter: "ABORTED" });
    expect((aborted.executions as { name: string }[]).map((e) => e.name)).toEqual(["one"]);
    const machines = await s.call("ListStateMachines", {});
    expect(machines.stateMachines).toEqual([
      expect.objectContaining({ name: "tiny", stateMachineArn, type: "STANDARD" }),
    ]);
  });
});

describe("SFN emulation: Task resources", () => {
  it("runs lambda:invoke Tasks and Tasks inside Map iterations with the local handlers", async () => {
    // Prepare
    const clock = new VirtualClock(START);
    const seen: unknown[] = [];
    const registry = new LambdaRegistry().register("double", (input) => {
      seen.push(input);
      return { doubled: ((input as { n: number }).n ?? 0) * 2 };
    });
    const backend = new SfnBackend({
      account: ACCOUNT,
      scheduler: new Scheduler(timeSourceOf(clock)),
      registry,
    });
    const call = (operation: string, input: Record<string, unknown>) =>
      backend.call({ service: "sfn", operation, region: REGION, input });
    const def = {
      StartAt: "Each",
      States: {
        Each: {
          Type: "Map",
          ItemsPath: "$.items",
          ItemProcessor: {
            StartAt: "Double",
            States: {
              Double: {
                Type: "Task",
                Resource: "arn:aws:states:::lambda:invoke",
                Parameters: { FunctionName: fnArn("double"), "Payload.$": "$" },
                OutputPath: "$.Payload",
                End: true,
              },
            },
          },
          End: true,
        },
      },
    };
    const { stateMachineArn } = await call("CreateStateMachine", {
      name: "mapped",
      definition: JSON.stringify(def),
      roleArn: ROLE,
    });

    // Act
    const { executionArn } = await call("StartExecution", {
      stateMachineArn,
      input: JSON.stringify({ items: [{ n: 1 }, { n: 2 }] }),
    });
    await backend.executionRecords()[0]?.done;
    const d = await call("DescribeExecution", { executionArn });

    // Assess
    expect(d.status).toBe("SUCCEEDED");
    expect(JSON.parse(d.output as string)).toEqual([{ doubled: 2 }, { doubled: 4 }]);
    expect(seen).toEqual([{ n: 1 }, { n: 2 }]);
    const { events } = (await call("GetExecutionHistory", { executionArn })) as { events: HistoryEvent[] };
    const types = events.map((e) => e.type);
    expect(types.filter((t) => t === "MapStateStarted")).toHaveLength(1);
    expect(types.filter((t) => t === "MapIterationSucceeded")).toHaveLength(2);
    expect(types.filter((t) => t === "TaskSucceeded")).toHaveLength(2);
    expect(types.slice(-3)).toEqual(["MapStateSucceeded", "MapStateExited", "ExecutionSucceeded"]);
  });
});
