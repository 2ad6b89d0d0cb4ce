/**
 * AWS Backup recovery points as AWS names them (owning service's snapshot/image ARN unless the type
 * is under full AWS Backup management), where their tags can be read, and the restore metadata
 * GetRecoveryPointRestoreMetadata returns for a production source.
 */
import { describe, expect, it } from "vitest";
import type { ScenarioInput } from "../../../scripts/sandbox/scenario.js";
import { type Harness, harness, scenarioOf } from "./world-helpers.js";

type Rp = { RecoveryPointArn: string; ResourceName: string; ResourceType: string };

const ALL_TYPES: ScenarioInput["resources"] = [
  { name: "orders-db", type: "rds", tags: { app: "shop", tier: "db" } },
  { name: "ledger", type: "aurora", tags: { app: "shop" } },
  { name: "web-data", type: "ebs", tags: { app: "shop", tier: "web" } },
  { name: "web-1", type: "ec2", tags: { app: "shop" } },
  { name: "shared-files", type: "efs", tags: { app: "shop" } },
  { name: "carts", type: "dynamodb", tags: { app: "shop" } },
];

async function newest(h: Harness, name: string): Promise<Rp> {
  const out = await h.call("backup", "ListRecoveryPointsByBackupVault", { BackupVaultName: "dr-vault" });
  const rp = (out.RecoveryPoints as Rp[]).find((p) => p.ResourceName === name);
  if (!rp) throw new Error(`no recovery point of ${name}`);
  return rp;
}

describe("backup: recovery point ARNs", () => {
  it("carry the owning service's ARN unless AWS Backup fully manages the type", async () => {
    // Prepare
    const h = harness(scenarioOf({ resources: ALL_TYPES }));
    // Act
    const arns = Object.fromEntries(
      await Promise.all(ALL_TYPES.map(async (r) => [r.name, (await newest(h, r.name)).RecoveryPointArn])),
    );
    // Assess
    const uuid = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    expect(arns["orders-db"]).toMatch(
      new RegExp(`^arn:aws:rds:us-west-2:111122223333:snapshot:awsbackup:copyjob-${uuid}$`),
    );
    expect(arns.ledger).toMatch(
      new RegExp(`^arn:aws:rds:us-west-2:111122223333:cluster-snapshot:awsbackup:copyjob-${uuid}$`),
    );
    expect(arns["web-data"]).toMatch(/^arn:aws:ec2:us-west-2::snapshot\/snap-[0-9a-f]{17}$/);
    expect(arns["web-1"]).toMatch(/^arn:aws:ec2:us-west-2::image\/ami-[0-9a-f]{17}$/);
    expect(arns["shared-files"]).toMatch(
      new RegExp(`^arn:aws:backup:us-west-2:111122223333:recovery-point:${uuid}$`),
    );
    expect(arns.carts).toMatch(new RegExp(`^arn:aws:backup:us-west-2:111122223333:recovery-point:${uuid}$`));
  });

  it("ListBackupJobs in the primary shows the source recovery points (awsbackup:job-, primary region)", async () => {
    // Prepare
    const h = harness(scenarioOf({ resources: ALL_TYPES }));
    // Act
    const out = await h.call("backup", "ListBackupJobs", { ByResourceType: "RDS" }, "us-east-1");
    // Assess
    const jobs = out.BackupJobs as { RecoveryPointArn: string; ResourceType: string }[];
    const rds = jobs.filter((j) => j.ResourceType === "RDS");
    expect(rds.length).toBeGreaterThan(0);
    for (const j of rds) {
      expect(j.RecoveryPointArn).toMatch(
        /^arn:aws:rds:us-east-1:111122223333:snapshot:awsbackup:job-[0-9a-f-]{36}$/,
      );
    }
  });
});

