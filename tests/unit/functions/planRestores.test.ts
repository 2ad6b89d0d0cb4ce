import {
  BackupClient,
  GetRecoveryPointRestoreMetadataCommand,
  ListRecoveryPointsByBackupVaultCommand,
  ListTagsCommand,
} from "@aws-sdk/client-backup";
import {
  DescribeImagesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSnapshotsCommand,
  DescribeSubnetsCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { ListTagsForResourceCommand, RDSClient } from "@aws-sdk/client-rds";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it, vi } from "vitest";
import { handler } from "../../../functions/planRestores/handler.js";
import { planRestores } from "../../../functions/planRestores/planRestores.js";
import { backupApi } from "../../../functions/shared/aws/backup.js";
import { copyTagsApi } from "../../../functions/shared/aws/copy-tags.js";
import { ec2Api } from "../../../functions/shared/aws/ec2.js";
import type { AppConfigInput } from "../../../functions/shared/config.js";
import { localContext } from "../../../functions/shared/middleware.js";
import { PlanDocument } from "../../../functions/shared/types.js";
import {
  appConfig,
  appConfigInput,
  BUCKET,
  memoryS3,
  runContext,
  SOURCE_ARNS,
} from "../../support/fixtures.js";
import { awsError } from "../aws/helpers.js";

const T0 = Date.parse("2026-03-01T09:00:00Z");
const minutesAgo = (m: number) => new Date(T0 - m * 60_000);

interface Point {
  arn: string;
  resourceArn: string;
  type: string;
  ageMinutes: number;
  status?: string;
  tags?: Record<string, string>;
  metadata?: Record<string, string>;
}

const tagList = (tags: Record<string, string> = {}) =>
  Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

/**
 * Backup, EC2 and RDS over mocked clients, answering from a list of recovery points as AWS does:
 * ListTags only for arn:aws:backup recovery points, the other copies' tags from their own service.
 */
function setup(points: Point[], configInput: Partial<AppConfigInput> = {}) {
  const backupClient = new BackupClient({ region: "us-west-2" });
  const ec2Client = new EC2Client({ region: "us-west-2" });
  const rdsClient = new RDSClient({ region: "us-west-2" });
  const backup = mockClient(backupClient);
  const ec2 = mockClient(ec2Client);
  const rds = mockClient(rdsClient);
  const point = (arn: string | undefined) => points.find((p) => p.arn === arn);
  const byId = (id: string) => points.find((p) => p.arn.endsWith(`/${id}`));
  backup.on(ListRecoveryPointsByBackupVaultCommand).callsFake((input) => ({
    RecoveryPoints: points
      .filter((p) => !input.ByResourceArn || p.resourceArn === input.ByResourceArn)
      .filter((p) => !input.ByCreatedBefore || minutesAgo(p.ageMinutes) < input.ByCreatedBefore)
      .filter((p) => !input.ByCreatedAfter || minutesAgo(p.ageMinutes) > input.ByCreatedAfter)
      .map((p) => ({
        RecoveryPointArn: p.arn,
        ResourceArn: p.resourceArn,
        ResourceType: p.type,
        CreationDate: minutesAgo(p.ageMinutes),
        Status: p.status ?? "COMPLETED",
      })),
  }));
  backup.on(ListTagsCommand).callsFake((input) => {
    if (!input.ResourceArn?.startsWith("arn:aws:backup:")) {
      throw awsError("InvalidParameterValueException", `Unsupported resource type: ${input.ResourceArn}`);
    }
    return { Tags: point(input.ResourceArn)?.tags ?? {} };
  });
  rds
    .on(ListTagsForResourceCommand)
    .callsFake((input) => ({ TagList: tagList(point(input.ResourceName)?.tags) }));
  ec2.on(DescribeSnapshotsCommand).callsFake((input) => ({
    Snapshots: (input.SnapshotIds ?? []).map((id: string) => ({
      SnapshotId: id,
      Tags: tagList(byId(id)?.tags),
    })),
  }));
  ec2.on(DescribeImagesCommand).callsFake((input) => ({
    Images: (input.ImageIds ?? []).map((id: string) => ({ ImageId: id, Tags: tagList(byId(id)?.tags) })),
  }));
  backup.on(GetRecoveryPointRestoreMetadataCommand).callsFake((input) => ({
    RestoreMetadata: points.find((p) => p.arn === input.RecoveryPointArn)?.metadata ?? {},
  }));
  ec2.on(DescribeSubnetsCommand).resolves({
    Subnets: [
      { SubnetId: "subnet-0dra", VpcId: "vpc-0dr", AvailabilityZone: "us-west-2a" },
      { SubnetId: "subnet-0drb", VpcId: "vpc-0dr", AvailabilityZone: "us-west-2b" },
    ],
  });
  ec2
    .on(DescribeSecurityGroupsCommand)
    .resolves({ SecurityGroups: [{ GroupId: "sg-0drdb", VpcId: "vpc-0dr" }] });
  const s3 = memoryS3();
  const backupWrapper = backupApi(backupClient);
  const deps = {
    backup: backupWrapper,
    ec2: ec2Api(ec2Client),
    copyTags: copyTagsApi({ ec2: ec2Client, rds: rdsClient, backup: backupWrapper }),
    store: s3.store,
    now: () => new Date(T0),
  };
  return { backup, ec2, rds, s3, deps, config: appConfig(configInput) };
}

