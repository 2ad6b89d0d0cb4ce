import type { HistoryEvent } from "@aws-sdk/client-sfn";
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../../scripts/sandbox/clock.js";
import { SfnBackend } from "../../../scripts/sandbox/sfn/backend.js";
import { LambdaRegistry } from "../../../scripts/sandbox/sfn/lambda-registry.js";
import { Scheduler, timeSourceOf } from "../../../scripts/sandbox/sfn/scheduler.js";

const START = "2026-03-01T09:00:00.000Z";
const ROLE = "arn:aws:iam::111122223333:role/drctl-orchestrator";
const FN = "arn:aws:lambda:us-west-2:111122223333:function:tick";

/** Task → Wait (SecondsPath from the Task's result) → Task, under an execution timeout. */
const definition = (timeoutSeconds: number) => ({
  StartAt: "First",
  TimeoutSeconds: timeoutSeconds,
  States: {
    First: { Type: "Task", Resource: FN, ResultPath: "$.tick", TimeoutSeconds: 10, Next: "Pause" },
    Pause: { Type: "Wait", SecondsPath: "$.tick.waitSeconds", Next: "Second" },
    Second: { Type: "Task", Resource: FN, ResultPath: "$.tick", TimeoutSeconds: 10, End: true },
  },
});

async function start(scheduler: Scheduler, timeoutSeconds: number, registry: LambdaRegistry) {
  const sfn = new SfnBackend({ account: "111122223333", scheduler, registry });
  const call = (operation: string, input: Record<string, unknown>) =>
    sfn.call({ service: "sfn", operation, region: "us-west-2", input });
  const { stateMachineArn } = await call("CreateStateMachine", {
    name: "tick",
    definition: JSON.stringify(definition(timeoutSeconds)),
    roleArn: ROLE,
  });
  const { executionArn } = await call("StartExecution", { stateMachineArn, input: "{}" });
  const record = sfn.executionRecords()[0];
  await record?.done;
  return { record, call, executionArn };
}

describe("Scheduler", () => {
  it("paced: the clock flows with wall time and a Wait ends when the clock reaches it", async () => {
    // Prepare: 600 simulated seconds per second; the Wait is 30 s → ~50 ms of real time.
    const clock = new VirtualClock(START);
    const stop = clock.runWithWall(600);
    const scheduler = new Scheduler(timeSourceOf(clock), { kind: "paced", tickMs: 5 });
    const seen: number[] = [];
    const registry = new LambdaRegistry().register(FN, () => {
      seen.push(clock.nowMs());
      return { waitSeconds: 30 };
    });
    const wall = Date.now();

    // Act
    const { record } = await start(scheduler, 3600, registry);
    stop();
    scheduler.close();

    // Assess
    expect(record?.status).toBe("SUCCEEDED");
    expect(seen).toHaveLength(2);
    expect((seen[1] as number) - (seen[0] as number)).toBeGreaterThanOrEqual(30_000);
    expect(Date.now() - wall).toBeGreaterThanOrEqual(40);
  });

  it("instant: an execution whose Wait outlasts TimeoutSeconds times out on the virtual clock", async () => {
    const clock = new VirtualClock(START);
    const scheduler = new Scheduler(timeSourceOf(clock));
    const calls: string[] = [];
    const registry = new LambdaRegistry().register("tick", () => {
      calls.push(clock.now().toISOString());
      return { waitSeconds: 500 };
    });
    const wall = Date.now();

    const { record, call, executionArn } = await start(scheduler, 100, registry);

    // Virtual time: the 100 s timeout is not slept in real time (a wide margin, not a speed target).
    expect(Date.now() - wall).toBeLessThan(30_000);
    expect(record?.status).toBe("TIMED_OUT");
    expect(calls).toEqual([START]);
    expect(clock.now().toISOString()).toBe("2026-03-01T09:01:40.000Z");
    const { events } = (await call("GetExecutionHistory", {
      executionArn,
      reverseOrder: true,
      maxResults: 1,
    })) as {
      events: HistoryEvent[];
    };
    expect(events[0]?.type).toBe("ExecutionTimedOut");
    expect(events[0]?.timestamp).toEqual(new Date("2026-03-01T09:01:40.000Z"));
  });

  it("instant: the clock does not move while a handler runs", async () => {
    const clock = new VirtualClock(START);
    const scheduler = new Scheduler(timeSourceOf(clock));
    const sleeper = scheduler.sleepUntil(Date.parse(START) + 60_000);
    scheduler.enter();
    await new Promise((r) => setTimeout(r, 30));
    expect(clock.now().toISOString()).toBe(START);
    expect(sleeper.woken).toBe(false);
    scheduler.exit();
    await sleeper.promise;
    expect(clock.now().toISOString()).toBe("2026-03-01T09:01:00.000Z");
  });
});
