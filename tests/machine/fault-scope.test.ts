/**
 * Scenario faults on s3:* and sfn:* hit drctl's steps, never the local runner's own calls
 * (CreateBucket, StartExecution, DescribeExecution, GetObject of the report): the drill runs to
 * its end, the runner reads the report, and a fault scoped to one step fires in that step only.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runScenario } from "./support.js";

describe("state machine path: faults never touch the local runner's calls", () => {
  it("permanent s3/sfn faults on the runner's operations leave the drill alone; a step-scoped one fires in that step", async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), "drctl-fault-scope-"));
    const scenario = parse(await readFile("scenarios/shop-drill.yaml", "utf8"));
    scenario.faults = [
      { call: "s3:CreateBucket", error: "AccessDenied", times: 1000 },
      { call: "sfn:StartExecution", error: "AccessDeniedException", times: 1000 },
      { call: "sfn:DescribeExecution", error: "AccessDeniedException", times: 1000 },
      { call: "s3:GetObject", step: "writeReport", error: "SlowDown", times: 2 },
    ];
    const path = join(dir, "scenario.json");
    await writeFile(path, JSON.stringify(scenario));
    try {
      // Act
      const run = await runScenario(path);
      // Assess
      expect(run.exitCode).toBe(0);
      expect(run.report.outcome).toBe("SUCCEEDED");
      expect(run.leftovers).toEqual([]);
      expect(run.world?.faults.entries.map((e) => e.used)).toEqual([0, 0, 0, 2]);
      expect(run.world?.calls.filter((c) => c.error === "SlowDown")).toHaveLength(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
