import {
  BackupClient,
  DescribeRestoreJobCommand,
  GetRecoveryPointRestoreMetadataCommand,
  InvalidParameterValueException,
  ListRecoveryPointsByBackupVaultCommand,
  ListRestoreJobsCommand,
  ListTagsCommand,
  ResourceNotFoundException,
  StartRestoreJobCommand,
} from "@aws-sdk/client-backup";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { backupApi } from "../../../functions/shared/aws/backup.js";
import { awsError, pagesByToken } from "./helpers.js";

const backup = mockClient(BackupClient);
const api = backupApi(new BackupClient({ region: "us-west-2" }));
const RP1 = "arn:aws:backup:us-west-2:111122223333:recovery-point:rp-1";
const RP2 = "arn:aws:ec2:us-west-2::snapshot/snap-2";
const DB = "arn:aws:rds:us-east-1:111122223333:db:shop-db";

beforeEach(() => backup.reset());

describe("backupApi.listRecoveryPoints", () => {
  it("follows NextToken across pages and maps filters and fields", async () => {
    // Prepare
    const t0 = new Date("2026-03-01T08:00:00Z");
    const paged = pagesByToken({
      "": {
        RecoveryPoints: [
          {
            RecoveryPointArn: RP1,
            ResourceArn: DB,
            ResourceType: "RDS",
            CreationDate: t0,
            Status: "COMPLETED",
            BackupSizeInBytes: 1024,
          },
        ],
        NextToken: "page-2",
      },
      "page-2": {
        RecoveryPoints: [
          {
            RecoveryPointArn: RP2,
            ResourceArn: DB,
            ResourceType: "RDS",
            CreationDate: t0,
            Status: "PARTIAL",
          },
        ],
      },
    });
    backup.on(ListRecoveryPointsByBackupVaultCommand).callsFake(paged.fake);
    const before = new Date("2026-03-01T09:00:00Z");
    // Act
    const points = await api.listRecoveryPoints("dr-vault", {
      resourceArn: DB,
      resourceType: "RDS",
      createdBefore: before,
    });
    // Assess
    expect(points).toEqual([
      {
        arn: RP1,
        resourceArn: DB,
        resourceType: "RDS",
        createdAt: t0,
        status: "COMPLETED",
        backupSizeBytes: 1024,
      },
      { arn: RP2, resourceArn: DB, resourceType: "RDS", createdAt: t0, status: "PARTIAL" },
    ]);
    expect(paged.sent).toHaveLength(2);
    expect(paged.sent[0]).toStrictEqual({
      BackupVaultName: "dr-vault",
      MaxResults: 1000,
      NextToken: undefined,
      ByResourceArn: DB,
      ByResourceType: "RDS",
      ByCreatedBefore: before,
    });
    expect(paged.sent[1]).toMatchObject({ NextToken: "page-2", ByResourceArn: DB, MaxResults: 1000 });
  });

  it("maps a missing vault to AwsCallFailed naming the vault", async () => {
    backup.on(ListRecoveryPointsByBackupVaultCommand).rejects(
      new ResourceNotFoundException({
        message: "Backup vault not found",
        $metadata: { httpStatusCode: 400 },
      }),
    );
    await expect(api.listRecoveryPoints("nope")).rejects.toMatchObject({
      name: "AwsCallFailed",
      message:
        "backup:ListRecoveryPointsByBackupVault failed for nope: ResourceNotFoundException: Backup vault not found",
    });
  });
});

describe("backupApi.listTags", () => {
  it("merges tags from every page", async () => {
    backup
      .on(ListTagsCommand, { ResourceArn: RP1, NextToken: undefined })
      .resolves({ Tags: { app: "shop" }, NextToken: "n" })
      .on(ListTagsCommand, { ResourceArn: RP1, NextToken: "n" })
      .resolves({ Tags: { tier: "db" } });
    await expect(api.listTags(RP1)).resolves.toEqual({ app: "shop", tier: "db" });
  });
});

describe("backupApi.getRestoreMetadata", () => {
  it("returns the restore metadata", async () => {
    backup
      .on(GetRecoveryPointRestoreMetadataCommand)
      .resolves({ RestoreMetadata: { DBInstanceIdentifier: "shop-db" } });
    await expect(api.getRestoreMetadata("dr-vault", RP1)).resolves.toEqual({
      DBInstanceIdentifier: "shop-db",
    });
    expect(backup.commandCalls(GetRecoveryPointRestoreMetadataCommand)[0]?.args[0].input).toEqual({
      BackupVaultName: "dr-vault",
      RecoveryPointArn: RP1,
    });
  });
});

