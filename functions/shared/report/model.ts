/**
 * report.json: the contract in /work/shared/report-format.md, as a zod schema. writeReport builds
 * it, the local CLI adds `expect` and `wallSeconds`, and the Markdown/HTML renderers read it.
 *
 * Fields added after the first version of the contract (restore dates, detection gaps) are
 * optional, so reports written before them still parse.
 *
 * Where the contract shows a value a run may not have reached, the field is nullable:
 * `rtoSeconds` is null when traffic was never served from the recovery region (a failed run),
 * `rpoSeconds` when no restore was planned, `cleanup` when no cleanup ran (failovers).
 */
import * as z from "zod";
import { RESOURCE_TYPES } from "../config.js";
import { MODES, RESTORE_STATUSES, TRIGGERS } from "../types.js";

export const REPORT_VERSION = 1;

/** Phases the contract knows, in order (`approve` is not used by this state machine). */
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
 * SUCCEEDED: left normally; FAILED: the run's failure happened in it; ABORTED: cut short by a
 * failure elsewhere (the other branch of the parallel recovery); RUNNING: still running when the
 * report was written (the report phase of an interim report).
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
    cleanup: z
      .object({ deleted: z.array(z.string()), leftovers: z.array(z.string()) })
      .strict()
      .nullable(),
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
