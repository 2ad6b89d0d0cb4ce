import { describe, expect, it } from "vitest";
import { runScenario } from "./support.js";

describe("state machine path: RPO exceeded (scenarios/stale-backups.yaml)", () => {
  it("fails at PlanRestores before restoring anything", async () => {
    const run = await runScenario("scenarios/stale-backups.yaml");

    expect(run.status).toBe("FAILED");
    expect(run.report.failedStep).toBe("PlanRestores");
    expect(run.report.error?.name).toBe("RpoExceeded");
    expect(run.report.error?.cause).toMatch(/orders-db|RPO|rpo/);
    expect(run.world?.calls.filter((c) => c.operation === "StartRestoreJob")).toEqual([]);
    expect(run.leftovers).toEqual([]);
    expect(run.exitCode).toBe(0);
  });
});