describe("backup: recovery point tags", () => {
  it("ListTags answers for AWS Backup ARNs; an RDS or EC2 recovery point is InvalidParameterValueException", async () => {
    // Prepare
    const h = harness(scenarioOf({ resources: ALL_TYPES }));
    const efs = await newest(h, "shared-files");
    const rds = await newest(h, "orders-db");
    const ebs = await newest(h, "web-data");
    // Act
    const efsTags = await h.call("backup", "ListTags", { ResourceArn: efs.RecoveryPointArn });
    const rdsErr = await h.fail("backup", "ListTags", { ResourceArn: rds.RecoveryPointArn });
    const ebsErr = await h.fail("backup", "ListTags", { ResourceArn: ebs.RecoveryPointArn });
    // Assess
    expect(efsTags.Tags).toEqual({ app: "shop" });
    expect(rdsErr).toMatchObject({ code: "InvalidParameterValueException", httpStatus: 400 });
    expect(rdsErr.message).toContain(rds.RecoveryPointArn);
    expect(ebsErr).toMatchObject({ code: "InvalidParameterValueException" });
  });

  it("the copies carry the source resource's tags on the snapshot and image themselves (RDS and EC2 APIs)", async () => {
    // Prepare
    const h = harness(scenarioOf({ resources: ALL_TYPES }));
    const rds = await newest(h, "orders-db");
    const ledger = await newest(h, "ledger");
    const ebs = await newest(h, "web-data");
    const ami = await newest(h, "web-1");
    const snapId = ebs.RecoveryPointArn.split("/").pop() as string;
    const amiId = ami.RecoveryPointArn.split("/").pop() as string;
    // Act
    const dbTags = await h.call("rds", "ListTagsForResource", { ResourceName: rds.RecoveryPointArn });
    const clusterTags = await h.call("rds", "ListTagsForResource", { ResourceName: ledger.RecoveryPointArn });
    const snaps = await h.call("ec2", "DescribeSnapshots", { SnapshotIds: [snapId] });
    const images = await h.call("ec2", "DescribeImages", { ImageIds: [amiId] });
    const missing = await h.fail("ec2", "DescribeSnapshots", { SnapshotIds: ["snap-0000000000000000f"] });
    const gone = await h.fail("rds", "ListTagsForResource", {
      ResourceName: "arn:aws:rds:us-west-2:111122223333:snapshot:awsbackup:copyjob-nope",
    });
    // Assess
    expect(dbTags.TagList).toEqual(
      expect.arrayContaining([
        { Key: "app", Value: "shop" },
        { Key: "tier", Value: "db" },
      ]),
    );
    expect(clusterTags.TagList).toEqual(expect.arrayContaining([{ Key: "app", Value: "shop" }]));
    const snap = (snaps.Snapshots as { SnapshotId: string; Tags: unknown[]; State: string }[])[0];
    expect(snap).toMatchObject({ SnapshotId: snapId, State: "completed" });
    expect(snap?.Tags).toEqual(expect.arrayContaining([{ Key: "tier", Value: "web" }]));
    const image = (images.Images as { ImageId: string; Tags: unknown[]; State: string }[])[0];
    expect(image).toMatchObject({ ImageId: amiId, State: "available" });
    expect(image?.Tags).toEqual(expect.arrayContaining([{ Key: "app", Value: "shop" }]));
    expect(missing).toMatchObject({ code: "InvalidSnapshot.NotFound" });
    expect(gone).toMatchObject({ code: "DBSnapshotNotFound", httpStatus: 404 });
  });
});