describe("backupApi.startRestoreJob", () => {
  const input = {
    recoveryPointArn: RP1,
    iamRoleArn: "arn:aws:iam::111122223333:role/restore",
    metadata: { DBInstanceIdentifier: "shop-db-abc123" },
    resourceType: "RDS",
    idempotencyToken: "tok-1",
  };

  it("passes the idempotency token and resource type and returns the job id", async () => {
    backup.on(StartRestoreJobCommand).resolves({ RestoreJobId: "job-1" });
    await expect(api.startRestoreJob(input)).resolves.toBe("job-1");
    expect(backup.commandCalls(StartRestoreJobCommand)[0]?.args[0].input).toEqual({
      RecoveryPointArn: RP1,
      IamRoleArn: input.iamRoleArn,
      Metadata: input.metadata,
      ResourceType: "RDS",
      IdempotencyToken: "tok-1",
    });
  });

  it("maps a validation error to AwsCallFailed with the recovery point in the message", async () => {
    backup
      .on(StartRestoreJobCommand)
      .rejects(
        new InvalidParameterValueException({ message: "bad metadata", $metadata: { httpStatusCode: 400 } }),
      );
    await expect(api.startRestoreJob(input)).rejects.toMatchObject({
      name: "AwsCallFailed",
      message: `backup:StartRestoreJob failed for ${RP1}: InvalidParameterValueException: bad metadata`,
    });
  });

  it("maps throttling to AwsTransient", async () => {
    backup.on(StartRestoreJobCommand).rejects(awsError("ThrottlingException", "Rate exceeded"));
    await expect(api.startRestoreJob(input)).rejects.toMatchObject({ name: "AwsTransient" });
  });
});

describe("backupApi.describeRestoreJob", () => {
  it("maps the job", async () => {
    const created = new Date("2026-03-01T09:01:00Z");
    const done = new Date("2026-03-01T09:21:00Z");
    backup.on(DescribeRestoreJobCommand, { RestoreJobId: "job-1" }).resolves({
      RestoreJobId: "job-1",
      RecoveryPointArn: RP1,
      Status: "COMPLETED",
      StatusMessage: "ok",
      CreationDate: created,
      CompletionDate: done,
      CreatedResourceArn: "arn:aws:rds:us-west-2:111122223333:db:shop-db-abc123",
      PercentDone: "100.00%",
      ExpectedCompletionTimeMinutes: 0,
    });
    await expect(api.describeRestoreJob("job-1")).resolves.toEqual({
      restoreJobId: "job-1",
      recoveryPointArn: RP1,
      status: "COMPLETED",
      statusMessage: "ok",
      createdAt: created,
      completedAt: done,
      createdResourceArn: "arn:aws:rds:us-west-2:111122223333:db:shop-db-abc123",
      percentDone: 100,
      expectedCompletionTimeMinutes: 0,
    });
  });

  it("returns undefined for an unknown job", async () => {
    backup
      .on(DescribeRestoreJobCommand)
      .rejects(new ResourceNotFoundException({ message: "no such job", $metadata: { httpStatusCode: 400 } }));
    await expect(api.describeRestoreJob("job-x")).resolves.toBeUndefined();
  });
});

describe("backupApi.listRestoreJobs", () => {
  it("filters by creation time and follows every page", async () => {
    const after = new Date("2026-03-01T09:00:00Z");
    const paged = pagesByToken({
      "": {
        RestoreJobs: [{ RestoreJobId: "a", RecoveryPointArn: RP1, Status: "RUNNING", CreationDate: after }],
        NextToken: "2",
      },
      "2": {
        RestoreJobs: [
          {
            RestoreJobId: "b",
            RecoveryPointArn: RP2,
            Status: "FAILED",
            StatusMessage: "boom",
            CreationDate: after,
          },
        ],
      },
    });
    backup.on(ListRestoreJobsCommand).callsFake(paged.fake);
    const jobs = await api.listRestoreJobs({ createdAfter: after });
    expect(jobs.map((j) => [j.restoreJobId, j.status, j.statusMessage])).toEqual([
      ["a", "RUNNING", undefined],
      ["b", "FAILED", "boom"],
    ]);
    expect(paged.sent[0]).toStrictEqual({ ByCreatedAfter: after, MaxResults: 1000, NextToken: undefined });
    expect(paged.sent[1]).toStrictEqual({ ByCreatedAfter: after, MaxResults: 1000, NextToken: "2" });
  });

  it("stops when the service repeats a token", async () => {
    const after = new Date("2026-03-01T09:00:00Z");
    const paged = pagesByToken({
      "": { RestoreJobs: [{ RestoreJobId: "a", Status: "RUNNING" }], NextToken: "same" },
      same: { RestoreJobs: [{ RestoreJobId: "b", Status: "RUNNING" }], NextToken: "same" },
    });
    backup.on(ListRestoreJobsCommand).callsFake(paged.fake);
    const jobs = await api.listRestoreJobs({ createdAfter: after });
    expect(jobs.map((j) => j.restoreJobId)).toEqual(["a", "b"]);
    expect(paged.sent).toHaveLength(2);
  });

  it("maps a throttled page to AwsTransient naming the operation", async () => {
    backup
      .on(ListRestoreJobsCommand)
      .rejects(awsError("ThrottlingException", "Rate exceeded", 400, { $retryable: { throttling: true } }));
    await expect(api.listRestoreJobs({ createdAfter: new Date(0) })).rejects.toMatchObject({
      name: "AwsTransient",
      message: expect.stringContaining("ListRestoreJobs"),
    });
  });
});
