import { describe, expect, it } from "vitest";
import { mergeIntegration, mergeJobs } from "../../../functions/shared/run-documents.js";
import type { IntegrationRecord, RestoreJobRecord } from "../../../functions/shared/types.js";

const job = (name: string, status: RestoreJobRecord["status"], attempt = 1): RestoreJobRecord => ({
  name,
  type: "rds",
  recoveryPointArn: `arn:rp:${name}`,
  restoreJobId: `${name}-${attempt}`,
  attempt,
  status,
  startedAt: "2026-03-01T09:00:00.000Z",
  previousJobIds: [],
});

const record = (name: string, status: IntegrationRecord["status"], extra: Partial<IntegrationRecord> = {}) =>
  ({ name, status, actions: [], parameters: [], ...extra }) as IntegrationRecord;

describe("run documents merged on write", () => {
  it("a late write of older job states keeps what the stored document already knows", () => {
    const stored = [job("db", "COMPLETED"), job("fs", "FAILED", 1), job("table", "RUNNING")];
    const late = [
      job("db", "PENDING"),
      job("fs", "RUNNING", 1),
      job("table", "RUNNING"),
      job("vol", "PENDING"),
    ];
    expect(mergeJobs(late, stored).map((j) => [j.name, j.status])).toEqual([
      ["db", "COMPLETED"],
      ["fs", "FAILED"],
      ["table", "RUNNING"],
      ["vol", "PENDING"],
    ]);
  });

  it("a later attempt wins over an earlier one, whichever side holds it", () => {
    expect(mergeJobs([job("db", "FAILED", 1)], [job("db", "PENDING", 2)])[0]).toMatchObject({ attempt: 2 });
    expect(mergeJobs([job("db", "PENDING", 2)], [job("db", "COMPLETED", 1)])[0]).toMatchObject({
      attempt: 2,
    });
  });

  it("integration records keep the furthest status and the union of what was done", () => {
    const stored = [
      record("fs", "DONE", { actions: ["a", "b"], commandIds: ["c1", "c2"], instanceIds: ["i-1"] }),
    ];
    const late = [
      record("fs", "IN_PROGRESS", { actions: ["a", "x"], commandIds: ["c1"] }),
      record("db", "PENDING"),
    ];
    const merged = mergeIntegration(late, stored);
    expect(merged[0]).toMatchObject({
      name: "fs",
      status: "DONE",
      actions: ["a", "x", "b"],
      commandIds: ["c1", "c2"],
      instanceIds: ["i-1"],
    });
    expect(merged[1]).toMatchObject({ name: "db", status: "PENDING" });
  });
});
