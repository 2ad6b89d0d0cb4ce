/**
 * What AWS Backup shows of a running restore job (DescribeRestoreJob, ListRestoreJobs): its status
 * on the virtual clock, and the progress fields PercentDone, ExpectedCompletionTimeMinutes and
 * BackupSizeInBytes. The API reference marks all three optional and gives no per-type rules; what
 * public outputs show is a RUNNING job at "0.00%" with no ExpectedCompletionTimeMinutes and size
 * fields that read 0 or are missing (sources in docs/fidelity.md, "AWS Backup: restore jobs").
 *
 * A scenario resource picks a model with `restoreProgress` / `restoreSize`; without them the
 * type's default below applies (the conservative reading where nothing per type was found).
 */
import { z } from "zod";
import type { ResourceType } from "../../../functions/shared/config.js";
import type { RestoreJob } from "./model.js";

/**
 * linear: PercentDone grows with RUNNING time and ExpectedCompletionTimeMinutes is given (the best
 *   case; no public output shows it for these types);
 * stuck: "0.00%" while PENDING/RUNNING, "100.00%" once COMPLETED, no ExpectedCompletionTimeMinutes;
 * absent: neither field, at any time.
 */
export const RESTORE_PROGRESS_MODELS = ["linear", "stuck", "absent"] as const;
export type RestoreProgressModel = (typeof RESTORE_PROGRESS_MODELS)[number];
/** reported: the recovery point's size; zero: 0; absent: no BackupSizeInBytes. */
export const RESTORE_SIZE_MODELS = ["reported", "zero", "absent"] as const;
export type RestoreSizeModel = (typeof RESTORE_SIZE_MODELS)[number];

export const RESTORE_PROGRESS_DEFAULTS: Record<
  ResourceType,
  { progress: RestoreProgressModel; size: RestoreSizeModel }
> = {
  rds: { progress: "stuck", size: "zero" },
  aurora: { progress: "stuck", size: "absent" },
  ebs: { progress: "absent", size: "zero" },
  ec2: { progress: "stuck", size: "reported" },
  efs: { progress: "stuck", size: "zero" },
  dynamodb: { progress: "stuck", size: "zero" },
};

const defaultsText = (pick: "progress" | "size") =>
  Object.entries(RESTORE_PROGRESS_DEFAULTS)
    .map(([type, d]) => `${type} ${d[pick]}`)
    .join(", ");

/** Scenario fields (scripts/sandbox/scenario.ts, ScenarioResource). */
export const restoreProgressField = z
  .enum(RESTORE_PROGRESS_MODELS)
  .optional()
  .describe(
    `what DescribeRestoreJob/ListRestoreJobs show of a running restore: linear (PercentDone grows, ExpectedCompletionTimeMinutes given) | stuck (0.00% until 100.00% at COMPLETED) | absent (neither field); default per type: ${defaultsText("progress")}`,
  );
export const restoreSizeField = z
  .enum(RESTORE_SIZE_MODELS)
  .optional()
  .describe(
    `BackupSizeInBytes of the restore job: reported (the recovery point's size) | zero | absent; default per type: ${defaultsText("size")}`,
  );

export function restoreStatus(j: RestoreJob, now: number): RestoreJob["fate"] | "PENDING" | "RUNNING" {
  if (now >= j.endsAt) return j.fate;
  return now >= j.runningAt ? "RUNNING" : "PENDING";
}

function linearPercent(j: RestoreJob, now: number): string {
  const status = restoreStatus(j, now);
  if (status === "COMPLETED") return "100.00%";
  if (status === "PENDING") return "0.00%";
  const runMs = j.fate === "COMPLETED" ? j.endsAt - j.runningAt : (j.endsAt - j.runningAt) * 2;
  const at = Math.min(now, j.endsAt);
  const p = runMs <= 0 ? 0 : Math.min(99, ((at - j.runningAt) / runMs) * 100);
  return `${p.toFixed(2)}%`;
}

/** PercentDone, ExpectedCompletionTimeMinutes and BackupSizeInBytes as the job's model shows them now. */
export function restoreProgressFields(
  j: RestoreJob,
  now: number,
): { PercentDone?: string; ExpectedCompletionTimeMinutes?: number; BackupSizeInBytes?: number } {
  const defaults = RESTORE_PROGRESS_DEFAULTS[j.resource.type];
  const progress = j.resource.restoreProgress ?? defaults.progress;
  const size = j.resource.restoreSize ?? defaults.size;
  const out: ReturnType<typeof restoreProgressFields> = {};
  if (progress === "linear") {
    out.PercentDone = linearPercent(j, now);
    out.ExpectedCompletionTimeMinutes = j.expectedMinutes;
  } else if (progress === "stuck") {
    out.PercentDone = restoreStatus(j, now) === "COMPLETED" ? "100.00%" : "0.00%";
  }
  if (size === "reported") out.BackupSizeInBytes = j.sizeBytes;
  else if (size === "zero") out.BackupSizeInBytes = 0;
  return out;
}
