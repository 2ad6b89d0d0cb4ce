import { describe, expect, it } from "vitest";
import { SandboxError } from "../../../scripts/sandbox/types.js";
import { TIMINGS } from "../../../scripts/sandbox/world/index.js";
import { drMetadata, type Harness, harness, modelProblems, ROLE, scenarioOf } from "./world-helpers.js";

type Rp = {
  RecoveryPointArn: string;
  ResourceArn: string;
  CreationDate: Date;
  ResourceType: string;
  Status: string;
};

async function newestPoint(h: Harness, resource: string): Promise<Rp> {
  const res = h.scenario.resources.find((r) => r.name === resource);
  const out = await h.call("backup", "ListRecoveryPointsByBackupVault", { BackupVaultName: "dr-vault" });
  const points = (out.RecoveryPoints as Rp[]).filter((p) =>
    p.ResourceArn.endsWith(res?.type === "rds" ? `db:${resource}` : ""),
  );
  const byName = (out.RecoveryPoints as (Rp & { ResourceName: string })[]).filter(
    (p) => p.ResourceName === resource,
  );
  return (byName[0] ?? points[0]) as Rp;
}

async function startRestore(h: Harness, resource: string, target: string, token: string): Promise<string> {
  const rp = await newestPoint(h, resource);
  const md = await h.call("backup", "GetRecoveryPointRestoreMetadata", {
    BackupVaultName: "dr-vault",
    RecoveryPointArn: rp.RecoveryPointArn,
  });
  const type = h.scenario.resources.find((r) => r.name === resource)?.type ?? "rds";
  const out = await h.call("backup", "StartRestoreJob", {
    RecoveryPointArn: rp.RecoveryPointArn,
    IamRoleArn: ROLE,
    IdempotencyToken: token,
    Metadata: drMetadata(md.RestoreMetadata as Record<string, string>, type, target),
    ResourceType: md.ResourceType,
  });
  return out.RestoreJobId as string;
}

