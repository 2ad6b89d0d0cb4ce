/**
 * restJson1 (AWS Backup, Amazon EFS) through the sandbox server with the real SDK v3 clients:
 * every operation drctl uses decodes into the SDK-shaped input and its output parses back.
 */
import {
  BackupClient,
  DescribeRecoveryPointCommand,
  DescribeRestoreJobCommand,
  GetRecoveryPointRestoreMetadataCommand,
  ListBackupJobsCommand,
  ListBackupVaultsCommand,
  ListRestoreJobsCommand,
  ListTagsCommand,
  paginateListRecoveryPointsByBackupVault,
  StartRestoreJobCommand,
} from "@aws-sdk/client-backup";
import {
  CreateMountTargetCommand,
  DeleteFileSystemCommand,
  DeleteMountTargetCommand,
  DescribeFileSystemsCommand,
  DescribeMountTargetsCommand,
  EFSClient,
  ListTagsForResourceCommand,
  TagResourceCommand,
} from "@aws-sdk/client-efs";
import { describe, expect, it } from "vitest";
import { SandboxError } from "../../../scripts/sandbox/types.js";
import { body, useFakeSandbox } from "./wire-fake.js";

const sb = useFakeSandbox();

const T0 = new Date("2026-03-01T09:00:00.000Z");
const T1 = new Date("2026-03-01T09:17:30.250Z");
const RP_ARN = "arn:aws:ec2:us-west-2::snapshot/snap-0abc/with:colons";

