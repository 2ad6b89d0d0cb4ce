/**
 * RedriveExecution of a failed failover or drill, through the local runner (real definition, real
 * handlers, the sandbox's RedriveExecution): a permanent error injected once in StartRestores,
 * Integrate or the DNS change check fails the run; the redrive on the same execution ARN continues
 * where it stopped and succeeds, with nothing done twice (counted in the sandbox's world).
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { callsWithError, type MachineRun, runScenario } from "./support.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "drctl-redrive-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The scenario with these faults only, run once and redriven (up to `redrives` times) while it failed. */
async function redriven(base: string, faults: object[], redrives = 1): Promise<MachineRun> {
  const scenario = parse(await readFile(base, "utf8")) as Record<string, unknown>;
  scenario.faults = faults;
  const path = join(dir, `${faults.length}-${Math.random().toString(16).slice(2)}.yaml`);
  await writeFile(path, stringify(scenario));
  return runScenario(path, { redrives });
}

const succeeded = (run: MachineRun, operation: string) =>
  (run.world?.calls ?? []).filter((c) => c.operation === operation && c.error === undefined).length;

describe("state machine path: RedriveExecution continues a failed run", () => {
  it("a failover that failed in StartRestores resumes there: the started restore job is reused, the stack adopted", async () => {
    // Act
    const run = await redriven("scenarios/shop-failover.yaml", [
      { call: "backup:StartRestoreJob", resource: "web-root", error: "AccessDeniedException", times: 1 },
    ]);
    // Assess
    const world = run.world?.inspect();
    expect(run.status).toBe("SUCCEEDED");
    expect(callsWithError(run, "StartRestoreJob", "AccessDeniedException")).toBe(1);
    expect(run.report.redrives).toEqual([
      expect.objectContaining({
        redriveCount: 1,
        status: "FAILED",
        failedStep: "StartRestores",
        error: "AwsCallFailed",
      }),
    ]);
    expect(run.report.outcome).toBe("SUCCEEDED");
    expect(world?.restoreJobs.map((j) => j.resource).sort()).toEqual(["orders-db", "web-root"]);
    expect(world?.stacks.map((s) => s.name)).toEqual(["shop-dr"]);
    expect(succeeded(run, "CreateStack")).toBe(2); // the second answered with the same stack (same token)
    expect(world?.dns.changes).toBe(1);
    expect(Object.keys(world?.parameters ?? {}).filter((p) => p.startsWith("/drctl/lock/"))).toEqual([]);
  });

  it("a failover that failed in Integrate resumes there: each parameter written once, one DNS change", async () => {
    // Act
    const run = await redriven("scenarios/shop-failover.yaml", [
      { call: "ssm:PutParameter", resource: "orders-db", error: "AccessDeniedException", times: 1 },
    ]);
    // Assess
    const world = run.world?.inspect();
    expect(run.status).toBe("SUCCEEDED");
    expect(run.report.redrives).toEqual([
      expect.objectContaining({ failedStep: "Integrate", error: "IntegrationFailed" }),
    ]);
    expect(world?.restoreJobs).toHaveLength(2);
    expect(run.world?.recovery.parameters.get("/shop/db/endpoint")?.version).toBe(1);
    expect(world?.dns.changes).toBe(1);
    expect(run.report.resources.every((r) => r.status === "COMPLETED" && r.integratedAt !== null)).toBe(true);
  });

  it("a failover that failed in Failover, then checking its DNS change, resumes each time: one UPSERT, reported once from the primary", async () => {
    // Act
    const run = await redriven(
      "scenarios/shop-failover.yaml",
      [
        { call: "route53:ChangeResourceRecordSets", error: "AccessDenied", times: 1 },
        { call: "route53:GetChange", error: "AccessDenied", times: 1 },
      ],
      2,
    );
    // Assess
    const world = run.world?.inspect();
    expect(run.status).toBe("SUCCEEDED");
    expect(run.report.redrives).toEqual([
      expect.objectContaining({ redriveCount: 1, failedStep: "Failover", error: "DnsChangeFailed" }),
      expect.objectContaining({ redriveCount: 2, failedStep: "CheckDns" }),
    ]);
    expect(succeeded(run, "ChangeResourceRecordSets")).toBe(1);
    expect(world?.dns.changes).toBe(1);
    expect(run.report.dns).toMatchObject({
      changed: true,
      from: "primary-alb-123.eu-west-1.elb.amazonaws.com",
    });
    expect(world?.restoreJobs).toHaveLength(2);
    expect(run.files.md).toMatch(/Redriven/);
  });

  it("a drill that failed in Integrate (and was cleaned up) restores again from Recover and cleans up again", async () => {
    // Act
    const run = await redriven("scenarios/shop-drill.yaml", [
      { call: "ssm:PutParameter", resource: "orders-db", error: "AccessDeniedException", times: 1 },
    ]);
    // Assess
    const world = run.world?.inspect();
    expect(run.status).toBe("SUCCEEDED");
    expect(run.report.outcome).toBe("SUCCEEDED");
    expect(run.report.redrives).toEqual([
      expect.objectContaining({ failedStep: "Integrate", error: "IntegrationFailed" }),
    ]);
    // One restore per resource and attempt: the first attempt's were deleted by its failure path.
    const jobs = world?.restoreJobs.map((j) => j.resource).sort();
    expect(jobs).toEqual([
      "carts",
      "carts",
      "orders-db",
      "orders-db",
      "shared-files",
      "shared-files",
      "web-data",
      "web-data",
    ]);
    expect(run.leftovers).toEqual([]);
    expect(run.report.cleanup?.leftovers).toEqual([]);
    expect(run.report.resources.map((r) => r.status)).toEqual(Array(4).fill("COMPLETED"));
  });
});