const rp = (n: number) => `arn:aws:backup:us-west-2:111122223333:recovery-point:${n}`;
const standard: Point[] = [
  {
    arn: rp(1),
    resourceArn: SOURCE_ARNS.ordersDb,
    type: "RDS",
    ageMinutes: 25,
    metadata: { DBInstanceIdentifier: "orders-db", AvailabilityZone: "us-east-1a", MultiAZ: "true" },
  },
  { arn: rp(2), resourceArn: SOURCE_ARNS.ordersDb, type: "RDS", ageMinutes: 85 },
  { arn: rp(3), resourceArn: SOURCE_ARNS.ordersDb, type: "RDS", ageMinutes: 5, status: "CREATING" },
  {
    arn: rp(4),
    resourceArn: SOURCE_ARNS.webData,
    type: "EBS",
    ageMinutes: 40,
    metadata: { availabilityZone: "us-east-1b", volumeType: "gp3" },
  },
  {
    arn: rp(5),
    resourceArn: SOURCE_ARNS.sharedFiles,
    type: "EFS",
    ageMinutes: 10,
    metadata: { "file-system-id": "fs-0123456789abcdef0", PerformanceMode: "generalPurpose" },
  },
];

describe("planRestores", () => {
  it("plans the newest COMPLETED point per resource, in dependency order, into the DR network", async () => {
    // Prepare
    const run = runContext();
    const { s3, deps, config, backup } = setup(standard);
    // Act
    const summary = await planRestores({ run: run }, { ...deps, config });
    // Assess
    expect(summary).toEqual({
      planKey: `${run.artifactsPrefix}plan.json`,
      total: 3,
      worstRpoSeconds: 2400,
      rpoExceeded: [],
    });
    const doc = PlanDocument.parse(s3.getJson(summary.planKey));
    expect(doc.restores.map((r) => [r.name, r.recoveryPointArn, r.rpoSeconds])).toEqual([
      ["orders-db", rp(1), 1500],
      ["web-data", rp(4), 2400],
      ["shared-files", rp(5), 600],
    ]);
    const db = doc.restores[0];
    expect(db?.targetName).toBe(`orders-db-${run.suffix}`);
    expect(db?.metadata).toEqual({
      DBInstanceIdentifier: `orders-db-${run.suffix}`,
      DBSubnetGroupName: "dr-db-subnets",
      VpcSecurityGroupIds: '["sg-0drdb"]',
      MultiAZ: "true",
      DeletionProtection: "false",
    });
    expect(doc.restores[1]?.metadata).toEqual({ availabilityZone: "us-west-2a", volumeType: "gp3" });
    expect(doc.restores[2]?.metadata).toMatchObject({
      newFileSystem: "true",
      CreationToken: `shared-files-${run.suffix}`,
    });
    // One listing of the vault's recent window covers every resource (not one call per resource).
    const listings = backup.commandCalls(ListRecoveryPointsByBackupVaultCommand).map((c) => c.args[0].input);
    expect(listings).toHaveLength(1);
    expect(listings[0]).toMatchObject({ BackupVaultName: "dr-vault", MaxResults: 1000 });
    expect(listings[0]?.ByResourceArn).toBeUndefined();
    expect(listings[0]?.ByCreatedBefore).toBeInstanceOf(Date);
    expect(listings[0]?.ByCreatedAfter).toBeInstanceOf(Date);
  });

  it("still plans and writes the document for a dry run", async () => {
    const run = runContext({ dryRun: true });
    const { s3, deps, config } = setup(standard);
    const summary = await planRestores({ run: run }, { ...deps, config });
    expect(s3.puts).toEqual([summary.planKey]);
    expect(PlanDocument.parse(s3.getJson(summary.planKey)).run).toBe(run.name);
  });

  it("restores to an earlier point in time when restoreTo says so", async () => {
    const run = runContext({ restoreTo: minutesAgo(30).toISOString(), force: true });
    const older: Point = { arn: rp(6), resourceArn: SOURCE_ARNS.sharedFiles, type: "EFS", ageMinutes: 70 };
    const { s3, deps, config } = setup([...standard, older]);
    const summary = await planRestores({ run: run }, { ...deps, config });
    const doc = PlanDocument.parse(s3.getJson(summary.planKey));
    expect(doc.restores[2]).toMatchObject({
      name: "shared-files",
      recoveryPointArn: rp(6),
      rpoSeconds: 40 * 60,
    });
    expect(doc.restores[0]).toMatchObject({
      name: "orders-db",
      recoveryPointArn: rp(2),
      rpoSeconds: 55 * 60,
    });
  });

  it("stops with RpoExceeded naming the resource, its recovery point time and the objective", async () => {
    // Prepare
    const stale = standard.map((p) =>
      p.resourceArn === SOURCE_ARNS.webData ? { ...p, ageMinutes: 600 } : p,
    );
    const { s3, deps, config } = setup(stale);
    // Act
    const err = await planRestores({ run: runContext() }, { ...deps, config }).catch((e: unknown) => e);
    // Assess
    expect((err as Error).name).toBe("RpoExceeded");
    expect((err as Error).message).toMatch(/RPO objective 60 min/);
    expect((err as Error).message).toMatch(
      /web-data: newest recovery point 2026-02-28T23:00:00.000Z \(600 min\)/,
    );
    expect((err as Error).message).not.toMatch(/orders-db/);
    expect(s3.puts).toEqual([]);
  });

  it("records an exceeded RPO and continues when forced", async () => {
    const stale = standard.map((p) =>
      p.resourceArn === SOURCE_ARNS.webData ? { ...p, ageMinutes: 600 } : p,
    );
    const { deps, config, backup } = setup(stale);
    const summary = await planRestores({ run: runContext({ force: true }) }, { ...deps, config });
    expect(summary).toMatchObject({ rpoExceeded: ["web-data"], worstRpoSeconds: 36000, total: 3 });
    // Nothing of web-data in the recent window: only it is listed on its own.
    const byArn = backup
      .commandCalls(ListRecoveryPointsByBackupVaultCommand)
      .flatMap((c) => (c.args[0].input.ByResourceArn ? [c.args[0].input.ByResourceArn] : []));
    expect(byArn).toEqual([SOURCE_ARNS.webData]);
  });

  it("fails with NoRecoveryPoint when a resource has no COMPLETED point before restoreTo", async () => {
    const { deps, config } = setup(standard.filter((p) => p.resourceArn !== SOURCE_ARNS.sharedFiles));
    await expect(planRestores({ run: runContext() }, { ...deps, config })).rejects.toMatchObject({
      name: "NoRecoveryPoint",
      message: expect.stringMatching(/shared-files \(arn:aws:elasticfilesystem/),
    });
  });

  it("selects resources by tags and names them from their ARN", async () => {
    // Prepare
    const cartsArn = "arn:aws:dynamodb:us-east-1:111122223333:table/Carts";
    const points: Point[] = [
      ...standard,
      {
        arn: rp(10),
        resourceArn: cartsArn,
        type: "DynamoDB",
        ageMinutes: 15,
        tags: { backup: "true", app: "shop" },
      },
      { arn: rp(11), resourceArn: cartsArn, type: "DynamoDB", ageMinutes: 75, tags: { backup: "true" } },
      {
        arn: rp(12),
        resourceArn: "arn:aws:dynamodb:us-east-1:111122223333:table/Other",
        type: "DynamoDB",
        ageMinutes: 15,
        tags: { backup: "true", app: "blog" },
      },
    ];
    const { s3, deps, config } = setup(points, {
      resources: [],
      selection: { tags: { app: "shop", backup: "true" } },
    });
    // Act
    const summary = await planRestores({ run: runContext() }, { ...deps, config });
    // Assess
    const doc = PlanDocument.parse(s3.getJson(summary.planKey));
    expect(doc.restores).toHaveLength(1);
    expect(doc.restores[0]).toMatchObject({
      name: "carts",
      type: "dynamodb",
      recoveryPointArn: rp(10),
      metadata: { targetTableName: `carts-${runContext().suffix}` },
    });
  });

  it("selects by the tags each copy carries in the recovery region, read from the service that owns it", async () => {
    // Prepare: RDS and EBS copies are not AWS Backup ARNs; ListTags on them fails on AWS.
    const points: Point[] = [
      {
        arn: "arn:aws:rds:us-west-2:111122223333:snapshot:awsbackup:copyjob-0f7c6a2e-3f5e-4f51-9a57-1f2d3c4b5a69",
        resourceArn: "arn:aws:rds:us-east-1:111122223333:db:billing",
        type: "RDS",
        ageMinutes: 20,
        tags: { app: "shop" },
      },
      {
        arn: "arn:aws:ec2:us-west-2::snapshot/snap-0123456789abcdef0",
        resourceArn: "arn:aws:ec2:us-east-1:111122223333:volume/vol-0aaaaaaaaaaaaaaa1",
        type: "EBS",
        ageMinutes: 20,
        tags: { app: "shop" },
      },
      {
        arn: "arn:aws:ec2:us-west-2::image/ami-0123456789abcdef0",
        resourceArn: "arn:aws:ec2:us-east-1:111122223333:instance/i-0bbbbbbbbbbbbbbb2",
        type: "EC2",
        ageMinutes: 20,
        tags: { app: "blog" },
      },
      {
        arn: rp(20),
        resourceArn: "arn:aws:elasticfilesystem:us-east-1:111122223333:file-system/fs-0ccccccccccccccc3",
        type: "EFS",
        ageMinutes: 20,
        tags: { app: "shop" },
      },
    ];
    const { s3, deps, config, backup } = setup(points, {
      resources: [],
      selection: { tags: { app: "shop" } },
    });
    // Act
    const summary = await planRestores({ run: runContext() }, { ...deps, config });
    // Assess
    const doc = PlanDocument.parse(s3.getJson(summary.planKey));
    expect(doc.restores.map((r) => [r.name, r.type]).sort()).toEqual([
      ["billing", "rds"],
      ["fs-0ccccccccccccccc3", "efs"],
      ["vol-0aaaaaaaaaaaaaaa1", "ebs"],
    ]);
    const listTagsArns = backup.commandCalls(ListTagsCommand).map((c) => c.args[0].input.ResourceArn);
    expect(listTagsArns).toEqual([rp(20)]);
  });

  it("lets config restoreMetadata win over the computed metadata", async () => {
    const input = appConfigInput();
    const resources = (input.resources ?? []).map((r) =>
      r.name === "orders-db"
        ? { ...r, restoreMetadata: { DBInstanceClass: "db.t3.medium", MultiAZ: "false" } }
        : r,
    );
    const { s3, deps, config } = setup(standard, { resources });
    const summary = await planRestores({ run: runContext() }, { ...deps, config });
    const doc = PlanDocument.parse(s3.getJson(summary.planKey));
    expect(doc.restores[0]?.metadata).toMatchObject({ DBInstanceClass: "db.t3.medium", MultiAZ: "false" });
  });

  it("rejects a dependsOn cycle with ConfigInvalid", async () => {
    const input = appConfigInput();
    const resources = (input.resources ?? []).map((r) =>
      r.name === "orders-db" ? { ...r, dependsOn: ["shared-files"] } : r,
    );
    const { deps, config } = setup(standard, { resources });
    await expect(planRestores({ run: runContext() }, { ...deps, config })).rejects.toMatchObject({
      name: "ConfigInvalid",
      message: expect.stringMatching(/cycle/),
    });
  });

  it("rejects a DR subnet outside the DR VPC with ConfigInvalid", async () => {
    const { deps, config, ec2 } = setup(standard);
    ec2.on(DescribeSubnetsCommand).resolves({
      Subnets: [
        { SubnetId: "subnet-0dra", VpcId: "vpc-default", AvailabilityZone: "us-west-2a" },
        { SubnetId: "subnet-0drb", VpcId: "vpc-0dr", AvailabilityZone: "us-west-2b" },
      ],
    });
    await expect(planRestores({ run: runContext() }, { ...deps, config })).rejects.toMatchObject({
      name: "ConfigInvalid",
    });
  });
});

describe("planRestores handler", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("rejects a malformed event with InputInvalid", async () => {
    vi.stubEnv("ARTIFACTS_BUCKET", BUCKET);
    await expect(
      handler({ run: { ...runContext(), mode: "test" } }, localContext("planRestores")),
    ).rejects.toMatchObject({
      name: "InputInvalid",
      message: expect.stringMatching(/run.mode/),
    });
  });
});