describe("backup: vault and recovery points", () => {
  it("lists the scenario's copies newest first, with source ARNs, ages and sizes", async () => {
    // Prepare
    const h = harness(scenarioOf());
    // Act
    const out = await h.call("backup", "ListRecoveryPointsByBackupVault", {
      BackupVaultName: "dr-vault",
      ByResourceArn: "arn:aws:rds:us-east-1:111122223333:db:orders-db",
    });
    // Assess
    const points = out.RecoveryPoints as (Rp & { BackupSizeInBytes: number; Status: string })[];
    expect(points).toHaveLength(5);
    expect(points[0]?.CreationDate.toISOString()).toBe("2026-03-01T08:35:00.000Z");
    expect(points[1]?.CreationDate.toISOString()).toBe("2026-03-01T07:35:00.000Z");
    expect(points[0]?.RecoveryPointArn).toMatch(
      /^arn:aws:rds:us-west-2:111122223333:snapshot:awsbackup:copyjob-/,
    );
    expect(points[0]).toMatchObject({
      ResourceType: "RDS",
      Status: "COMPLETED",
      BackupSizeInBytes: 50 * 1024 ** 3,
    });
  });

  it("filters by type and creation time and pages with MaxResults/NextToken", async () => {
    // Prepare
    const h = harness(scenarioOf());
    const seen: string[] = [];
    let token: string | undefined;
    // Act
    do {
      const page = await h.call("backup", "ListRecoveryPointsByBackupVault", {
        BackupVaultName: "dr-vault",
        ByResourceType: "EBS",
        ByCreatedAfter: new Date("2026-02-28T09:00:00Z"),
        MaxResults: 7,
        ...(token ? { NextToken: token } : {}),
      });
      seen.push(...(page.RecoveryPoints as Rp[]).map((p) => p.RecoveryPointArn));
      token = page.NextToken as string | undefined;
    } while (token);
    // Assess: default 24 hourly copies, newest 30 minutes old → 24 within the last day
    expect(seen).toHaveLength(24);
    expect(new Set(seen).size).toBe(24);
    expect(seen.every((a) => a.startsWith("arn:aws:ec2:us-west-2::snapshot/snap-0"))).toBe(true);
  });

  it("a recoveryPoints fault makes the copies stale; unknown vaults are ResourceNotFoundException", async () => {
    // Prepare
    const h = harness(scenarioOf({ faults: [{ recoveryPoints: "orders-db", newestAgeMinutes: 600 }] }));
    // Act
    const rp = await newestPoint(h, "orders-db");
    const err = await h.fail("backup", "ListRecoveryPointsByBackupVault", { BackupVaultName: "nope" });
    // Assess
    expect(rp.CreationDate.toISOString()).toBe("2026-02-28T23:00:00.000Z");
    expect(err).toMatchObject({ code: "ResourceNotFoundException", httpStatus: 400 });
  });

  it("copies keep arriving every interval after t=0 while the primary is healthy, never when stale or down", async () => {
    // Prepare
    const h = harness(scenarioOf({ faults: [{ recoveryPoints: "web-data", newestAgeMinutes: 600 }] }));
    const down = harness(scenarioOf({ primary: { healthy: false } }));
    const byDbArn = {
      BackupVaultName: "dr-vault",
      ByResourceArn: "arn:aws:rds:us-east-1:111122223333:db:orders-db",
    };
    const dates = async (x: Harness, input: Record<string, unknown>) =>
      ((await x.call("backup", "ListRecoveryPointsByBackupVault", input)).RecoveryPoints as Rp[]).map(
        (p) => `${p.CreationDate.toISOString()} ${p.Status}`,
      );
    // Act
    h.clock.advanceTo(Date.parse("2026-03-01T09:35:59Z")); // t0+35 min backup job still running
    const duringBackup = await dates(h, byDbArn);
    h.clock.advanceTo(Date.parse("2026-03-01T09:38:59Z")); // its copy started, not complete yet
    const duringCopy = await dates(h, byDbArn);
    h.clock.advanceTo(Date.parse("2026-03-01T10:39:00Z")); // the t0+95 min copy just completed
    const later = await dates(h, byDbArn);
    const stale = await dates(h, { BackupVaultName: "dr-vault", ByResourceType: "EBS" });
    down.clock.advanceTo(Date.parse("2026-03-01T10:40:00Z"));
    const whileDown = await dates(down, byDbArn);
    // Assess
    expect(duringBackup[0]).toBe("2026-03-01T08:35:00.000Z COMPLETED");
    expect(duringCopy[0]).toBe("2026-03-01T09:35:00.000Z CREATING");
    expect(later.slice(0, 3)).toEqual([
      "2026-03-01T10:35:00.000Z COMPLETED",
      "2026-03-01T09:35:00.000Z COMPLETED",
      "2026-03-01T08:35:00.000Z COMPLETED",
    ]);
    expect(later).toHaveLength(7);
    expect(stale[0]).toBe("2026-02-28T23:00:00.000Z COMPLETED");
    expect(whileDown).toHaveLength(5);
  });

  it("restore metadata has the type's real keys and points at the primary network", async () => {
    // Prepare
    const h = harness(scenarioOf());
    const rds = await newestPoint(h, "orders-db");
    const ebs = await newestPoint(h, "web-data");
    // Act
    const rdsMd = await h.call("backup", "GetRecoveryPointRestoreMetadata", {
      BackupVaultName: "dr-vault",
      RecoveryPointArn: rds.RecoveryPointArn,
    });
    const ebsMd = await h.call("backup", "GetRecoveryPointRestoreMetadata", {
      BackupVaultName: "dr-vault",
      RecoveryPointArn: ebs.RecoveryPointArn,
    });
    // Assess
    expect(rdsMd.RestoreMetadata).toMatchObject({
      DBInstanceIdentifier: "orders-db",
      Engine: "postgres",
      DBSubnetGroupName: "default",
      MultiAZ: "false",
      Port: "5432",
      AvailabilityZone: "us-east-1a",
    });
    expect(Object.keys(rdsMd.RestoreMetadata as object)).toEqual(
      expect.arrayContaining(["DBInstanceClass", "VpcSecurityGroupIds"]),
    );
    expect(ebsMd.RestoreMetadata).toMatchObject({
      availabilityZone: "us-east-1a",
      volumeType: "gp3",
      encrypted: "true",
    });
  });

  it("the RDS copy carries the source resource's tags (RDS ListTagsForResource on the snapshot)", async () => {
    // Prepare
    const h = harness(scenarioOf());
    const rp = await newestPoint(h, "orders-db");
    // Act
    const out = await h.call("rds", "ListTagsForResource", { ResourceName: rp.RecoveryPointArn });
    // Assess
    expect(out.TagList).toEqual([{ Key: "app", Value: "shop" }]);
  });
});

