import { describe, expect, it } from "vitest";
import { runScenario } from "./support.js";

describe("state machine path: restore FAILED (scenarios/restore-failure.yaml)", () => {
  it("fails at PollRestores and the failed drill still cleans up", async () => {
    const run = await runScenario("scenarios/restore-failure.yaml");

    expect(run.status).toBe("FAILED");
    expect(run.report.outcome).toBe("FAILED");
    expect(run.report.failedStep).toBe("PollRestores");
    expect(run.report.error?.name).toBe("RestoreFailed");
    expect(run.report.resources.some((r) => r.status === "FAILED")).toBe(true);
    expect(run.report.cleanup?.leftovers).toEqual([]);
    expect(run.leftovers).toEqual([]);
    expect(run.report.dns.changed).toBe(false);
    // Notify opened an OpsItem, as the notify role's policy (IAM on) allows.
    expect(run.world?.inspect().opsItems.map((o) => o.title)).toEqual([expect.stringContaining("FAILED")]);
    expect(run.exitCode).toBe(0);
  });
});
