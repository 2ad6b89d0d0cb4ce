/**
 * Restore metadata of a production source, and restores that AWS accepts but that fail in the
 * recovery region: StartRestoreJob answers a job id, the job runs briefly and ends FAILED with the
 * owning service's error, as AWS Backup reports it.
 */
import { describe, expect, it } from "vitest";
import type { ScenarioInput } from "../../../scripts/sandbox/scenario.js";
import { TIMINGS } from "../../../scripts/sandbox/world/index.js";
import { drMetadata, type Harness, harness, ROLE, scenarioOf } from "./world-helpers.js";

type Rp = { RecoveryPointArn: string; ResourceName: string };

const RESOURCES: ScenarioInput["resources"] = [
  { name: "orders-db", type: "rds", tags: { app: "shop" }, restoreSeconds: 600 },
  { name: "ledger", type: "aurora", restoreSeconds: 600 },
  { name: "web-1", type: "ec2", restoreSeconds: 300 },
  { name: "web-data", type: "ebs", restoreSeconds: 300 },
  { name: "carts", type: "dynamodb", restoreSeconds: 300 },
];

async function sourceOf(h: Harness, name: string) {
  const out = await h.call("backup", "ListRecoveryPointsByBackupVault", { BackupVaultName: "dr-vault" });
  const rp = (out.RecoveryPoints as Rp[]).find((p) => p.ResourceName === name) as Rp;
  const md = await h.call("backup", "GetRecoveryPointRestoreMetadata", {
    BackupVaultName: "dr-vault",
    RecoveryPointArn: rp.RecoveryPointArn,
  });
  return { arn: rp.RecoveryPointArn, metadata: md.RestoreMetadata as Record<string, string> };
}

/** Starts a restore (it must be accepted) and returns the job after `seconds`. */
async function fate(h: Harness, arn: string, metadata: Record<string, string>, seconds = 1200, role = ROLE) {
  const { RestoreJobId } = await h.call("backup", "StartRestoreJob", {
    RecoveryPointArn: arn,
    IamRoleArn: role,
    Metadata: metadata,
  });
  h.clock.advanceBy(seconds);
  return h.call("backup", "DescribeRestoreJob", { RestoreJobId });
}

