/**
 * Which executions RedriveExecution accepts (redriveBlocker): AWS's conditions and the
 * redriveStatusReason it gives for each refusal. Sources in docs/fidelity.md, "Step Functions".
 */
import { DescribeExecutionCommand, type HistoryEvent, RedriveExecutionCommand } from "@aws-sdk/client-sfn";
import { afterAll, describe, expect, it } from "vitest";
import type { ExecutionRecord } from "../../../scripts/sandbox/sfn/execution.js";
import { redriveBlocker } from "../../../scripts/sandbox/sfn/redrive.js";
import { closeAll, flaky, fn, sfnWire } from "./sfn-support.js";
import { rejection } from "./world-wire.js";

afterAll(closeAll);

const done = async (backend: { executionRecords(): ExecutionRecord[] }) =>
  Promise.all(backend.executionRecords().map((r) => r.done));

describe("RedriveExecution refusals and clientToken", () => {
  it("answers a repeated clientToken with the first redrive's date and does not redrive twice", async () => {
    // Prepare
    const work = flaky(2);
    const wire = await sfnWire({ work: work.handler });
    const { executionArn } = await wire.run({
      StartAt: "W",
      States: { W: { Type: "Task", Resource: fn("work"), End: true } },
    });
    // Act
    const once = await wire.sfn.send(new RedriveExecutionCommand({ executionArn, clientToken: "t-1" }));
    await done(wire.backend);
    const again = await wire.sfn.send(new RedriveExecutionCommand({ executionArn, clientToken: "t-1" }));
    await done(wire.backend);
    const described = await wire.sfn.send(new DescribeExecutionCommand({ executionArn }));
    // Assess
    expect(again.redriveDate).toEqual(once.redriveDate);
    expect(described).toMatchObject({ status: "FAILED", redriveCount: 1 });
    expect(work.inputs).toHaveLength(2);
  });

  it("refuses a running or succeeded execution, and one closed more than 14 days ago, with ExecutionNotRedrivable", async () => {
    // Prepare
    const wire = await sfnWire({ work: flaky(1).handler });
    const ok = await wire.run({ StartAt: "P", States: { P: { Type: "Pass", End: true } } });
    const failed = await wire.run({
      StartAt: "W",
      States: { W: { Type: "Task", Resource: fn("work"), End: true } },
    });
    // Act
    const succeeded = await rejection(
      wire.sfn.send(new RedriveExecutionCommand({ executionArn: ok.executionArn })),
    );
    wire.clock.advanceBy(14 * 86_400 + 1);
    const expired = await rejection(
      wire.sfn.send(new RedriveExecutionCommand({ executionArn: failed.executionArn })),
    );
    const missing = await rejection(
      wire.sfn.send(new RedriveExecutionCommand({ executionArn: `${failed.executionArn}-x` })),
    );
    const described = await wire.sfn.send(
      new DescribeExecutionCommand({ executionArn: failed.executionArn }),
    );
    // Assess
    expect([succeeded.name, succeeded.message]).toEqual([
      "ExecutionNotRedrivable",
      "Execution is SUCCEEDED and cannot be redriven",
    ]);
    expect([expired.name, expired.message]).toEqual([
      "ExecutionNotRedrivable",
      "Execution redrivable period exceeded",
    ]);
    expect(missing.name).toBe("ExecutionDoesNotExist");
    expect(described).toMatchObject({
      redriveStatus: "NOT_REDRIVABLE",
      redriveStatusReason: "Execution redrivable period exceeded",
    });
  });
});

describe("redrive eligibility", () => {
  const NOW = Date.parse("2026-03-20T00:00:00Z");
  const record = (over: Partial<ExecutionRecord>): ExecutionRecord =>
    ({
      status: "FAILED",
      startDate: new Date("2026-03-10T00:00:00Z"),
      stopDate: new Date("2026-03-10T01:00:00Z"),
      history: [],
      ...over,
    }) as ExecutionRecord;

  it("allows FAILED, ABORTED and TIMED_OUT executions closed within 14 days, with fewer than 24,999 events", () => {
    for (const status of ["FAILED", "ABORTED", "TIMED_OUT"] as const) {
      expect(redriveBlocker(record({ status }), NOW, true)).toBeUndefined();
    }
    const recent = new Date(NOW - 14 * 86_400_000);
    expect(redriveBlocker(record({ stopDate: recent }), NOW, true)).toBeUndefined();
  });

  it("names AWS's reason for each refusal", () => {
    const events = (n: number) => Array.from({ length: n }, () => ({}) as HistoryEvent);
    expect(redriveBlocker(record({ status: "RUNNING" }), NOW, true)).toBe(
      "Execution is RUNNING and cannot be redriven",
    );
    expect(redriveBlocker(record({ status: "SUCCEEDED" }), NOW, true)).toBe(
      "Execution is SUCCEEDED and cannot be redriven",
    );
    expect(redriveBlocker(record({ stopDate: new Date(NOW - 14 * 86_400_000 - 1) }), NOW, true)).toBe(
      "Execution redrivable period exceeded",
    );
    expect(redriveBlocker(record({ history: events(24_999) }), NOW, true)).toBe(
      "Execution history event limit exceeded",
    );
    expect(redriveBlocker(record({ history: events(24_998) }), NOW, true)).toBeUndefined();
    expect(redriveBlocker(record({ startDate: new Date(NOW - 366 * 86_400_000) }), NOW, true)).toBe(
      "Execution has exceeded the max execution time",
    );
    expect(redriveBlocker(record({}), NOW, false)).toBe("State machine is in DELETING status");
  });
});
