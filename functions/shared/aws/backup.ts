import type { BackupClient } from "@aws-sdk/client-backup";

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
  /** ListTags on a recovery point (AWS Backup copies the source resource's tags to it). */
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

export function backupApi(_client: BackupClient): BackupApi {
  throw new Error("backupApi: not implemented yet");
}
