/**
 * AWS Backup's API over the vault (backup/recovery-points.ts) and restore jobs, PENDING → RUNNING →
 * COMPLETED/FAILED/ABORTED on the virtual clock (started: backup/start-restore.ts; created
 * resources: backup/materialize.ts).
 */
import type { DescribeRestoreJobOutput, RestoreJobsListMember } from "@aws-sdk/client-backup";
import { BACKUP_RESOURCE_TYPE } from "../../../../functions/shared/naming.js";
import { optDate, optNumber, optString, requireString } from "../errors.js";
import { type Backup, serviceHandlers } from "../handlers.js";
import type { RestoreJob, WorldCore } from "../model.js";
import { hashHex, primaryRecoveryPointArn } from "../naming.js";
import { paginate } from "../paging.js";
import { restoreProgressFields, restoreStatus } from "../restore-progress.js";
import {
  fullyManaged,
  invalidValue,
  notFound,
  PRIMARY_VAULT,
  pointOf,
  rpOut,
  vaultArn,
  vaultOf,
} from "./backup/recovery-points.js";
import { restoreMetadata } from "./backup/source-metadata.js";
import { startRestoreHandlers } from "./backup/start-restore.js";

export { seedVault } from "./backup/recovery-points.js";

const badToken = () => invalidValue("The next token is invalid");

function jobOut(w: WorldCore, j: RestoreJob, now: number): RestoreJobsListMember & DescribeRestoreJobOutput {
  const status = restoreStatus(j, now);
  const rp = w.recovery.recoveryPoints.find((r) => r.arn === j.recoveryPointArn);
  const message =
    status === "FAILED"
      ? (j.fateMessage ?? "Restore job failed")
      : status === "ABORTED"
        ? (j.fateMessage ?? "Restore job was aborted")
        : undefined;
  return {
    AccountId: w.account,
    RestoreJobId: j.id,
    RecoveryPointArn: j.recoveryPointArn,
    ...(rp ? { RecoveryPointCreationDate: new Date(rp.createdAt), SourceResourceArn: rp.resourceArn } : {}),
    CreationDate: new Date(j.createdAt),
    ...(now >= j.endsAt ? { CompletionDate: new Date(j.endsAt) } : {}),
    Status: status,
    ...(message !== undefined ? { StatusMessage: message } : {}),
    ...restoreProgressFields(j, now),
    IamRoleArn: j.roleArn,
    ...(status === "COMPLETED" && j.createdResourceArn ? { CreatedResourceArn: j.createdResourceArn } : {}),
    ResourceType: j.resourceType,
  };
}

function maxResults(input: { MaxResults?: number | undefined }): number | undefined {
  const m = optNumber(input, "MaxResults");
  if (m !== undefined && (m < 1 || m > 1000))
    throw invalidValue(`MaxResults must be between 1 and 1000, got ${m}`);
  return m;
}

