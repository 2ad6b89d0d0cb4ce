/**
 * Restore jobs of a run: starting one attempt of a planned restore, and the small progress
 * summary the state carries (the job list itself is the jobs document in S3).
 */
import type { BackupApi } from "./aws/backup.js";
import { BACKUP_RESOURCE_TYPE, restoreIdempotencyToken, tokenScope } from "./naming.js";
import type { PlannedRestore, RestoreJobRecord, RestoreProgress, RunContext } from "./types.js";

/** StartRestoreJob for one attempt of a planned restore; returns the new job's record. */
export async function startRestoreAttempt(
  backup: BackupApi,
  run: Pick<RunContext, "executionArn" | "redrive">,
  restore: PlannedRestore,
  attempt: number,
  roleArn: string,
  now: Date,
): Promise<RestoreJobRecord> {
  const restoreJobId = await backup.startRestoreJob({
    recoveryPointArn: restore.recoveryPointArn,
    iamRoleArn: roleArn,
    metadata: restore.metadata,
    resourceType: BACKUP_RESOURCE_TYPE[restore.type],
    idempotencyToken: restoreIdempotencyToken(tokenScope(run), restore.name, attempt),
  });
  return {
    name: restore.name,
    type: restore.type,
    recoveryPointArn: restore.recoveryPointArn,
    restoreJobId,
    attempt,
    status: "PENDING",
    startedAt: now.toISOString(),
    previousJobIds: [],
  };
}

/** The state's summary of the jobs document. */
export function restoreProgress(
  jobsKey: string,
  total: number,
  jobs: readonly RestoreJobRecord[],
  waitSeconds: number,
  ticks: number,
): RestoreProgress {
  const count = (...statuses: RestoreJobRecord["status"][]) =>
    jobs.filter((j) => statuses.includes(j.status)).length;
  const completed = count("COMPLETED");
  return {
    jobsKey,
    total,
    completed,
    running: count("PENDING", "RUNNING"),
    failed: count("FAILED", "ABORTED"),
    allTerminal: completed === total && jobs.length === total,
    waitSeconds: Math.max(1, Math.round(waitSeconds)),
    ticks,
  };
}
