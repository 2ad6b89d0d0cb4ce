/**
 * report.json: the format in docs/report-format.md, as a zod schema. writeReport builds
 * it, the local CLI adds `expect` and `wallSeconds`, and the Markdown/HTML renderers read it.
 *
 * Fields added after the first version of the contract (restore dates, detection gaps) are
 * optional, so reports written before them still parse.
 *
 * Where the contract shows a value a run may not have reached, the field is nullable:
 * `rtoSeconds` is null when traffic was never served from the recovery region (a failed run),
 * `rpoSeconds` when no restore was planned; `cleanup` only in reports written before its `status`
 * existed (now a failover's says NOT_APPLICABLE).
 */
import * as z from "zod";
import { RESOURCE_TYPES } from "../config.js";
import { MODES, RESTORE_STATUSES, TRIGGERS } from "../types.js";
import { ReportApproval } from "./approval.js";
import { CriticalPathItem } from "./critical-path.js";

export const REPORT_VERSION = 1;

/** Phases the contract knows, in order (`approve`: an automatic failover waiting for its approval). */
export const REPORT_PHASES = [
  "lock",
  "detect",
  "approve",
  "deploy",
  "plan",
  "restore",
  "integrate",
  "validate",
  "failover",
  "report",
  "cleanup",
] as const;
export type ReportPhaseName = (typeof REPORT_PHASES)[number];

/**
 * From the execution history, never from "the run reached the end": SUCCEEDED: its last task
 * outcome was a success; FAILED: a task of it ended in an error that was not retried (the run's
 * failure, or an error caught on the failure path, such as CleanupIncomplete); ABORTED: cut short
 * by a failure elsewhere (the other branch of the parallel recovery) or by the execution ending;
 * RUNNING: still running when the report was written (the report phase of an interim report).
 */
export const PHASE_STATUSES = ["SUCCEEDED", "FAILED", "ABORTED", "RUNNING"] as const;

const time = z.iso.datetime();
const seconds = z.number().min(0);

export const ReportPhase = z
  .object({
    name: z.enum(REPORT_PHASES),
    startedAt: time,
    endedAt: time,
    seconds,
    status: z.enum(PHASE_STATUSES),
  })
  .strict();
export type ReportPhase = z.infer<typeof ReportPhase>;

/** A resource's restore status; PLANNED when no restore job was started for it. */
export const RESOURCE_STATUSES = ["PLANNED", ...RESTORE_STATUSES] as const;

export const ReportResource = z
  .object({
    name: z.string(),
    type: z.enum(RESOURCE_TYPES),
    recoveryPointArn: z.string(),
    recoveryPointCreatedAt: time,
    rpoSeconds: seconds,
    restoreJobId: z.string().nullable(),
    status: z.enum(RESOURCE_STATUSES),
    /** The restore job's CompletionDate − CreationDate (AWS Backup's own dates), last attempt. */
    restoreSeconds: seconds.nullable(),
    restoredArn: z.string().nullable(),
    integratedAt: time.nullable(),
    attempts: z.number().int().min(0),
    /** The last attempt's CreationDate and CompletionDate as AWS Backup reports them. */
    restoreCreatedAt: time.nullable().optional(),
    restoreCompletedAt: time.nullable().optional(),
    /** When drctl's polling first saw the job finished, and how long after its CompletionDate. */
    noticedAt: time.nullable().optional(),
    detectionGapSeconds: seconds.nullable().optional(),
  })
  .strict();
export type ReportResource = z.infer<typeof ReportResource>;

/**
 * COMPLETE: everything the drill created is gone; INCOMPLETE: `leftovers` lists what remains, each
 * with its reason (also when cleanup did not finish); PENDING: an interim report, written before
 * cleanup ends; NOT_APPLICABLE: a failover (it keeps what it restored) or a dry run (it creates
 * nothing). Reports written before `status` existed have only the lists (or null).
 */
export const CLEANUP_STATUSES = ["COMPLETE", "INCOMPLETE", "PENDING", "NOT_APPLICABLE"] as const;

export const ReportCleanup = z
  .object({
    status: z.enum(CLEANUP_STATUSES).optional(),
    /** Why cleanup does not apply, or why it did not finish. */
    reason: z.string().nullable().optional(),
    deleted: z.array(z.string()),
    /** Each "<resource>: <reason>" (error name and message, bounded). */
    leftovers: z.array(z.string()),
  })
  .strict();
export type ReportCleanup = z.infer<typeof ReportCleanup>;

/** An earlier attempt of a redriven execution: how it ended and when RedriveExecution continued it. */
export const ReportRedrive = z
  .object({
    redriveCount: z.number().int().min(1),
    status: z.enum(["FAILED", "ABORTED", "TIMED_OUT"]),
    failedStep: z.string().nullable(),
    error: z.string().nullable(),
    endedAt: time,
    redrivenAt: time,
  })
  .strict();
export type ReportRedrive = z.infer<typeof ReportRedrive>;

export const Report = z
  .object({
    version: z.literal(REPORT_VERSION),
    execution: z
      .object({
        name: z.string(),
        mode: z.enum(MODES),
        trigger: z.enum(TRIGGERS),
        local: z.boolean(),
        startedAt: time,
        endedAt: time,
        historyEvents: z.number().int().min(0),
        stateTransitions: z.number().int().min(0),
        maxPayloadBytes: z.number().int().min(0),
      })
      .strict(),
    outcome: z.enum(["SUCCEEDED", "FAILED"]),
    failedStep: z.string().nullable(),
    error: z.object({ name: z.string(), cause: z.string().nullable() }).strict().nullable(),
    objectives: z.object({ rtoMinutes: z.number().positive(), rpoMinutes: z.number().positive() }).strict(),
    rtoSeconds: seconds.nullable(),
    criticalPathSeconds: seconds,
    /** The observed chain that ended last (critical-path.ts), in order; absent in older reports. */
    criticalPath: z.array(CriticalPathItem).optional(),
    rpoSeconds: seconds.nullable(),
    phases: z.array(ReportPhase),
    resources: z.array(ReportResource),
    /** Over the restore jobs drctl saw finish: the gap between CompletionDate and noticing it. */
    detectionGap: z
      .object({ jobs: z.number().int().min(0), maxSeconds: seconds, avgSeconds: seconds })
      .strict()
      .nullable()
      .optional(),
    dns: z
      .object({
        changed: z.boolean(),
        record: z.string(),
        from: z.string().nullable(),
        to: z.string().nullable(),
      })
      .strict(),
    cleanup: ReportCleanup.nullable(),
    /** Automatic failovers: the approval's decision, who answered and the wait (null: none asked). */
    approval: ReportApproval.nullable().optional(),
    /** Earlier attempts, when the execution was redriven (absent otherwise). */
    redrives: z.array(ReportRedrive).optional(),
    /** Added by the local CLI when the scenario had `expect`. */
    expect: z
      .object({ held: z.boolean(), failures: z.array(z.string()) })
      .strict()
      .optional(),
    /** Added by the local CLI: real time the local run took. */
    wallSeconds: seconds.optional(),
  })
  .strict();
export type Report = z.infer<typeof Report>;
