/**
 * State machine path: cleanup that meets refusals. Every resource is tried on its own, what could
 * not be deleted is listed with its reason, the report's cleanup is filled and no phase is shown
 * SUCCEEDED that failed; permanent refusals end the run in bounded time.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { type MachineRun, runScenario } from "./support.js";

let dir: string;

/** scenarios/shop-drill.yaml with these call faults. */
async function shopDrillWith(name: string, faults: Record<string, unknown>[]): Promise<string> {
  const scenario = parse(await readFile("scenarios/shop-drill.yaml", "utf8"));
  scenario.name = name;
  scenario.faults = faults;
  delete scenario.expect;
  const path = join(dir, `${name}.yaml`);
  await writeFile(path, stringify(scenario));
  return path;
}

const calls = (run: MachineRun, operation: string) =>
  (run.world?.calls ?? []).filter((c) => c.operation === operation).length;
const phase = (run: MachineRun, name: string) => run.report.phases.find((p) => p.name === name)?.status;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "drctl-cleanup-incomplete-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("state machine path: cleanup with refused calls", () => {
  it("DescribeVolumes denied: integration fails (alongside the restores), cleanup deletes everything else and lists the volume with the reason", async () => {
    const path = await shopDrillWith("shop-describe-volumes-denied", [
      { call: "ec2:DescribeVolumes", error: "UnauthorizedOperation", times: 100000 },
    ]);

    const run = await runScenario(path);

    // The run keeps the error that failed it.
    expect(run.status).toBe("FAILED");
    expect(run.report.failedStep).toBe("IntegrateRestored");
    expect(run.report.error?.name).toBe("IntegrationFailed");
    // Everything but the volume is gone; the volume is the only thing left, and the report says why.
    expect(run.leftovers).toHaveLength(1);
    expect(run.leftovers[0]).toMatch(/:volume\/vol-/);
    const cleanup = run.report.cleanup;
    expect(cleanup?.status).toBe("INCOMPLETE");
    const volumeId = run.leftovers[0]?.split("/").pop() as string;
    expect(cleanup?.leftovers.find((l) => l.includes(volumeId))).toMatch(
      /DescribeVolumes.*UnauthorizedOperation/,
    );
    // The volume's restore completes first and its integration fails at once: the stack, the DB
    // instance, the file system and the table are all there is to delete.
    const deleted = (cleanup?.deleted ?? []).map((arn) => arn.split(":")[2]).sort();
    expect(deleted).toEqual(["cloudformation", "dynamodb", "elasticfilesystem", "rds"]);
    // No phase is shown SUCCEEDED that failed: integrate failed, cleanup did not finish its work.
    expect(phase(run, "integrate")).toBe("FAILED");
    expect(phase(run, "cleanup")).toBe("FAILED");
    expect(run.files.md).toMatch(/\| cleanup \|[^\n]*\| FAILED \|/);
    expect(run.files.md).toContain(volumeId);
    expect(run.files.html).toContain(volumeId);
  });

  it("DetachVolume and DeleteStack denied: CleanupIncomplete in bounded time, the volume and the stack listed", async () => {
    const path = await shopDrillWith("shop-detach-denied", [
      { call: "ec2:DetachVolume", error: "UnauthorizedOperation", times: 100000 },
      { call: "cloudformation:DeleteStack", error: "AccessDenied", times: 100000 },
    ]);

    const run = await runScenario(path);

    expect(run.status).toBe("FAILED");
    expect(run.error).toBe("CleanupIncomplete");
    expect(run.report.failedStep).toBe("Cleanup");
    expect(phase(run, "validate")).toBe("SUCCEEDED");
    expect(phase(run, "cleanup")).toBe("FAILED");
    const leftovers = run.report.cleanup?.leftovers ?? [];
    expect(leftovers.some((l) => /vol-.*DetachVolume.*UnauthorizedOperation/.test(l))).toBe(true);
    expect(leftovers.some((l) => /stack.*DeleteStack.*AccessDenied/.test(l))).toBe(true);
    // Bounded: a refusal is not asked again (nor by a second cleanup loop on the failure path).
    expect(calls(run, "DetachVolume")).toBe(1);
    expect(calls(run, "DeleteStack")).toBe(1);
    expect(run.report.execution.historyEvents).toBeLessThan(1000);
  });

  it("DeleteMountTarget denied: CleanupIncomplete in bounded time, the file system listed, the rest deleted", async () => {
    const path = await shopDrillWith("shop-mount-target-denied", [
      { call: "efs:DeleteMountTarget", error: "AccessDeniedException", times: 100000 },
    ]);

    const run = await runScenario(path);

    expect(run.status).toBe("FAILED");
    expect(run.error).toBe("CleanupIncomplete");
    expect(phase(run, "cleanup")).toBe("FAILED");
    expect(run.report.cleanup?.status).toBe("INCOMPLETE");
    const leftovers = run.report.cleanup?.leftovers ?? [];
    expect(leftovers.some((l) => /file-system\/fs-.*mount target/.test(l))).toBe(true);
    expect(leftovers.some((l) => /DeleteMountTarget.*AccessDeniedException/.test(l))).toBe(true);
    // Only the file system is left in the sandbox.
    // The file system and its mount targets (the sandbox lists each mount target under its file system).
    const fileSystems = run.leftovers.filter((arn) => /:file-system\/fs-[^/]+$/.test(arn));
    expect(fileSystems).toHaveLength(1);
    expect(run.leftovers.filter((arn) => !arn.startsWith(`${fileSystems[0]}/mount-target/`))).toEqual(
      fileSystems,
    );
    // Two mount targets, each refused once: not asked again, no second cleanup loop.
    expect(calls(run, "DeleteMountTarget")).toBe(2);
    expect(run.report.execution.historyEvents).toBeLessThan(1000);
  });
});