describe("backup: an irregular series and copies in flight", () => {
  type Listed = Rp & { CreationDate: Date; Status: string; CompletionDate?: Date };
  const list = async (h: Harness, name: string) =>
    (
      (await h.call("backup", "ListRecoveryPointsByBackupVault", { BackupVaultName: "dr-vault" }))
        .RecoveryPoints as Listed[]
    ).filter((p) => p.ResourceName === name);
  const row = (p: Listed) =>
    `${p.CreationDate.toISOString()} ${p.Status} ${p.CompletionDate?.toISOString() ?? "-"}`;
  const SERIES: ScenarioInput["resources"] = [
    {
      name: "orders-db",
      type: "rds",
      tags: { app: "shop" },
      recoveryPoints: {
        // A gap (25 → 205 min), a copy in flight for 30 min, an older backup of other tags.
        points: [
          { ageMinutes: 205, tags: { app: "legacy" } },
          { ageMinutes: 25 },
          { ageMinutes: 5, copyMinutes: 30 },
        ],
      },
    },
    {
      name: "web-data",
      type: "ebs",
      recoveryPoints: { points: [{ ageMinutes: 2, copyMinutes: 90 }, { ageMinutes: 0.5 }] },
    },
  ];

  it("lists the given copies newest first; one whose copy runs is CREATING without CompletionDate", async () => {
    // Prepare
    const h = harness(scenarioOf({ resources: SERIES }));
    // Act
    const atStart = (await list(h, "orders-db")).map(row);
    h.clock.advanceBy(25 * 60);
    const copied = (await list(h, "orders-db")).map(row);
    // Assess
    expect(atStart).toEqual([
      "2026-03-01T08:55:00.000Z CREATING -",
      "2026-03-01T08:35:00.000Z COMPLETED 2026-03-01T08:39:00.000Z",
      "2026-03-01T05:35:00.000Z COMPLETED 2026-03-01T05:39:00.000Z",
    ]);
    expect(copied[0]).toBe("2026-03-01T08:55:00.000Z COMPLETED 2026-03-01T09:25:00.000Z");
  });

  it("shows a copy only once its backup job has ended; each copy carries the tags of its own backup", async () => {
    // Prepare
    const h = harness(scenarioOf({ resources: SERIES }));
    // Act: the 30 s old backup of web-data still runs (its copy starts at t0+30 s)
    const atStart = (await list(h, "web-data")).map((p) => p.Status);
    h.clock.advanceBy(30);
    const after = (await list(h, "web-data")).map((p) => p.Status);
    const points = await list(h, "orders-db");
    const tags = await Promise.all(
      points.map(async (p) => {
        const out = await h.call("rds", "ListTagsForResource", { ResourceName: p.RecoveryPointArn });
        return out.TagList;
      }),
    );
    // Assess
    expect(atStart).toEqual(["CREATING"]);
    expect(after).toEqual(["CREATING", "CREATING"]);
    expect(tags).toEqual([
      [{ Key: "app", Value: "shop" }],
      [{ Key: "app", Value: "shop" }],
      [{ Key: "app", Value: "legacy" }],
    ]);
  });

  it("an EBS copy in flight is a pending snapshot; DescribeRecoveryPoint says CREATING too", async () => {
    // Prepare
    const h = harness(scenarioOf({ resources: SERIES }));
    const [copy] = await list(h, "web-data");
    if (!copy) throw new Error("no copy of web-data");
    // Act
    const snap = await h.call("ec2", "DescribeSnapshots", {
      SnapshotIds: [copy.RecoveryPointArn.split("/").pop()],
    });
    const described = await h.call("backup", "DescribeRecoveryPoint", {
      BackupVaultName: "dr-vault",
      RecoveryPointArn: copy.RecoveryPointArn,
    });
    // Assess
    expect(snap.Snapshots).toMatchObject([{ State: "pending" }]);
    expect((snap.Snapshots as { Progress?: string }[])[0]?.Progress).toBeUndefined();
    expect(described).toMatchObject({ Status: "CREATING" });
    expect(described.CompletionDate).toBeUndefined();
  });

  it("later copies follow the newest given one every intervalMinutes; a recoveryPoints fault ages the series", async () => {
    // Prepare
    const h = harness(scenarioOf({ resources: SERIES }));
    const stale = harness(
      scenarioOf({ resources: SERIES, faults: [{ recoveryPoints: "orders-db", newestAgeMinutes: 600 }] }),
    );
    // Act
    h.clock.advanceBy(57 * 60); // the t0+55 min backup's copy runs until t0+59 min
    const later = (await list(h, "orders-db")).map(row);
    const aged = (await list(stale, "orders-db")).map((p) => p.CreationDate.toISOString());
    // Assess
    expect(later[0]).toBe("2026-03-01T09:55:00.000Z CREATING -");
    expect(aged).toEqual([
      "2026-02-28T23:00:00.000Z",
      "2026-02-28T22:40:00.000Z",
      "2026-02-28T19:40:00.000Z",
    ]);
  });
});
