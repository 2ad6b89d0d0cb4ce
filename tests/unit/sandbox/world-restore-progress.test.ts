/**
 * Restore-job progress as AWS Backup shows it, through the real SDK client (SDK → wire → world):
 * PercentDone, ExpectedCompletionTimeMinutes and BackupSizeInBytes per progress model (linear,
 * stuck, absent) and per resource type's default. Sources: docs/fidelity.md, "AWS Backup: restore jobs".
 */
import {
  BackupClient,
  DescribeRestoreJobCommand,
  type DescribeRestoreJobCommandOutput,
  GetRecoveryPointRestoreMetadataCommand,
  ListRecoveryPointsByBackupVaultCommand,
  ListRestoreJobsCommand,
  StartRestoreJobCommand,
} from "@aws-sdk/client-backup";
import { afterEach, describe, expect, it } from "vitest";
import { VirtualClock } from "../../../scripts/sandbox/clock.js";
import type { Scenario, ScenarioInput } from "../../../scripts/sandbox/scenario.js";
import { type SandboxServer, startServer } from "../../../scripts/sandbox/server.js";
import { createWorld, TIMINGS } from "../../../scripts/sandbox/world/index.js";
import { drMetadata, ROLE, scenarioOf } from "./world-helpers.js";

const GiB = 1024 ** 3;
const servers: SandboxServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A world behind the wire server, a BackupClient on it, and a restore starter. */
async function sandbox(resources: ScenarioInput["resources"]) {
  const scenario: Scenario = scenarioOf({ resources });
  const clock = new VirtualClock(scenario.start);
  const world = createWorld(scenario, clock, { port: 0 });
  const server = await startServer({ backend: world, strict: true });
  servers.push(server);
  world.setPort(server.port);
  const backup = new BackupClient({
    endpoint: server.url,
    region: scenario.regions.recovery,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
  const start = async (name: string): Promise<string> => {
    const type = scenario.resources.find((r) => r.name === name)?.type ?? "rds";
    const points = await backup.send(
      new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: scenario.vault }),
    );
    const rp = points.RecoveryPoints?.find((p) => p.ResourceName === name);
    if (!rp?.RecoveryPointArn) throw new Error(`no recovery point for ${name}`);
    const md = await backup.send(
      new GetRecoveryPointRestoreMetadataCommand({
        BackupVaultName: scenario.vault,
        RecoveryPointArn: rp.RecoveryPointArn,
      }),
    );
    const out = await backup.send(
      new StartRestoreJobCommand({
        RecoveryPointArn: rp.RecoveryPointArn,
        IamRoleArn: ROLE,
        IdempotencyToken: `progress-${name}`,
        ResourceType: md.ResourceType,
        Metadata: drMetadata(md.RestoreMetadata ?? {}, type, `${name}-p1`),
      }),
    );
    return out.RestoreJobId ?? "";
  };
  const describeJob = (id: string) => backup.send(new DescribeRestoreJobCommand({ RestoreJobId: id }));
  return { scenario, clock, backup, start, describeJob };
}

const progressOf = (j: Partial<DescribeRestoreJobCommandOutput>) => ({
  Status: j.Status,
  PercentDone: j.PercentDone,
  ExpectedCompletionTimeMinutes: j.ExpectedCompletionTimeMinutes,
});

const db = (extra: Record<string, unknown> = {}) => ({
  name: "orders-db",
  type: "rds" as const,
  recoveryPoints: { count: 2, newestAgeMinutes: 25, sizeGiB: 200 },
  restoreSeconds: 2100,
  integrate: { ssmParameter: "/shop/db/endpoint" },
  ...extra,
});

