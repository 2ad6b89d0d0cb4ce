/**
 * PollRestores: one ListRestoreJobs per tick for every job of the run (DescribeRestoreJob only
 * for ids the list misses), the jobs document updated (with the jobs' own CreationDate and
 * CompletionDate, and when a terminal status was first seen), FAILED/ABORTED jobs restarted until
 * config.maxRestoreAttempts, and the next wait bounded by the youngest running job's age
 * (restorePollWait): AWS's progress fields can only shorten it.
 */
import * as z from "zod";
import { runKeys } from "../shared/artifacts.js";
import type { RestoreJob } from "../shared/aws/backup.js";
import { mapLimit } from "../shared/collections.js";
import type { AppConfig } from "../shared/config.js";
import { RestoreFailed } from "../shared/errors.js";
import { logger } from "../shared/logger.js";
import { restoreJobsById, restoreProgress, startRestoreAttempt } from "../shared/restore-jobs.js";
import { saveJobs } from "../shared/run-documents.js";
import {
  JobsDocument,
  PlanDocument,
  type RestoreJobRecord,
  RestoreProgress,
  RunContext,
} from "../shared/types.js";
import { expectedRemainingSeconds, RESTORE_POLL, restorePollWait } from "../shared/waits.js";
import type { StartRestoresDeps } from "../startRestores/startRestores.js";
import { Alongside, withIntegrationDue } from "./alongside.js";

export const PollRestoresEvent = z.object({
  run: RunContext,
  restores: RestoreProgress,
  /** Absent: no integration alongside (nothing is due for it). */
  alongside: Alongside.optional(),
});
export type PollRestoresEvent = z.infer<typeof PollRestoresEvent>;

/** What StartRestores gets (failed jobs are restarted the same way), and the config's maxRestoreAttempts. */
export interface PollRestoresDeps extends Omit<StartRestoresDeps, "concurrency"> {
  config: AppConfig;
}

/** A restore running longer than this is given up. */
export const MAX_RESTORE_SECONDS = 12 * 3600;

const TERMINAL: readonly RestoreJobRecord["status"][] = ["COMPLETED", "FAILED", "ABORTED"];

function observe(rec: RestoreJobRecord, job: RestoreJob, now: Date): RestoreJobRecord {
  const next: RestoreJobRecord = { ...rec, status: job.status };
  if (job.statusMessage) next.statusMessage = job.statusMessage;
  if (job.createdAt.getTime() > 0) next.createdAt = job.createdAt.toISOString();
  if (job.completedAt) next.completedAt = job.completedAt.toISOString();
  if (TERMINAL.includes(job.status) && !TERMINAL.includes(rec.status)) next.noticedAt = now.toISOString();
  if (job.createdResourceArn) next.createdResourceArn = job.createdResourceArn;
  return next;
}

export async function pollRestores(
  event: PollRestoresEvent,
  deps: PollRestoresDeps,
): Promise<RestoreProgress> {
  const { run, restores: progress } = event;
  const { config } = deps;
  const now = deps.now();
  const pollAt = progress.pollAt === undefined ? 0 : Date.parse(progress.pollAt);
  if (event.alongside && now.getTime() < pollAt) {
    // Woken early for the integration's look: the restores are not due for a poll yet.
    const waitSeconds = Math.max(1, Math.ceil((pollAt - now.getTime()) / 1000));
    return withIntegrationDue({ ...progress, waitSeconds }, event.alongside, now);
  }
  // The version the last tick left (its own write is not read back by a warm container).
  const doc = await deps.store.getJsonAt(progress.jobsKey, JobsDocument, progress.jobsVersion);
  const open = doc.jobs.filter((rec) => rec.status !== "COMPLETED").map((rec) => rec.restoreJobId);
  const byId = await restoreJobsById(deps.backup, run.startedAt, open);
  let plan: Promise<PlanDocument> | undefined;
  const planned = async (name: string) => {
    plan ??= deps.store.getJson(runKeys(run.artifactsPrefix).plan, PlanDocument);
    const found = (await plan).restores.find((r) => r.name === name);
    if (!found) throw new RestoreFailed(`restore of ${name}: not in the plan, cannot restart it`);
    return found;
  };
  const failures: string[] = [];
  const waits: number[] = [];

  const jobs = await mapLimit(doc.jobs, 10, async (rec): Promise<RestoreJobRecord> => {
    if (rec.status === "COMPLETED") return rec;
    const job = byId.get(rec.restoreJobId);
    const next = job ? observe(rec, job, now) : rec;
    const where = `restore of ${rec.name} (job ${rec.restoreJobId}, attempt ${rec.attempt})`;
    if (next.status === "FAILED" || next.status === "ABORTED") {
      const why = `${next.status}: ${next.statusMessage ?? "no status message"}`;
      if (rec.attempt >= config.maxRestoreAttempts) {
        failures.push(`${where} ${why}; no attempts left (maxRestoreAttempts ${config.maxRestoreAttempts})`);
        return next;
      }
      logger.warn("restore job failed, starting it again", { name: rec.name, job: rec.restoreJobId, why });
      const again = await startRestoreAttempt(
        deps.backup,
        run,
        await planned(rec.name),
        rec.attempt + 1,
        deps.roleArn,
        now,
      );
      waits.push(RESTORE_POLL.floorSeconds);
      return {
        ...again,
        statusMessage: `attempt ${rec.attempt} ${why}`,
        previousJobIds: [...rec.previousJobIds, rec.restoreJobId],
      };
    }
    if (next.status === "COMPLETED") return next;
    const ranFor = (now.getTime() - Date.parse(rec.startedAt)) / 1000;
    if (ranFor > MAX_RESTORE_SECONDS) {
      const pct = job?.percentDone === undefined ? "" : `, ${job.percentDone}% done`;
      failures.push(`${where} still ${next.status} after ${(ranFor / 3600).toFixed(1)} h (limit 12 h${pct})`);
    }
    const createdAt = job && job.createdAt.getTime() > 0 ? job.createdAt : new Date(rec.startedAt);
    const remaining =
      job &&
      expectedRemainingSeconds({
        startedAt: createdAt,
        now,
        expectedMinutes: job.expectedCompletionTimeMinutes,
        percentDone: job.percentDone,
      });
    waits.push(restorePollWait((now.getTime() - createdAt.getTime()) / 1000, remaining));
    return next;
  });

  const updated: JobsDocument = { run: doc.run, jobs };
  if (JSON.stringify(updated) !== JSON.stringify(doc)) await saveJobs(deps.store, progress.jobsKey, updated);
  if (failures.length > 0) throw new RestoreFailed(failures.join("; "));
  const result = restoreProgress(
    progress.jobsKey,
    doc.jobs.length,
    jobs,
    waits.length > 0 ? Math.min(...waits) : RESTORE_POLL.floorSeconds,
    progress.ticks + 1,
    deps.store.seenVersion(progress.jobsKey),
  );
  result.pollAt = new Date(now.getTime() + result.waitSeconds * 1000).toISOString();
  return event.alongside ? withIntegrationDue(result, event.alongside, now) : result;
}