describe("backup: restore jobs", () => {
  it("runs PENDING → RUNNING → COMPLETED over virtual time and creates the DB in the recovery region", async () => {
    // Prepare
    const h = harness(scenarioOf());
    const id = await startRestore(h, "orders-db", "orders-db-abc123", "t1");
    const describe = () => h.call("backup", "DescribeRestoreJob", { RestoreJobId: id });
    // Act
    const pending = await describe();
    h.clock.advanceBy(TIMINGS.restorePendingSeconds + 1050);
    const running = await describe();
    const dbWhileRunning = await h.fail("rds", "DescribeDBInstances", {
      DBInstanceIdentifier: "orders-db-abc123",
    });
    h.clock.advanceBy(1050);
    const done = await describe();
    const db = await h.call("rds", "DescribeDBInstances", { DBInstanceIdentifier: "orders-db-abc123" });
    // Assess
    // PercentDone and ExpectedCompletionTimeMinutes per progress model: world-restore-progress.test.ts
    expect(pending).toMatchObject({ Status: "PENDING" });
    expect(running).toMatchObject({ Status: "RUNNING" });
    expect(running.CreatedResourceArn).toBeUndefined();
    expect(dbWhileRunning).toMatchObject({ code: "DBInstanceNotFound", httpStatus: 404 });
    expect(done).toMatchObject({
      Status: "COMPLETED",
      PercentDone: "100.00%",
      CreatedResourceArn: "arn:aws:rds:us-west-2:111122223333:db:orders-db-abc123",
    });
    expect((done.CompletionDate as Date).toISOString()).toBe("2026-03-01T09:35:30.000Z");
    const inst = (db.DBInstances as { Endpoint: { Address: string } }[])[0];
    expect(inst).toMatchObject({
      DBInstanceStatus: "available",
      DBSubnetGroup: { DBSubnetGroupName: "dr-db-subnets", VpcId: "vpc-0dr" },
    });
    expect(inst?.Endpoint.Address).toMatch(
      /^orders-db-abc123\.c[0-9a-f]{12}\.us-west-2\.rds\.amazonaws\.com$/,
    );
  });

  it("honours the IdempotencyToken: the same token returns the same job, a new one starts another", async () => {
    // Prepare
    const h = harness(scenarioOf());
    // Act
    const first = await startRestore(h, "web-data", "x", "token-1");
    const again = await startRestore(h, "web-data", "x", "token-1");
    const other = await startRestore(h, "web-data", "x", "token-2");
    // Assess
    expect(again).toBe(first);
    expect(other).not.toBe(first);
    const jobs = await h.call("backup", "ListRestoreJobs", {});
    expect(jobs.RestoreJobs).toHaveLength(2);
  });

  it("rejects synchronously only malformed requests: bad role ARN, no Metadata, wrong type, bad identifier", async () => {
    // Prepare
    const h = harness(scenarioOf());
    const rp = await newestPoint(h, "orders-db");
    const md = (
      await h.call("backup", "GetRecoveryPointRestoreMetadata", {
        BackupVaultName: "dr-vault",
        RecoveryPointArn: rp.RecoveryPointArn,
      })
    ).RestoreMetadata as Record<string, string>;
    const good = drMetadata(md, "rds", "orders-db-x");
    const start = (input: Record<string, unknown>) =>
      h.fail("backup", "StartRestoreJob", {
        RecoveryPointArn: rp.RecoveryPointArn,
        IamRoleArn: ROLE,
        Metadata: good,
        ...input,
      });
    // Act
    const badRole = await start({ IamRoleArn: "drctl-restore" });
    const noMetadata = await start({ Metadata: {} });
    const wrongType = await start({ ResourceType: "EBS" });
    const badId = await start({ Metadata: { ...good, DBInstanceIdentifier: "1-not-valid" } });
    const unknownPoint = await start({ RecoveryPointArn: `${rp.RecoveryPointArn}0` });
    // Assess
    expect(badRole).toMatchObject({ code: "InvalidParameterValueException", httpStatus: 400 });
    expect(noMetadata).toMatchObject({ code: "MissingParameterValueException" });
    expect(wrongType).toMatchObject({ code: "InvalidParameterValueException" });
    expect(badId.message).toContain('"1-not-valid"');
    expect(unknownPoint).toMatchObject({ code: "ResourceNotFoundException" });
  });

  it("restore faults: FAILED with the message for `times` jobs, then COMPLETED; extraSeconds slows a job", async () => {
    // Prepare
    const h = harness(
      scenarioOf({
        faults: [
          { restore: "web-data", status: "FAILED", message: "Volume quota exceeded", times: 2 },
          { restore: "orders-db", extraSeconds: 3600 },
        ],
      }),
    );
    // Act
    const ids = [
      await startRestore(h, "web-data", "v", "a1"),
      await startRestore(h, "web-data", "v", "a2"),
      await startRestore(h, "web-data", "v", "a3"),
    ];
    const db = await startRestore(h, "orders-db", "orders-db-slow", "d1");
    h.clock.advanceBy(TIMINGS.restorePendingSeconds + 300);
    const statuses = await Promise.all(
      ids.map((id) => h.call("backup", "DescribeRestoreJob", { RestoreJobId: id })),
    );
    h.clock.advanceBy(2100);
    const dbAtRestoreSeconds = await h.call("backup", "DescribeRestoreJob", { RestoreJobId: db });
    h.clock.advanceBy(3600);
    const dbLater = await h.call("backup", "DescribeRestoreJob", { RestoreJobId: db });
    // Assess
    expect(statuses.map((s) => s.Status)).toEqual(["FAILED", "FAILED", "COMPLETED"]);
    expect(statuses[0]?.StatusMessage).toBe("Volume quota exceeded");
    expect(statuses[2]?.CreatedResourceArn).toMatch(/^arn:aws:ec2:us-west-2:111122223333:volume\/vol-0/);
    expect(dbAtRestoreSeconds).toMatchObject({ Status: "RUNNING" });
    expect(dbLater.Status).toBe("COMPLETED");
    expect(h.world.faults.entries.map((e) => e.used)).toEqual([2, 1]);
  });

  it("a restore onto an identifier that exists fails the job", async () => {
    // Prepare
    const h = harness(scenarioOf());
    await startRestore(h, "orders-db", "orders-db-dup", "first");
    h.clock.advanceBy(3000);
    // Act
    const second = await startRestore(h, "orders-db", "orders-db-dup", "second");
    h.clock.advanceBy(120);
    const out = await h.call("backup", "DescribeRestoreJob", { RestoreJobId: second });
    // Assess
    expect(out).toMatchObject({ Status: "FAILED" });
    expect(out.StatusMessage).toContain("already exists");
  });

  it("ListRestoreJobs filters by creation time and status and pages", async () => {
    // Prepare
    const h = harness(scenarioOf({ faults: [{ restore: "web-data", status: "ABORTED", times: 1 }] }));
    await startRestore(h, "web-data", "v", "early");
    h.clock.advanceBy(60);
    const cutoff = h.clock.now();
    h.clock.advanceBy(1);
    for (let i = 0; i < 5; i++) await startRestore(h, "web-data", "v", `late-${i}`);
    h.clock.advanceBy(TIMINGS.restorePendingSeconds + 10);
    // Act
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await h.call("backup", "ListRestoreJobs", {
        ByCreatedAfter: cutoff,
        MaxResults: 2,
        ...(token ? { NextToken: token } : {}),
      });
      seen.push(...(page.RestoreJobs as { RestoreJobId: string }[]).map((j) => j.RestoreJobId));
      token = page.NextToken as string | undefined;
    } while (token);
    h.clock.advanceBy(300);
    const aborted = await h.call("backup", "ListRestoreJobs", { ByStatus: "ABORTED" });
    // Assess
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    expect(aborted.RestoreJobs).toHaveLength(1);
    const bad = await h.fail("backup", "ListRestoreJobs", { NextToken: "garbage" });
    expect(bad).toBeInstanceOf(SandboxError);
    expect(bad.code).toBe("InvalidParameterValueException");
  });

  it("call faults match service:Operation and the resource, with the real error shape, `times` times", async () => {
    // Prepare
    const h = harness(
      scenarioOf({
        faults: [
          { call: "backup:StartRestoreJob", resource: "orders-db", error: "ThrottlingException", times: 2 },
        ],
      }),
      4566,
      "startRestores",
    );
    // Act
    const web = await startRestore(h, "web-data", "v", "w");
    const e1 = await startRestore(h, "orders-db", "orders-db-t", "o").catch((e: SandboxError) => e);
    const e2 = await startRestore(h, "orders-db", "orders-db-t", "o").catch((e: SandboxError) => e);
    const ok = await startRestore(h, "orders-db", "orders-db-t", "o");
    // Assess
    expect(web).toMatch(/^[0-9A-F-]{36}$/);
    expect(e1).toMatchObject({ code: "ThrottlingException", httpStatus: 400, fault: "client" });
    expect(e2).toMatchObject({ code: "ThrottlingException" });
    expect(typeof ok).toBe("string");
    expect(h.world.faults.entries[0]).toMatchObject({ used: 2, remaining: 0 });
    expect(h.world.calls.filter((c) => c.error === "ThrottlingException")).toHaveLength(2);
  });
});

describe("outputs", () => {
  it("every output above fits the SDK v3 models (no member the SDK would drop, right types)", async () => {
    // Act
    const problems = await modelProblems();
    // Assess
    expect(problems).toEqual([]);
  });
});
