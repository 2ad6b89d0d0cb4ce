/**
 * RedriveExecution in the emulation: eligibility (status, 14-day redrivable period, history
 * quota), the restart at the unsuccessful state with the input that state had, the ExecutionRedriven
 * event, redriveCount/redriveDate, $$.Execution.RedriveCount, the execution timeout reset and the
 * clientToken. Sources in docs/fidelity.md, "Step Functions".
 */
import {
  DescribeExecutionCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  StopExecutionCommand,
} from "@aws-sdk/client-sfn";
import { afterAll, describe, expect, it } from "vitest";
import type { ExecutionRecord } from "../../../scripts/sandbox/sfn/execution.js";
import { closeAll, flaky, fn, historyOf, sfnWire } from "./sfn-support.js";

afterAll(closeAll);

const types = (events: HistoryEvent[]) => events.map((e) => e.type);
const done = async (backend: { executionRecords(): ExecutionRecord[] }) =>
  Promise.all(backend.executionRecords().map((r) => r.done));

describe("RedriveExecution", () => {
  it("restarts a failed execution at the failed Task with that Task's input, on the same ARN, and does not rerun the states that succeeded", async () => {
    // Prepare
    const first = flaky(0);
    const second = flaky(1);
    const wire = await sfnWire({ first: first.handler, second: second.handler });
    const definition = {
      StartAt: "A",
      States: {
        A: { Type: "Task", Resource: fn("first"), ResultPath: "$.a", Next: "B" },
        B: {
          Type: "Task",
          Resource: fn("second"),
          Parameters: { "a.$": "$.a", "count.$": "$$.Execution.RedriveCount" },
          ResultPath: "$.b",
          End: true,
        },
      },
    };
    const { executionArn, events: before } = await wire.run(definition, { x: 1 });
    // Act
    const redriven = await wire.sfn.send(new RedriveExecutionCommand({ executionArn }));
    await done(wire.backend);
    const described = await wire.sfn.send(new DescribeExecutionCommand({ executionArn }));
    const events = await historyOf(wire.sfn, executionArn);
    const listed = await wire.sfn.send(
      new ListExecutionsCommand({ stateMachineArn: described.stateMachineArn }),
    );
    // Assess
    expect(types(before).at(-1)).toBe("ExecutionFailed");
    expect(first.inputs).toHaveLength(1);
    expect(second.inputs).toEqual([
      { a: { ok: 1 }, count: 0 },
      { a: { ok: 1 }, count: 1 },
    ]);
    expect(described).toMatchObject({
      executionArn,
      status: "SUCCEEDED",
      input: JSON.stringify({ x: 1 }),
      output: JSON.stringify({ x: 1, a: { ok: 1 }, b: { ok: 2 } }),
      redriveCount: 1,
      redriveDate: redriven.redriveDate,
      redriveStatus: "NOT_REDRIVABLE",
    });
    expect(described.error).toBeUndefined();
    const redrivenAt = events.findIndex((e) => e.type === "ExecutionRedriven");
    expect(events.slice(0, before.length)).toEqual(before);
    expect(redrivenAt).toBe(before.length);
    expect(events[redrivenAt]).toMatchObject({
      id: before.length + 1,
      executionRedrivenEventDetails: { redriveCount: 1 },
    });
    expect(types(events.slice(redrivenAt + 1))).toEqual([
      "TaskStateEntered",
      "LambdaFunctionScheduled",
      "LambdaFunctionStarted",
      "LambdaFunctionSucceeded",
      "TaskStateExited",
      "ExecutionSucceeded",
    ]);
    expect(events[redrivenAt + 1]?.stateEnteredEventDetails?.name).toBe("B");
    expect(listed.executions?.[0]).toMatchObject({ redriveCount: 1, redriveDate: redriven.redriveDate });
  });

  it("redrives a Parallel's branches from where each stopped (a Wait with its own SecondsPath), never rerunning a state that succeeded", async () => {
    // Prepare
    const left = { inputs: [] as unknown[] };
    const leftHandler = async (input: unknown) => {
      left.inputs.push(input);
      return { waitSeconds: 600 };
    };
    const first = flaky(0);
    const second = flaky(1);
    const wire = await sfnWire({ left: leftHandler, first: first.handler, second: second.handler });
    const definition = {
      StartAt: "P",
      States: {
        P: {
          Type: "Parallel",
          Branches: [
            {
              StartAt: "L",
              States: {
                L: { Type: "Task", Resource: fn("left"), ResultPath: "$.l", Next: "LW" },
                LW: { Type: "Wait", SecondsPath: "$.l.waitSeconds", Next: "L2" },
                L2: { Type: "Pass", End: true },
              },
            },
            {
              StartAt: "R1",
              States: {
                R1: { Type: "Task", Resource: fn("first"), ResultPath: "$.r1", Next: "R2" },
                R2: { Type: "Task", Resource: fn("second"), ResultPath: "$.r2", End: true },
              },
            },
          ],
          End: true,
        },
      },
    };
    const { executionArn } = await wire.run(definition, { x: 1 });
    // Act
    await wire.sfn.send(new RedriveExecutionCommand({ executionArn }));
    await done(wire.backend);
    const described = await wire.sfn.send(new DescribeExecutionCommand({ executionArn }));
    const events = await historyOf(wire.sfn, executionArn);
    // Assess
    expect([left.inputs.length, first.inputs.length, second.inputs.length]).toEqual([1, 1, 2]);
    expect(second.inputs[1]).toEqual({ x: 1, r1: { ok: 1 } });
    expect(JSON.parse(described.output ?? "null")).toEqual([
      { x: 1, l: { waitSeconds: 600 } },
      { x: 1, r1: { ok: 1 }, r2: { ok: 2 } },
    ]);
    const redrivenAt = events.find((e) => e.type === "ExecutionRedriven")?.timestamp as Date;
    const after = events.slice(events.findIndex((e) => e.type === "ExecutionRedriven"));
    const names = after.flatMap((e) => e.stateEnteredEventDetails?.name ?? []);
    expect(names.sort()).toEqual(["L2", "LW", "P", "R2"]);
    expect((described.stopDate as Date).getTime() - redrivenAt.getTime()).toBe(600_000);
    expect(wire.backend.executionRecords()[0]?.warnings).toEqual([]);
  });

  it("reruns a Fail state, which fails again (the unsuccessful step of the execution is the Fail state)", async () => {
    // Prepare
    const work = flaky(0);
    const wire = await sfnWire({ work: work.handler });
    const { executionArn } = await wire.run({
      StartAt: "W",
      States: {
        W: { Type: "Task", Resource: fn("work"), Next: "F" },
        F: { Type: "Fail", Error: "Stop", Cause: "always" },
      },
    });
    // Act
    await wire.sfn.send(new RedriveExecutionCommand({ executionArn }));
    await done(wire.backend);
    const described = await wire.sfn.send(new DescribeExecutionCommand({ executionArn }));
    const events = await historyOf(wire.sfn, executionArn);
    // Assess
    expect(work.inputs).toHaveLength(1);
    expect(described).toMatchObject({ status: "FAILED", error: "Stop", cause: "always", redriveCount: 1 });
    expect(types(events.slice(events.findIndex((e) => e.type === "ExecutionRedriven")))).toEqual([
      "ExecutionRedriven",
      "FailStateEntered",
      "ExecutionFailed",
    ]);
  });

  it("continues an aborted execution, with the execution timeout counted again from the redrive", async () => {
    // Prepare
    const gate = flaky(0);
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let calls = 0;
    const wire = await sfnWire({
      hold: async () => {
        calls++;
        if (calls === 1) await held;
        return { held: calls };
      },
      work: gate.handler,
    });
    const definition = {
      StartAt: "Wait1",
      TimeoutSeconds: 100,
      States: {
        Wait1: { Type: "Wait", Seconds: 80, Next: "H" },
        H: { Type: "Task", Resource: fn("hold"), ResultPath: "$.h", Next: "Wait2" },
        Wait2: { Type: "Wait", Seconds: 80, Next: "W" },
        W: { Type: "Task", Resource: fn("work"), End: true },
      },
    };
    const running = wire.run(definition);
    while (calls === 0) await new Promise((r) => setTimeout(r, 5));
    const [record] = wire.backend.executionRecords();
    const executionArn = record?.executionArn ?? "";
    await wire.sfn.send(new StopExecutionCommand({ executionArn, error: "Stopped" }));
    release();
    await running;
    // Act
    await wire.sfn.send(new RedriveExecutionCommand({ executionArn }));
    await done(wire.backend);
    const described = await wire.sfn.send(new DescribeExecutionCommand({ executionArn }));
    // Assess
    expect(described).toMatchObject({ status: "SUCCEEDED", redriveCount: 1 });
    expect(calls).toBe(2);
    expect(gate.inputs).toEqual([{ h: { held: 2 } }]);
    // 80 s before the stop, 80 s after the redrive: past 100 s from the start, within 100 s of the redrive.
    expect((described.stopDate as Date).getTime() - (described.startDate as Date).getTime()).toBe(160_000);
  });
});