describe("backup (restJson1)", () => {
  it("ListBackupVaults: query members, list output", async () => {
    // Prepare
    sb.backend.on("backup", "ListBackupVaults", {
      BackupVaultList: [
        {
          BackupVaultName: "dr",
          BackupVaultArn: "arn:vault:dr",
          CreationDate: T0,
          NumberOfRecoveryPoints: 3,
        },
      ],
      NextToken: "n2",
    });
    // Act
    const out = await new BackupClient(sb.config("us-west-2")).send(
      new ListBackupVaultsCommand({ MaxResults: 10 }),
    );
    // Assess
    expect(sb.backend.last()).toEqual({
      service: "backup",
      operation: "ListBackupVaults",
      region: "us-west-2",
      input: { MaxResults: 10 },
    });
    expect(body(out)).toEqual({
      BackupVaultList: [
        {
          BackupVaultName: "dr",
          BackupVaultArn: "arn:vault:dr",
          CreationDate: T0,
          NumberOfRecoveryPoints: 3,
        },
      ],
      NextToken: "n2",
    });
  });

  it("ListRecoveryPointsByBackupVault: label, By* filters (timestamps), paging tokens round-trip", async () => {
    // Prepare
    sb.backend.on("backup", "ListRecoveryPointsByBackupVault", (call) => {
      const page = call.input.NextToken === undefined ? 1 : 2;
      return {
        RecoveryPoints: [
          {
            RecoveryPointArn: `${RP_ARN}-${page}`,
            ResourceArn: "arn:aws:rds:us-east-1:1:db:orders",
            ResourceType: "RDS",
            CreationDate: T0,
            Status: "COMPLETED",
            BackupSizeInBytes: 2 ** 40,
            IsEncrypted: true,
          },
        ],
        ...(page === 1 ? { NextToken: "page/2+=" } : {}),
      };
    });
    const client = new BackupClient(sb.config());
    // Act
    const pages = [];
    for await (const page of paginateListRecoveryPointsByBackupVault(
      { client },
      {
        BackupVaultName: "drctl vault",
        ByResourceType: "RDS",
        ByResourceArn: "arn:aws:rds:us-east-1:1:db:orders",
        ByCreatedAfter: T0,
        ByCreatedBefore: T1,
        MaxResults: 1,
      },
    )) {
      pages.push(page);
    }
    // Assess
    const filters = {
      BackupVaultName: "drctl vault",
      ByResourceType: "RDS",
      ByResourceArn: "arn:aws:rds:us-east-1:1:db:orders",
      ByCreatedAfter: T0,
      ByCreatedBefore: T1,
      MaxResults: 1,
    };
    expect(sb.backend.calls.map((c) => c.input)).toEqual([filters, { ...filters, NextToken: "page/2+=" }]);
    expect(pages.map((p) => p.RecoveryPoints?.[0]?.RecoveryPointArn)).toEqual([`${RP_ARN}-1`, `${RP_ARN}-2`]);
    expect(pages[0]?.RecoveryPoints?.[0]).toEqual({
      RecoveryPointArn: `${RP_ARN}-1`,
      ResourceArn: "arn:aws:rds:us-east-1:1:db:orders",
      ResourceType: "RDS",
      CreationDate: T0,
      Status: "COMPLETED",
      BackupSizeInBytes: 2 ** 40,
      IsEncrypted: true,
    });
  });

  it("DescribeRecoveryPoint: two labels, one of them an ARN with slashes", async () => {
    // Prepare
    sb.backend.on("backup", "DescribeRecoveryPoint", {
      RecoveryPointArn: RP_ARN,
      BackupVaultName: "dr",
      Status: "COMPLETED",
      CreationDate: T0,
      CompletionDate: T1,
      CalculatedLifecycle: { DeleteAt: T1 },
    });
    // Act
    const out = await new BackupClient(sb.config()).send(
      new DescribeRecoveryPointCommand({ BackupVaultName: "dr", RecoveryPointArn: RP_ARN }),
    );
    // Assess
    expect(sb.backend.last().input).toEqual({ BackupVaultName: "dr", RecoveryPointArn: RP_ARN });
    expect(body(out)).toEqual({
      RecoveryPointArn: RP_ARN,
      BackupVaultName: "dr",
      Status: "COMPLETED",
      CreationDate: T0,
      CompletionDate: T1,
      CalculatedLifecycle: { DeleteAt: T1 },
    });
  });

  it("GetRecoveryPointRestoreMetadata: map output", async () => {
    // Prepare
    const metadata = { DBInstanceIdentifier: "orders", DBSubnetGroupName: "dr-subnets", Port: "5432" };
    sb.backend.on("backup", "GetRecoveryPointRestoreMetadata", {
      BackupVaultArn: "arn:vault:dr",
      RecoveryPointArn: RP_ARN,
      RestoreMetadata: metadata,
      ResourceType: "RDS",
    });
    // Act
    const out = await new BackupClient(sb.config()).send(
      new GetRecoveryPointRestoreMetadataCommand({ BackupVaultName: "dr", RecoveryPointArn: RP_ARN }),
    );
    // Assess
    expect(sb.backend.last().operation).toBe("GetRecoveryPointRestoreMetadata");
    expect(sb.backend.last().input).toEqual({ BackupVaultName: "dr", RecoveryPointArn: RP_ARN });
    expect(out.RestoreMetadata).toEqual(metadata);
    expect(out.ResourceType).toBe("RDS");
  });

  it("StartRestoreJob: PUT with JSON body (map, idempotency token)", async () => {
    // Prepare
    sb.backend.on("backup", "StartRestoreJob", { RestoreJobId: "rj-1" });
    const input = {
      RecoveryPointArn: RP_ARN,
      Metadata: { DBInstanceIdentifier: "orders-a1b2c3", MultiAZ: "false" },
      IamRoleArn: "arn:aws:iam::1:role/restore",
      IdempotencyToken: "tok-1",
      ResourceType: "RDS",
    };
    // Act
    const out = await new BackupClient(sb.config("eu-west-1")).send(new StartRestoreJobCommand(input));
    // Assess
    expect(sb.backend.last()).toEqual({
      service: "backup",
      operation: "StartRestoreJob",
      region: "eu-west-1",
      input,
    });
    expect(body(out)).toEqual({ RestoreJobId: "rj-1" });
  });

  it("DescribeRestoreJob: numbers, strings and timestamps in the output", async () => {
    // Prepare
    const job = {
      RestoreJobId: "rj-1",
      RecoveryPointArn: RP_ARN,
      CreationDate: T0,
      CompletionDate: T1,
      Status: "COMPLETED",
      StatusMessage: "done",
      PercentDone: "100.00%",
      BackupSizeInBytes: 1234,
      ExpectedCompletionTimeMinutes: 17,
      CreatedResourceArn: "arn:aws:rds:us-west-2:1:db:orders-a1b2c3",
      ResourceType: "RDS",
      IsParent: false,
    };
    sb.backend.on("backup", "DescribeRestoreJob", job);
    // Act
    const out = await new BackupClient(sb.config()).send(
      new DescribeRestoreJobCommand({ RestoreJobId: "rj-1" }),
    );
    // Assess
    expect(sb.backend.last().input).toEqual({ RestoreJobId: "rj-1" });
    expect(body(out)).toEqual(job);
  });

  it("ListRestoreJobs and ListBackupJobs: timestamp query filters, nested lists", async () => {
    // Prepare
    sb.backend.on("backup", "ListRestoreJobs", {
      RestoreJobs: [
        { RestoreJobId: "rj-1", Status: "RUNNING", CreationDate: T0, PercentDone: "40%" },
        { RestoreJobId: "rj-2", Status: "FAILED", StatusMessage: "boom", CreationDate: T1 },
      ],
      NextToken: "more",
    });
    sb.backend.on("backup", "ListBackupJobs", {
      BackupJobs: [{ BackupJobId: "bj-1", State: "COMPLETED", CreationDate: T0, BackupSizeInBytes: 5 }],
    });
    const client = new BackupClient(sb.config());
    // Act
    const restores = await client.send(
      new ListRestoreJobsCommand({ ByCreatedAfter: T0, ByStatus: "RUNNING" }),
    );
    const backups = await client.send(
      new ListBackupJobsCommand({ ByBackupVaultName: "dr", ByState: "COMPLETED", ByCreatedBefore: T1 }),
    );
    // Assess
    expect(sb.backend.calls.map((c) => [c.operation, c.input])).toEqual([
      ["ListRestoreJobs", { ByCreatedAfter: T0, ByStatus: "RUNNING" }],
      ["ListBackupJobs", { ByBackupVaultName: "dr", ByState: "COMPLETED", ByCreatedBefore: T1 }],
    ]);
    expect(body(restores)).toEqual({
      RestoreJobs: [
        { RestoreJobId: "rj-1", Status: "RUNNING", CreationDate: T0, PercentDone: "40%" },
        { RestoreJobId: "rj-2", Status: "FAILED", StatusMessage: "boom", CreationDate: T1 },
      ],
      NextToken: "more",
    });
    expect(backups.BackupJobs).toEqual([
      { BackupJobId: "bj-1", State: "COMPLETED", CreationDate: T0, BackupSizeInBytes: 5 },
    ]);
  });

  it("ListTags: ARN label and map output", async () => {
    // Prepare
    sb.backend.on("backup", "ListTags", { Tags: { app: "shop", "drctl:tier": "db" } });
    // Act
    const out = await new BackupClient(sb.config()).send(new ListTagsCommand({ ResourceArn: RP_ARN }));
    // Assess
    expect(sb.backend.last().input).toEqual({ ResourceArn: RP_ARN });
    expect(out.Tags).toEqual({ app: "shop", "drctl:tier": "db" });
  });

  it("errors: ResourceNotFoundException and ThrottlingException surface with their names and statuses", async () => {
    // Prepare
    sb.backend.on("backup", "DescribeRestoreJob", () => {
      throw new SandboxError("ResourceNotFoundException", "Restore job rj-9 not found", 404);
    });
    sb.backend.on("backup", "ListRestoreJobs", () => {
      throw new SandboxError("ThrottlingException", "Rate exceeded", 400);
    });
    const client = new BackupClient(sb.config());
    // Act
    const notFound = await client
      .send(new DescribeRestoreJobCommand({ RestoreJobId: "rj-9" }))
      .catch((e) => e);
    const throttled = await client.send(new ListRestoreJobsCommand({})).catch((e) => e);
    // Assess
    expect(notFound.name).toBe("ResourceNotFoundException");
    expect(notFound.message).toBe("Restore job rj-9 not found");
    expect(notFound.$metadata.httpStatusCode).toBe(404);
    expect(notFound.Code).toBe("ResourceNotFoundException");
    expect(throttled.name).toBe("ThrottlingException");
    expect(throttled.$metadata.httpStatusCode).toBe(400);
  });
});

