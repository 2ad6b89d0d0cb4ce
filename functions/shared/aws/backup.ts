import {
  BackupClient,
  DescribeRestoreJobCommand,
  type DescribeRestoreJobCommandOutput,
  GetRecoveryPointRestoreMetadataCommand,
  paginateListRecoveryPointsByBackupVault,
  paginateListRestoreJobs,
  paginateListTags,
  type RestoreJobsListMember,
  StartRestoreJobCommand,
} from "@aws-sdk/client-backup";
import { clientConfig, memoClient } from "./clients.js";
import { callAws, callAwsOptional } from "./errors.js";
import { collectPages } from "./util.js";

export interface RecoveryPoint {
  arn: string;
  /** ARN of the protected (source) resource in the primary region. */
  resourceArn: string;
  /** AWS Backup resource type: RDS, Aurora, EBS, EC2, EFS, DynamoDB. */
  resourceType: string;
  createdAt: Date;
  status: "COMPLETED" | "PARTIAL" | "DELETING" | "EXPIRED" | "AVAILABLE" | "STOPPED" | "CREATING";
  backupSizeBytes?: number;
}

export interface RestoreJob {
  restoreJobId: string;
  recoveryPointArn: string;
  status: "PENDING" | "RUNNING" | "COMPLETED" | "ABORTED" | "FAILED";
  statusMessage?: string;
  createdAt: Date;
  completedAt?: Date;
  createdResourceArn?: string;
  percentDone?: number;
  expectedCompletionTimeMinutes?: number;
}

export interface StartRestoreInput {
  recoveryPointArn: string;
  iamRoleArn: string;
  metadata: Record<string, string>;
  resourceType: string;
  idempotencyToken: string;
}

/** The AWS Backup operations drctl uses. Pagination happens inside. */
export interface BackupApi {
  /** ListRecoveryPointsByBackupVault, all pages; optional filters map to the API's By* filters. */
  listRecoveryPoints(
    vault: string,
    filter?: { resourceArn?: string; resourceType?: string; createdBefore?: Date; createdAfter?: Date },
  ): Promise<RecoveryPoint[]>;
  /**
   * ListTags on an AWS Backup ARN (a vault, or a recovery point of a type AWS Backup fully manages:
   * `arn:aws:backup:…`); other recovery points' tags are read from their own service (copy-tags.ts).
   */
  listTags(arn: string): Promise<Record<string, string>>;
  /** GetRecoveryPointRestoreMetadata. */
  getRestoreMetadata(vault: string, recoveryPointArn: string): Promise<Record<string, string>>;
  /** StartRestoreJob; returns the job id. The same idempotency token returns the same job. */
  startRestoreJob(input: StartRestoreInput): Promise<string>;
  /** DescribeRestoreJob; undefined when the job does not exist. */
  describeRestoreJob(restoreJobId: string): Promise<RestoreJob | undefined>;
  /** ListRestoreJobs created after a time, all pages (one call per tick covers every job). */
  listRestoreJobs(filter: { createdAfter: Date }): Promise<RestoreJob[]>;
}

const SERVICE = "backup";

