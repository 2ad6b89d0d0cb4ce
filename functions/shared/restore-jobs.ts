/**
 * Restore jobs of a run: starting one attempt of a planned restore, reading all of the run's jobs
 * at once, and the small progress summary the state carries (the job list itself is the jobs
 * document in S3).
 */
import type { BackupApi, RestoreJob } from "./aws/backup.js";
import { mapLimit } from "./collections.js";
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
  jobsVersion: string | undefined,
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
    ...(jobsVersion === undefined ? {} : { jobsVersion }),
  };
}

/** ListRestoreJobs looks back this far before the run's start (clock skew, early starts). */
const LOOKBACK_MS = 5 * 60_000;

/**
 * The run's restore jobs by id: one paged ListRestoreJobs (ByCreatedAfter the run's start, 1,000
 * per page) for all of them, DescribeRestoreJob only for ids the list misses (missing: undefined).
 */
export async function restoreJobsById(
  backup: BackupApi,
  runStartedAt: string,
  ids: string[],
): Promise<Map<string, RestoreJob | undefined>> {
  const out = new Map<string, RestoreJob | undefined>();
  if (ids.length === 0) return out;
  const listed = await backup.listRestoreJobs({
    createdAfter: new Date(Date.parse(runStartedAt) - LOOKBACK_MS),
  });
  const byId = new Map(listed.map((j) => [j.restoreJobId, j]));
  await mapLimit(ids, 8, async (id) => {
    out.set(id, byId.get(id) ?? (await backup.describeRestoreJob(id)));
  });
  return out;
}