describe("efs (restJson1)", () => {
  const fs = {
    OwnerId: "123456789012",
    CreationToken: "shared-a1b2c3",
    FileSystemId: "fs-0123",
    FileSystemArn: "arn:aws:elasticfilesystem:us-west-2:123456789012:file-system/fs-0123",
    CreationTime: T0,
    LifeCycleState: "available",
    NumberOfMountTargets: 0,
    SizeInBytes: { Value: 6144, Timestamp: T1 },
    PerformanceMode: "generalPurpose",
    Encrypted: true,
    Tags: [{ Key: "Name", Value: "shared" }],
  };

  it("DescribeFileSystems: query members, nested structures and lists", async () => {
    // Prepare
    sb.backend.on("efs", "DescribeFileSystems", { FileSystems: [fs], NextMarker: "m2" });
    // Act
    const out = await new EFSClient(sb.config()).send(
      new DescribeFileSystemsCommand({ FileSystemId: "fs-0123", MaxItems: 5, Marker: "m1" }),
    );
    // Assess
    expect(sb.backend.last()).toEqual({
      service: "efs",
      operation: "DescribeFileSystems",
      region: "us-west-2",
      input: { FileSystemId: "fs-0123", MaxItems: 5, Marker: "m1" },
    });
    expect(body(out)).toEqual({ FileSystems: [fs], NextMarker: "m2" });
  });

  it("CreateMountTarget: POST body with a list", async () => {
    // Prepare
    const mt = {
      MountTargetId: "fsmt-1",
      FileSystemId: "fs-0123",
      SubnetId: "subnet-1",
      LifeCycleState: "creating",
      IpAddress: "10.1.2.3",
      AvailabilityZoneName: "us-west-2a",
    };
    sb.backend.on("efs", "CreateMountTarget", mt);
    // Act
    const out = await new EFSClient(sb.config()).send(
      new CreateMountTargetCommand({
        FileSystemId: "fs-0123",
        SubnetId: "subnet-1",
        SecurityGroups: ["sg-1", "sg-2"],
      }),
    );
    // Assess
    expect(sb.backend.last().input).toEqual({
      FileSystemId: "fs-0123",
      SubnetId: "subnet-1",
      SecurityGroups: ["sg-1", "sg-2"],
    });
    expect(body(out)).toEqual(mt);
  });

  it("DescribeMountTargets, DeleteMountTarget, DeleteFileSystem (204, no body)", async () => {
    // Prepare
    sb.backend.on("efs", "DescribeMountTargets", {
      MountTargets: [
        {
          MountTargetId: "fsmt-1",
          FileSystemId: "fs-0123",
          SubnetId: "subnet-1",
          LifeCycleState: "available",
        },
      ],
    });
    sb.backend.on("efs", "DeleteMountTarget", {});
    sb.backend.on("efs", "DeleteFileSystem", {});
    const client = new EFSClient(sb.config());
    // Act
    const mts = await client.send(new DescribeMountTargetsCommand({ FileSystemId: "fs-0123" }));
    const del1 = await client.send(new DeleteMountTargetCommand({ MountTargetId: "fsmt-1" }));
    const del2 = await client.send(new DeleteFileSystemCommand({ FileSystemId: "fs-0123" }));
    // Assess
    expect(sb.backend.calls.map((c) => [c.operation, c.input])).toEqual([
      ["DescribeMountTargets", { FileSystemId: "fs-0123" }],
      ["DeleteMountTarget", { MountTargetId: "fsmt-1" }],
      ["DeleteFileSystem", { FileSystemId: "fs-0123" }],
    ]);
    expect(mts.MountTargets).toEqual([
      { MountTargetId: "fsmt-1", FileSystemId: "fs-0123", SubnetId: "subnet-1", LifeCycleState: "available" },
    ]);
    expect(del1.$metadata.httpStatusCode).toBe(204);
    expect(del2.$metadata.httpStatusCode).toBe(204);
  });

  it("TagResource and ListTagsForResource", async () => {
    // Prepare
    sb.backend.on("efs", "TagResource", {});
    sb.backend.on("efs", "ListTagsForResource", {
      Tags: [{ Key: "drctl:execution", Value: "drill-shop-1" }],
      NextToken: "t",
    });
    const client = new EFSClient(sb.config());
    // Act
    await client.send(
      new TagResourceCommand({
        ResourceId: "fs-0123",
        Tags: [{ Key: "drctl:execution", Value: "drill-shop-1" }],
      }),
    );
    const out = await client.send(new ListTagsForResourceCommand({ ResourceId: "fs-0123", MaxResults: 50 }));
    // Assess
    expect(sb.backend.calls.map((c) => [c.operation, c.input])).toEqual([
      ["TagResource", { ResourceId: "fs-0123", Tags: [{ Key: "drctl:execution", Value: "drill-shop-1" }] }],
      ["ListTagsForResource", { ResourceId: "fs-0123", MaxResults: 50 }],
    ]);
    expect(body(out)).toEqual({ Tags: [{ Key: "drctl:execution", Value: "drill-shop-1" }], NextToken: "t" });
  });

  it("errors: FileSystemNotFound (404) carries its ErrorCode", async () => {
    // Prepare
    sb.backend.on("efs", "DescribeFileSystems", () => {
      throw new SandboxError("FileSystemNotFound", "File system 'fs-9' does not exist.", 404);
    });
    // Act
    const err = await new EFSClient(sb.config())
      .send(new DescribeFileSystemsCommand({ FileSystemId: "fs-9" }))
      .catch((e) => e);
    // Assess
    expect(err.name).toBe("FileSystemNotFound");
    expect(err.ErrorCode).toBe("FileSystemNotFound");
    expect(err.message).toBe("File system 'fs-9' does not exist.");
    expect(err.$metadata.httpStatusCode).toBe(404);
  });
});