describe("backup: restore job progress (SDK → wire → world)", () => {
  it("stuck, the RDS default: PercentDone 0.00% while PENDING and RUNNING, 100.00% once COMPLETED; no ExpectedCompletionTimeMinutes", async () => {
    // Prepare
    const s = await sandbox([db()]);
    const id = await s.start("orders-db");
    // Act
    const pending = await s.describeJob(id);
    s.clock.advanceBy(TIMINGS.restorePendingSeconds + 100);
    const early = await s.describeJob(id);
    s.clock.advanceBy(1900);
    const late = await s.describeJob(id);
    s.clock.advanceBy(100);
    const done = await s.describeJob(id);
    // Assess
    expect(progressOf(pending)).toEqual({ Status: "PENDING", PercentDone: "0.00%" });
    expect(progressOf(early)).toEqual({ Status: "RUNNING", PercentDone: "0.00%" });
    expect(progressOf(late)).toEqual({ Status: "RUNNING", PercentDone: "0.00%" });
    expect(progressOf(done)).toEqual({ Status: "COMPLETED", PercentDone: "100.00%" });
    expect(done.BackupSizeInBytes).toBe(0);
  });

  it("absent, the EBS default: neither PercentDone nor ExpectedCompletionTimeMinutes at any time; status and dates still there", async () => {
    // Prepare
    const s = await sandbox([
      db(),
      {
        name: "web-data",
        type: "ebs",
        restoreSeconds: 300,
        integrate: { attachToTag: "role=web", device: "/dev/sdf" },
      },
    ]);
    const id = await s.start("web-data");
    // Act
    const pending = await s.describeJob(id);
    s.clock.advanceBy(TIMINGS.restorePendingSeconds + 150);
    const running = await s.describeJob(id);
    s.clock.advanceBy(150);
    const done = await s.describeJob(id);
    // Assess
    expect(progressOf(pending)).toEqual({ Status: "PENDING" });
    expect(progressOf(running)).toEqual({ Status: "RUNNING" });
    expect(progressOf(done)).toEqual({ Status: "COMPLETED" });
    expect(done.CreationDate?.toISOString()).toBe("2026-03-01T09:00:00.000Z");
    expect(done.CompletionDate?.toISOString()).toBe("2026-03-01T09:05:30.000Z");
    expect(running.CompletionDate).toBeUndefined();
    expect(done.BackupSizeInBytes).toBe(0);
  });

  it("linear (scenario option): PercentDone grows with RUNNING time and ExpectedCompletionTimeMinutes is given", async () => {
    // Prepare
    const s = await sandbox([db({ restoreProgress: "linear", restoreSize: "reported" })]);
    const id = await s.start("orders-db");
    // Act
    const pending = await s.describeJob(id);
    s.clock.advanceBy(TIMINGS.restorePendingSeconds + 1050);
    const half = await s.describeJob(id);
    s.clock.advanceBy(1050);
    const done = await s.describeJob(id);
    // Assess
    expect(progressOf(pending)).toEqual({
      Status: "PENDING",
      PercentDone: "0.00%",
      ExpectedCompletionTimeMinutes: 36,
    });
    expect(progressOf(half)).toEqual({
      Status: "RUNNING",
      PercentDone: "50.00%",
      ExpectedCompletionTimeMinutes: 36,
    });
    expect(progressOf(done)).toMatchObject({ Status: "COMPLETED", PercentDone: "100.00%" });
    expect(done.BackupSizeInBytes).toBe(200 * GiB);
  });

  it("each type's default and BackupSizeInBytes as AWS shows it (EC2: the image size; Aurora: none; others 0), the same in ListRestoreJobs", async () => {
    // Prepare
    const s = await sandbox([
      db(),
      { name: "web", type: "ec2", recoveryPoints: { sizeGiB: 8 }, restoreSeconds: 600 },
      { name: "ledger", type: "aurora", restoreSeconds: 600, integrate: { ssmParameter: "/shop/ledger" } },
      { name: "files", type: "efs", restoreSeconds: 600, integrate: { ssmParameter: "/shop/efs" } },
      { name: "carts", type: "dynamodb", restoreSeconds: 600, integrate: { ssmParameter: "/shop/carts" } },
      { name: "vol", type: "ebs", restoreSeconds: 600 },
    ]);
    const ids = new Map<string, string>();
    for (const name of ["orders-db", "web", "ledger", "files", "carts", "vol"])
      ids.set(name, await s.start(name));
    s.clock.advanceBy(TIMINGS.restorePendingSeconds + 300);
    // Act
    const listed = await s.backup.send(new ListRestoreJobsCommand({}));
    const described = await Promise.all([...ids.values()].map((id) => s.describeJob(id)));
    // Assess
    const byName = (jobs: Partial<DescribeRestoreJobCommandOutput>[]) =>
      Object.fromEntries(
        [...ids].map(([name, id]) => {
          const j = jobs.find((x) => x.RestoreJobId === id) ?? {};
          return [name, [j.Status, j.PercentDone, j.ExpectedCompletionTimeMinutes, j.BackupSizeInBytes]];
        }),
      );
    const expected = {
      "orders-db": ["RUNNING", "0.00%", undefined, 0],
      web: ["RUNNING", "0.00%", undefined, 8 * GiB],
      ledger: ["RUNNING", "0.00%", undefined, undefined],
      files: ["RUNNING", "0.00%", undefined, 0],
      carts: ["RUNNING", "0.00%", undefined, 0],
      vol: ["RUNNING", undefined, undefined, 0],
    };
    expect(byName(described)).toEqual(expected);
    expect(byName(listed.RestoreJobs ?? [])).toEqual(expected);
  });

  it("restoreSize zero and absent override a type's default", async () => {
    // Prepare
    const s = await sandbox([
      db({ restoreSize: "absent" }),
      { name: "web", type: "ec2", restoreSeconds: 600, restoreSize: "zero", restoreProgress: "absent" },
    ]);
    const dbJob = await s.start("orders-db");
    const webJob = await s.start("web");
    // Act
    const [d, w] = await Promise.all([s.describeJob(dbJob), s.describeJob(webJob)]);
    // Assess
    expect(d.BackupSizeInBytes).toBeUndefined();
    expect(w.BackupSizeInBytes).toBe(0);
    expect(w.PercentDone).toBeUndefined();
  });
});