export function backupApi(client: BackupClient): BackupApi {
  return {
    listRecoveryPoints: (vault, filter = {}) =>
      collectPages(
        paginateListRecoveryPointsByBackupVault(
          { client, pageSize: 1000, stopOnSameToken: true },
          {
            BackupVaultName: vault,
            ...(filter.resourceArn !== undefined && { ByResourceArn: filter.resourceArn }),
            ...(filter.resourceType !== undefined && { ByResourceType: filter.resourceType }),
            ...(filter.createdBefore !== undefined && { ByCreatedBefore: filter.createdBefore }),
            ...(filter.createdAfter !== undefined && { ByCreatedAfter: filter.createdAfter }),
          },
        ),
        [SERVICE, "ListRecoveryPointsByBackupVault", filter.resourceArn ?? vault],
        (out) =>
          (out.RecoveryPoints ?? []).flatMap((rp): RecoveryPoint[] => {
            if (!rp.RecoveryPointArn) return [];
            const point: RecoveryPoint = {
              arn: rp.RecoveryPointArn,
              resourceArn: rp.ResourceArn ?? "",
              resourceType: rp.ResourceType ?? "",
              createdAt: toDate(rp.CreationDate),
              status: (rp.Status ?? "CREATING") as RecoveryPoint["status"],
            };
            if (rp.BackupSizeInBytes !== undefined) point.backupSizeBytes = rp.BackupSizeInBytes;
            return [point];
          }),
      ),

    listTags: async (arn) => {
      const pages = await collectPages(
        paginateListTags({ client, stopOnSameToken: true }, { ResourceArn: arn }),
        [SERVICE, "ListTags", arn],
        (out) => [out.Tags ?? {}],
      );
      return Object.assign({}, ...pages) as Record<string, string>;
    },

    getRestoreMetadata: (vault, recoveryPointArn) =>
      callAws(SERVICE, "GetRecoveryPointRestoreMetadata", recoveryPointArn, async () => {
        const out = await client.send(
          new GetRecoveryPointRestoreMetadataCommand({
            BackupVaultName: vault,
            RecoveryPointArn: recoveryPointArn,
          }),
        );
        return { ...(out.RestoreMetadata ?? {}) };
      }),

    startRestoreJob: (input) =>
      callAws(SERVICE, "StartRestoreJob", input.recoveryPointArn, async () => {
        const out = await client.send(
          new StartRestoreJobCommand({
            RecoveryPointArn: input.recoveryPointArn,
            IamRoleArn: input.iamRoleArn,
            Metadata: input.metadata,
            ResourceType: input.resourceType,
            IdempotencyToken: input.idempotencyToken,
          }),
        );
        if (!out.RestoreJobId) throw new Error("StartRestoreJob returned no RestoreJobId");
        return out.RestoreJobId;
      }),

    describeRestoreJob: (restoreJobId) =>
      callAwsOptional(SERVICE, "DescribeRestoreJob", restoreJobId, ["ResourceNotFoundException"], async () =>
        toRestoreJob(await client.send(new DescribeRestoreJobCommand({ RestoreJobId: restoreJobId }))),
      ),

    listRestoreJobs: (filter) =>
      collectPages(
        paginateListRestoreJobs(
          { client, pageSize: 1000, stopOnSameToken: true },
          { ByCreatedAfter: filter.createdAfter },
        ),
        [SERVICE, "ListRestoreJobs", `jobs created after ${filter.createdAfter.toISOString()}`],
        (out) => (out.RestoreJobs ?? []).map(toRestoreJob),
      ),
  };
}

function toDate(value: Date | string | undefined): Date {
  if (value instanceof Date) return value;
  return value === undefined ? new Date(0) : new Date(value);
}

function toRestoreJob(job: RestoreJobsListMember | DescribeRestoreJobCommandOutput): RestoreJob {
  const out: RestoreJob = {
    restoreJobId: job.RestoreJobId ?? "",
    recoveryPointArn: job.RecoveryPointArn ?? "",
    status: (job.Status ?? "PENDING") as RestoreJob["status"],
    createdAt: toDate(job.CreationDate),
  };
  if (job.StatusMessage) out.statusMessage = job.StatusMessage;
  if (job.CompletionDate) out.completedAt = toDate(job.CompletionDate);
  if (job.CreatedResourceArn) out.createdResourceArn = job.CreatedResourceArn;
  if (job.PercentDone !== undefined && job.PercentDone !== "") {
    const pct = Number.parseFloat(job.PercentDone);
    if (Number.isFinite(pct)) out.percentDone = pct;
  }
  if (job.ExpectedCompletionTimeMinutes !== undefined) {
    out.expectedCompletionTimeMinutes = job.ExpectedCompletionTimeMinutes;
  }
  return out;
}

/** The wrapper for this container and region (one client per service and region). */
export const backupFor = (region: string): BackupApi =>
  memoClient(`backup:${region}`, () => backupApi(new BackupClient(clientConfig("BACKUP", region))));
