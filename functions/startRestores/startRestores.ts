/**
 * StartRestores: one StartRestoreJob per planned restore (attempt 1), a bounded number at a time.
 * The jobs document is written after every batch, so a failure part-way still leaves a record of
 * what was started (cleanup finds those jobs); a retried invocation reuses the recorded jobs and
 * the idempotency tokens make re-sent starts return the same job.
 */
import * as z from "zod";
import type { ArtifactStore } from "../shared/artifacts.js";
import { runKeys } from "../shared/artifacts.js";
import type { BackupApi } from "../shared/aws/backup.js";
import { logger } from "../shared/logger.js";
import { restoreProgress, startRestoreAttempt } from "../shared/restore-jobs.js";
import { saveJobs } from "../shared/run-documents.js";
import {
  JobsDocument,
  PlanDocument,
  PlanSummary,
  type RestoreJobRecord,
  type RestoreProgress,
  RunContext,
} from "../shared/types.js";
import { adaptiveWait } from "../shared/waits.js";

export const StartRestoresEvent = z.object({ run: RunContext, plan: PlanSummary });
export type StartRestoresEvent = z.infer<typeof StartRestoresEvent>;

export interface StartRestoresDeps {
  /** AWS Backup in the recovery region. */
  backup: BackupApi;
  store: ArtifactStore;
  /** IAM role AWS Backup assumes for the restores (RESTORE_ROLE_ARN). */
  roleArn: string;
  now: () => Date;
  /** StartRestoreJob calls in flight at once (START_CONCURRENCY on AWS). */
  concurrency: number;
}

export const START_CONCURRENCY = 10;
/** Started jobs between two writes of the jobs document. */
const SAVE_EVERY = 50;

export async function startRestores(
  event: StartRestoresEvent,
  deps: StartRestoresDeps,
): Promise<RestoreProgress> {
  const { run, plan } = event;
  const { restores } = await deps.store.getJson(plan.planKey, PlanDocument);
  const jobsKey = runKeys(run.artifactsPrefix).jobs;
  const jobs: RestoreJobRecord[] = (await deps.store.findJson(jobsKey, JobsDocument))?.jobs ?? [];
  const recorded = new Set(jobs.map((j) => j.name));
  const pending = restores.filter((r) => !recorded.has(r.name));
  const order = new Map(restores.map((r, i) => [r.name, i]));
  // Merged with the stored document: a late write of an earlier, timed-out invocation never undoes progress.
  const write = () =>
    saveJobs(deps.store, jobsKey, {
      run: run.name,
      jobs: [...jobs].sort((a, b) => (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0)),
    });

  const size = Math.max(1, deps.concurrency);
  let saved = jobs.length;
  for (let i = 0; i < pending.length; i += size) {
    const batch = pending.slice(i, i + size);
    const now = deps.now();
    const settled = await Promise.allSettled(
      batch.map((r) => startRestoreAttempt(deps.backup, run, r, 1, deps.roleArn, now)),
    );
    const failed = settled.filter((s) => s.status === "rejected");
    for (const s of settled) if (s.status === "fulfilled") jobs.push(s.value);
    // Recorded every SAVE_EVERY jobs, at the end and on a failure: a rerun after a timeout starts
    // what is not recorded again with the same IdempotencyToken, which returns the same job.
    if (failed.length > 0 || jobs.length - saved >= SAVE_EVERY || i + size >= pending.length) {
      await write();
      saved = jobs.length;
    }
    if (failed.length > 0) {
      logger.error("restore jobs not started", { failed: failed.length, started: jobs.length });
      throw failed[0]?.reason;
    }
  }
  if (pending.length === 0 && jobs.length === 0) await write();
  logger.info("restore jobs started", { total: restores.length, reused: restores.length - pending.length });
  return restoreProgress(
    jobsKey,
    restores.length,
    jobs,
    adaptiveWait([]),
    0,
    deps.store.seenVersion(jobsKey),
  );
}