describe("backup: restore metadata of a production source", () => {
  it("has deletion protection on, the primary's groups, key pair and KMS keys (nested too)", async () => {
    // Prepare
    const h = harness(scenarioOf({ resources: RESOURCES }));
    // Act
    const rds = (await sourceOf(h, "orders-db")).metadata;
    const aurora = (await sourceOf(h, "ledger")).metadata;
    const ec2 = (await sourceOf(h, "web-1")).metadata;
    const table = (await sourceOf(h, "carts")).metadata;
    // Assess
    expect(rds).toMatchObject({
      DeletionProtection: "true",
      DBParameterGroupName: "orders-db-params",
      OptionGroupName: "orders-db-options",
      KmsKeyId: expect.stringMatching(/^arn:aws:kms:us-east-1:111122223333:key\/[0-9a-f-]{36}$/),
    });
    expect(aurora).toMatchObject({
      DeletionProtection: "true",
      DBClusterParameterGroupName: "ledger-cluster-params",
    });
    expect(ec2).toMatchObject({ DisableApiTermination: "true", KeyName: "shop-ops" });
    const mappings = JSON.parse(ec2.BlockDeviceMappings as string) as { Ebs: { KmsKeyId: string } }[];
    expect(mappings[0]?.Ebs.KmsKeyId).toMatch(/^arn:aws:kms:us-east-1:111122223333:key\//);
    expect(table).toMatchObject({ deletionProtection: "true", encryptionType: "KMS" });
  });

  it("takes the scenario's source block over the production defaults", async () => {
    // Prepare
    const h = harness(
      scenarioOf({
        resources: [
          {
            name: "orders-db",
            type: "rds",
            source: {
              deletionProtection: false,
              dbParameterGroup: "pg15-tuned",
              optionGroup: "default:postgres-15",
            },
          },
          { name: "web-1", type: "ec2", source: { keyName: "ops-2026" } },
        ],
      }),
    );
    // Act
    const rds = (await sourceOf(h, "orders-db")).metadata;
    const ec2 = (await sourceOf(h, "web-1")).metadata;
    // Assess
    expect(rds).toMatchObject({
      DeletionProtection: "false",
      DBParameterGroupName: "pg15-tuned",
      OptionGroupName: "default:postgres-15",
    });
    expect(ec2.KeyName).toBe("ops-2026");
  });
});

describe("backup: restores that fail in the recovery region", () => {
  it("a DB subnet group that does not exist: accepted, PENDING, RUNNING, then FAILED with RDS's error", async () => {
    // Prepare
    const h = harness(scenarioOf({ resources: RESOURCES }));
    const src = await sourceOf(h, "orders-db");
    const md = { ...drMetadata(src.metadata, "rds", "orders-db-x"), DBSubnetGroupName: "dr-db-subnet-group" };
    // Act
    const { RestoreJobId } = await h.call("backup", "StartRestoreJob", {
      RecoveryPointArn: src.arn,
      IamRoleArn: ROLE,
      Metadata: md,
    });
    const describe = () => h.call("backup", "DescribeRestoreJob", { RestoreJobId });
    const pending = await describe();
    h.clock.advanceBy(TIMINGS.restorePendingSeconds + 10);
    const running = await describe();
    h.clock.advanceBy(60);
    const failed = await describe();
    const db = await h.fail("rds", "DescribeDBInstances", { DBInstanceIdentifier: "orders-db-x" });
    // Assess
    expect(RestoreJobId).toMatch(/^[0-9A-F-]{36}$/);
    expect(pending.Status).toBe("PENDING");
    expect(running.Status).toBe("RUNNING");
    expect(failed.Status).toBe("FAILED");
    expect(failed.StatusMessage).toMatch(
      /^DB subnet group 'dr-db-subnet-group' does not exist\. \(Service: AmazonRDS; Status Code: 404; Error Code: DBSubnetGroupNotFoundFault; Request ID: [0-9a-f-]{36}; Proxy: null\)$/,
    );
    expect(failed.CreatedResourceArn).toBeUndefined();
    expect(db.code).toBe("DBInstanceNotFound");
  });

  it("each primary-region name the recovery region lacks fails the job with the owning service's message", async () => {
    // Prepare
    const h = harness(scenarioOf({ resources: RESOURCES }));
    const rds = await sourceOf(h, "orders-db");
    const ledger = await sourceOf(h, "ledger");
    const ec2 = await sourceOf(h, "web-1");
    const ebs = await sourceOf(h, "web-data");
    const table = await sourceOf(h, "carts");
    const db = (extra: Record<string, string>, n: number) => ({
      ...drMetadata(rds.metadata, "rds", `orders-db-${n}`),
      ...extra,
    });
    // Act
    const messages = [
      await fate(h, rds.arn, db({ VpcSecurityGroupIds: '["sg-0other"]' }, 1)),
      await fate(h, rds.arn, db({ DBParameterGroupName: rds.metadata.DBParameterGroupName as string }, 2)),
      await fate(h, rds.arn, db({ OptionGroupName: rds.metadata.OptionGroupName as string }, 3)),
      await fate(h, rds.arn, db({ KmsKeyId: rds.metadata.KmsKeyId as string }, 4)),
      await fate(h, rds.arn, db({ AvailabilityZone: "us-east-1a" }, 5)),
      await fate(h, ledger.arn, {
        ...drMetadata(ledger.metadata, "aurora", "ledger-1"),
        DBClusterParameterGroupName: "ledger-cluster-params",
      }),
      await fate(h, ec2.arn, { ...drMetadata(ec2.metadata, "ec2", "x"), KeyName: "shop-ops" }),
      await fate(h, ec2.arn, {
        ...drMetadata(ec2.metadata, "ec2", "x"),
        BlockDeviceMappings: ec2.metadata.BlockDeviceMappings as string,
      }),
      await fate(h, ec2.arn, { ...drMetadata(ec2.metadata, "ec2", "x"), SecurityGroupIds: "sg-0nope" }),
      await fate(h, ebs.arn, { ...drMetadata(ebs.metadata, "ebs", "x"), availabilityZone: "us-east-1a" }),
      await fate(h, table.arn, {
        ...drMetadata(table.metadata, "dynamodb", "carts-1"),
        kmsMasterKeyArn: table.metadata.kmsMasterKeyArn as string,
      }),
    ].map((j) => `${j.Status}: ${String(j.StatusMessage).split(" (Service:")[0]}`);
    // Assess
    const kms = (md: Record<string, string>, key: string) =>
      `FAILED: The specified KMS key [${md[key]}] does not exist, is not enabled or you do not have permissions to access it.`;
    expect(messages).toEqual([
      "FAILED: Invalid security group , groupId= sg-0other, groupName=.",
      "FAILED: DBParameterGroup not found: orders-db-params",
      "FAILED: Specified OptionGroupName: orders-db-options not found.",
      kms(rds.metadata, "KmsKeyId"),
      "FAILED: No subnets found for the DB subnet group 'dr-db-subnets' in availability zone us-east-1a.",
      "FAILED: DBClusterParameterGroup not found: ledger-cluster-params",
      "FAILED: The key pair 'shop-ops' does not exist",
      `FAILED: The specified KMS key [${JSON.parse(ec2.metadata.BlockDeviceMappings as string)[0].Ebs.KmsKeyId}] does not exist, is not enabled or you do not have permissions to access it.`,
      "FAILED: The security group 'sg-0nope' does not exist",
      "FAILED: Invalid availability zone: [us-east-1a]",
      kms(table.metadata, "kmsMasterKeyArn"),
    ]);
  });

  it("names that exist in the recovery region restore: default groups, the network's key pairs, groups and keys", async () => {
    // Prepare
    const h = harness(
      scenarioOf({
        resources: RESOURCES,
        network: {
          vpcId: "vpc-0dr",
          subnetIds: ["subnet-0dra", "subnet-0drb"],
          securityGroupIds: ["sg-0drdb"],
          dbSubnetGroup: "dr-db-subnets",
          keyPairs: ["shop-ops"],
          optionGroups: ["orders-db-options"],
          kmsKeys: ["0a1b2c3d-0000-4000-a000-000000000001"],
        },
      }),
    );
    const rds = await sourceOf(h, "orders-db");
    const ec2 = await sourceOf(h, "web-1");
    // Act
    const jobs = [
      await fate(h, rds.arn, {
        ...drMetadata(rds.metadata, "rds", "orders-db-1"),
        DBParameterGroupName: "default.postgres15",
        OptionGroupName: "orders-db-options",
        KmsKeyId: "arn:aws:kms:us-west-2:111122223333:key/0a1b2c3d-0000-4000-a000-000000000001",
      }),
      await fate(h, ec2.arn, { ...drMetadata(ec2.metadata, "ec2", "x"), KeyName: "shop-ops" }),
      await fate(h, rds.arn, {
        ...drMetadata(rds.metadata, "rds", "orders-db-2"),
        KmsKeyId: "alias/aws/rds",
      }),
    ];
    // Assess
    expect(jobs.map((j) => [j.Status, j.StatusMessage])).toEqual([
      ["COMPLETED", undefined],
      ["COMPLETED", undefined],
      ["COMPLETED", undefined],
    ]);
  });

  it("a restore role the account does not have fails the job; the scenario's iamRoles exist; no role means the default", async () => {
    // Prepare
    const h = harness(scenarioOf({ resources: RESOURCES, iamRoles: ["AWSBackupServiceRole"] }));
    const ebs = await sourceOf(h, "web-data");
    const md = drMetadata(ebs.metadata, "ebs", "x");
    // Act
    const unknown = await fate(h, ebs.arn, md, 1200, "arn:aws:iam::111122223333:role/nobody");
    const guide = await fate(h, ebs.arn, md, 1200, "arn:aws:iam::111122223333:role/AWSBackupServiceRole");
    const { RestoreJobId } = await h.call("backup", "StartRestoreJob", {
      RecoveryPointArn: ebs.arn,
      Metadata: md,
    });
    h.clock.advanceBy(1200);
    const noRole = await h.call("backup", "DescribeRestoreJob", { RestoreJobId });
    // Assess
    expect(unknown).toMatchObject({
      Status: "FAILED",
      StatusMessage:
        "The provided role arn:aws:iam::111122223333:role/nobody cannot be assumed by AWS Backup.",
    });
    expect(guide.Status).toBe("COMPLETED");
    expect(noRole).toMatchObject({
      Status: "COMPLETED",
      IamRoleArn: "arn:aws:iam::111122223333:role/service-role/AWSBackupDefaultServiceRole",
    });
  });
});

describe("restored resources: deletion protection", () => {
  it("a restore with protection on makes the delete calls fail with the services' errors; off deletes", async () => {
    // Prepare
    const h = harness(scenarioOf({ resources: RESOURCES }));
    const rds = await sourceOf(h, "orders-db");
    const ec2 = await sourceOf(h, "web-1");
    const table = await sourceOf(h, "carts");
    const on = { DeletionProtection: "true" };
    await fate(h, rds.arn, { ...drMetadata(rds.metadata, "rds", "orders-db-on"), ...on });
    await fate(h, rds.arn, drMetadata(rds.metadata, "rds", "orders-db-off"));
    const inst = await fate(h, ec2.arn, {
      ...drMetadata(ec2.metadata, "ec2", "x"),
      DisableApiTermination: "true",
    });
    await fate(h, table.arn, {
      ...drMetadata(table.metadata, "dynamodb", "carts-on"),
      deletionProtection: "true",
    });
    const instanceId = String(inst.CreatedResourceArn).split("/").pop();
    // Act
    const db = await h.fail("rds", "DeleteDBInstance", {
      DBInstanceIdentifier: "orders-db-on",
      SkipFinalSnapshot: true,
    });
    const vm = await h.fail("ec2", "TerminateInstances", { InstanceIds: [instanceId] });
    const tbl = await h.fail("dynamodb", "DeleteTable", { TableName: "carts-on" });
    const off = await h.call("rds", "DeleteDBInstance", {
      DBInstanceIdentifier: "orders-db-off",
      SkipFinalSnapshot: true,
    });
    // Assess
    expect(db).toMatchObject({
      code: "InvalidParameterCombination",
      message: "Cannot delete protected DB Instance, please disable deletion protection and try again.",
    });
    expect(vm).toMatchObject({ code: "OperationNotPermitted" });
    expect(vm.message).toContain("disableApiTermination");
    expect(tbl).toMatchObject({ code: "ValidationException" });
    expect(tbl.message).toContain("protected against deletion");
    expect(off.DBInstance).toMatchObject({ DBInstanceIdentifier: "orders-db-off" });
  });
});
