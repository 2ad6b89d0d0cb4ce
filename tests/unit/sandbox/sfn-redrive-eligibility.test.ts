/**
 * Which executions RedriveExecution accepts (redriveBlocker): AWS's conditions and the
 * redriveStatusReason it gives for each refusal. Sources in docs/fidelity.md, "Step Functions".
 */
import type { HistoryEvent } from "@aws-sdk/client-sfn";
import { describe, expect, it } from "vitest";
import type { ExecutionRecord } from "../../../scripts/sandbox/sfn/execution.js";
import { redriveBlocker } from "../../../scripts/sandbox/sfn/redrive.js";

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