export const backupHandlers = serviceHandlers<Backup>()({
  ...startRestoreHandlers,

  ListBackupVaults({ world, region }) {
    return {
      BackupVaultList: [...region.vaults.values()].map((v) => ({
        BackupVaultName: v.name,
        BackupVaultArn: v.arn,
        CreationDate: new Date(v.createdAt),
        NumberOfRecoveryPoints: region.recoveryPoints.filter((rp) => rp.vault === v.name).length,
        Locked: false,
        VaultType: "BACKUP_VAULT",
        VaultState: "AVAILABLE",
        EncryptionKeyArn: `arn:aws:kms:${region.name}:${world.account}:alias/aws/backup`,
      })),
    };
  },

  ListRecoveryPointsByBackupVault({ world, region, input, now }) {
    const vault = requireString("backup", input, "BackupVaultName");
    vaultOf(world, region, vault);
    const byArn = optString(input, "ByResourceArn");
    const byType = optString(input, "ByResourceType");
    const before = optDate(input, "ByCreatedBefore");
    const after = optDate(input, "ByCreatedAfter");
    const list = region.recoveryPoints.filter(
      (rp) =>
        rp.vault === vault &&
        (byArn === undefined || rp.resourceArn === byArn) &&
        (byType === undefined || BACKUP_RESOURCE_TYPE[rp.resource.type] === byType) &&
        (before === undefined || rp.createdAt < before) &&
        (after === undefined || rp.createdAt > after),
    );
    const page = paginate(
      list,
      {
        max: maxResults(input),
        token: optString(input, "NextToken"),
        defaultMax: 1000,
        scope: `backup:rp:${vault}`,
      },
      badToken,
    );
    return {
      RecoveryPoints: page.items.map((rp) => rpOut(world, region, rp, now)),
      ...(page.next ? { NextToken: page.next } : {}),
    };
  },

  DescribeRecoveryPoint({ world, region, input, now }) {
    const vault = requireString("backup", input, "BackupVaultName");
    vaultOf(world, region, vault);
    const rp = pointOf(region, vault, requireString("backup", input, "RecoveryPointArn"));
    return rpOut(world, region, rp, now);
  },

  GetRecoveryPointRestoreMetadata({ world, region, input }) {
    const vault = requireString("backup", input, "BackupVaultName");
    vaultOf(world, region, vault);
    const rp = pointOf(region, vault, requireString("backup", input, "RecoveryPointArn"));
    return {
      BackupVaultArn: vaultArn(world, region.name, vault),
      RecoveryPointArn: rp.arn,
      RestoreMetadata: restoreMetadata(world, rp),
      ResourceType: BACKUP_RESOURCE_TYPE[rp.resource.type],
    };
  },

  DescribeRestoreJob({ world, region, input, now }) {
    const id = requireString("backup", input, "RestoreJobId");
    const j = region.restoreJobs.get(id);
    if (!j) throw notFound(`Restore job ${id} not found`);
    return jobOut(world, j, now);
  },

  ListRestoreJobs({ world, region, input, now }) {
    const after = optDate(input, "ByCreatedAfter");
    const before = optDate(input, "ByCreatedBefore");
    const completeAfter = optDate(input, "ByCompleteAfter");
    const completeBefore = optDate(input, "ByCompleteBefore");
    const status = optString(input, "ByStatus");
    const type = optString(input, "ByResourceType");
    const account = optString(input, "ByAccountId");
    const list = [...region.restoreJobs.values()]
      .filter((j) => {
        const done = now >= j.endsAt;
        return (
          (after === undefined || j.createdAt > after) &&
          (before === undefined || j.createdAt < before) &&
          (completeAfter === undefined || (done && j.endsAt > completeAfter)) &&
          (completeBefore === undefined || (done && j.endsAt < completeBefore)) &&
          (status === undefined || restoreStatus(j, now) === status) &&
          (type === undefined || j.resourceType === type) &&
          (account === undefined || account === world.account)
        );
      })
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1));
    const page = paginate(
      list,
      {
        max: maxResults(input),
        token: optString(input, "NextToken"),
        defaultMax: 1000,
        scope: "backup:restore-jobs",
      },
      badToken,
    );
    return {
      RestoreJobs: page.items.map((j) => jobOut(world, j, now)),
      ...(page.next ? { NextToken: page.next } : {}),
    };
  },

  ListBackupJobs({ world, region, input }) {
    // Backup jobs ran in the primary region; the recovery region only holds their copies.
    if (region !== world.primary) return { BackupJobs: [] };
    const byArn = optString(input, "ByResourceArn");
    const byType = optString(input, "ByResourceType");
    const state = optString(input, "ByState");
    const after = optDate(input, "ByCreatedAfter");
    const before = optDate(input, "ByCreatedBefore");
    const list = world.recovery.recoveryPoints.filter(
      (rp) =>
        (byArn === undefined || rp.resourceArn === byArn) &&
        (byType === undefined || BACKUP_RESOURCE_TYPE[rp.resource.type] === byType) &&
        (state === undefined || state === "COMPLETED") &&
        (after === undefined || rp.createdAt > after) &&
        (before === undefined || rp.createdAt < before),
    );
    const page = paginate(
      list,
      {
        max: maxResults(input),
        token: optString(input, "NextToken"),
        defaultMax: 1000,
        scope: "backup:backup-jobs",
      },
      badToken,
    );
    return {
      BackupJobs: page.items.map((rp) => ({
        AccountId: world.account,
        BackupJobId: hashHex(rp.arn, "job").slice(0, 32).toUpperCase(),
        BackupVaultName: PRIMARY_VAULT,
        BackupVaultArn: vaultArn(world, region.name, PRIMARY_VAULT),
        RecoveryPointArn: primaryRecoveryPointArn(world.scenario, rp.resource, rp.arn),
        ResourceArn: rp.resourceArn,
        ResourceType: BACKUP_RESOURCE_TYPE[rp.resource.type],
        CreationDate: new Date(rp.createdAt),
        // The backup job ended when its copy job started.
        CompletionDate: new Date(rp.listedAt),
        State: "COMPLETED",
        PercentDone: "100.0",
        BackupSizeInBytes: rp.sizeBytes,
      })),
      ...(page.next ? { NextToken: page.next } : {}),
    };
  },

  ListTags({ world, region, input }) {
    const arn = requireString("backup", input, "ResourceArn");
    // "include only values representing resource types that are fully managed by Backup. These
    // have an ARN that begins arn:aws:backup" (ListTags API reference).
    if (!fullyManaged(arn)) {
      throw invalidValue(
        `Unsupported resource type: ${arn} (ListTags covers only resources fully managed by AWS Backup, arn:aws:backup:…)`,
      );
    }
    const rp = region.recoveryPoints.find((r) => r.arn === arn);
    if (rp) return { Tags: { ...rp.tags } };
    if ([...region.vaults.values()].some((v) => v.arn === arn)) return { Tags: {} };
    throw notFound(`Resource ${arn} not found (account ${world.account})`);
  },
});
