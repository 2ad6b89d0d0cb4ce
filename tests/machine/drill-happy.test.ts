import { describe, expect, it } from "vitest";
import { runScenario } from "./support.js";

describe("state machine path: happy drill (scenarios/shop-drill.yaml)", () => {
  it("succeeds, leaves production DNS alone and cleans up everything", async () => {
    // Act
    const run = await runScenario("scenarios/shop-drill.yaml");

    // Assess
    expect(run.exitCode).toBe(0);
    expect(run.status).toBe("SUCCEEDED");
    expect(run.report.outcome).toBe("SUCCEEDED");
    expect(run.report.failedStep).toBeNull();
    expect(run.report.execution).toMatchObject({
      name: expect.stringMatching(/^drill-shop-20260301T090000Z-[0-9a-f]{6}$/),
      mode: "drill",
      local: true,
    });
    expect(run.report.dns.changed).toBe(false);
    const dns = run.world?.inspect().dns;
    expect(dns?.changed).toBe(false);
    expect(dns?.values).toEqual(["primary-alb-123.us-east-1.elb.amazonaws.com"]);
    expect(run.report.cleanup?.leftovers).toEqual([]);
    expect(run.report.cleanup?.deleted.length).toBeGreaterThan(0);
    expect(run.leftovers).toEqual([]);
    expect(run.report.resources.map((r) => [r.name, r.status])).toEqual([
      ["orders-db", "COMPLETED"],
      ["web-data", "COMPLETED"],
      ["shared-files", "COMPLETED"],
      ["carts", "COMPLETED"],
    ]);
    // Virtual time: ~40 simulated minutes (the 2100 s restore dominates), seconds of wall time.
    const simulated =
      (Date.parse(run.report.execution.endedAt) - Date.parse(run.report.execution.startedAt)) / 1000;
    expect(simulated).toBeGreaterThan(2100);
    expect(run.report.rtoSeconds).toBeGreaterThan(2100);
    expect(run.report.rtoSeconds).toBeLessThan(240 * 60);
    expect(run.report.rpoSeconds).toBeLessThanOrEqual(60 * 60);
    // Not slept in real time (a wide margin, not a speed target: npm run bench measures speed).
    expect(run.wallSeconds).toBeLessThan(simulated / 10);
    expect(run.report.expect).toEqual({ held: true, failures: [] });
    expect(run.files.md).toContain(run.report.execution.name);
    expect(run.files.html).toContain("<html");
  });
});
