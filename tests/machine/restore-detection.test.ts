import { describe, expect, it } from "vitest";
import { runScenario } from "./support.js";

/**
 * AWS Backup shows no usable progress for the shop's restores (RDS, EFS, DynamoDB stuck at 0.00%,
 * EBS without PercentDone), so drctl notices each completion at its next poll, a little after the
 * job's CompletionDate. The report says so: restore times are the jobs' own CreationDate →
 * CompletionDate, each resource shows the gap until drctl noticed, and RTO exceeds the critical path.
 */
describe("state machine path: restore completions noticed by polling (scenarios/shop-drill.yaml)", () => {
  it("reports restore times from the jobs' own dates, the detection gap per job, and RTO above the critical path", async () => {
    // Act
    const run = await runScenario("scenarios/shop-drill.yaml");

    // Assess
    expect(run.report.outcome).toBe("SUCCEEDED");
    const jobs = [...(run.world?.recovery.restoreJobs.values() ?? [])];
    const gaps: number[] = [];
    for (const r of run.report.resources) {
      const job = jobs.find((j) => j.id === r.restoreJobId);
      if (!job) throw new Error(`no sandbox job for ${r.name}`);
      expect(r.status).toBe("COMPLETED");
      expect(r.restoreCreatedAt).toBe(new Date(job.createdAt).toISOString());
      expect(r.restoreCompletedAt).toBe(new Date(job.endsAt).toISOString());
      expect(r.restoreSeconds).toBe((job.endsAt - job.createdAt) / 1000);
      const noticed = Date.parse(r.noticedAt ?? "");
      expect(noticed).toBeGreaterThanOrEqual(job.endsAt);
      expect(r.detectionGapSeconds).toBe((noticed - job.endsAt) / 1000);
      gaps.push(r.detectionGapSeconds ?? Number.NaN);
    }
    expect(Math.max(...gaps)).toBeGreaterThan(0);
    expect(run.report.detectionGap).toEqual({
      jobs: gaps.length,
      maxSeconds: Math.max(...gaps),
      avgSeconds: Math.round((gaps.reduce((a, b) => a + b, 0) / gaps.length) * 10) / 10,
    });
    // Integration waits for the last restore to be noticed: RTO is above the lower bound.
    const rto = run.report.rtoSeconds ?? 0;
    expect(rto).toBeGreaterThan(run.report.criticalPathSeconds);
    const longest = run.report.resources.find((r) => r.name === "orders-db");
    expect(rto - run.report.criticalPathSeconds).toBeGreaterThanOrEqual(longest?.detectionGapSeconds ?? 0);
    // Shown to people.
    expect(run.files.md).toMatch(/\| Restore completion noticed after \(max \/ avg\) \| \d/);
    expect(run.files.md).toContain("| Noticed after |");
    expect(run.files.html).toContain("<th>Noticed after</th>");
  });
});
