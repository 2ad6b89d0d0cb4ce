/**
 * Payloads that flow between states. Every one is small (ids, counts, S3 keys): lists that grow
 * with the number of resources live in the artifacts bucket under `run.artifactsPrefix`.
 * The state machine (state-machines/recovery.asl.ts) places each step's result at the path named
 * in the comment; handlers validate what they receive with these schemas.
 */
import * as z from "zod";
import { ApprovalGate } from "./approval.js";
import { RESOURCE_TYPES } from "./config.js";

export const MODES = ["drill", "failover"] as const;
export type Mode = (typeof MODES)[number];
export const TRIGGERS = ["alarm", "health", "schedule", "manual"] as const;
export type Trigger = (typeof TRIGGERS)[number];

/** Execution input as given by a trigger, the CLI or the console. */
export const ExecutionInput = z
  .object({
    mode: z.enum(MODES),
    app: z
      .string()
      .regex(/^[a-z0-9-]{1,64}$/)
      .optional(),
    restoreTo: z.iso.datetime({ offset: true }).optional(),
    dryRun: z.boolean().default(false),
    force: z.boolean().default(false),
    /** Failover only: delete the DR stack a failed failover left and create a fresh one (instead of adopting it). */
    replaceStack: z.boolean().default(false),
    trigger: z.enum(TRIGGERS).default("manual"),
  })
  .strict();
export type ExecutionInput = z.infer<typeof ExecutionInput>;

/** $.run: the run context every later step receives. */
export const RunContext = z.object({
  /** Deterministic run name: `<mode>-<app>-<yyyymmddThhmmZ>` of the execution start. */
  name: z.string(),
  executionArn: z.string(),
  mode: z.enum(MODES),
  trigger: z.enum(TRIGGERS),
  app: z.string(),
  startedAt: z.string(),
  restoreTo: z.string(),
  dryRun: z.boolean(),
  force: z.boolean(),
  /** Failover: the DR stack a failed failover left is deleted and created anew, not adopted. */
  replaceStack: z.boolean().optional(),
  /** Running against the local sandbox. */
  local: z.boolean(),
  /** S3 prefix (in the artifacts bucket) for this run's plan, jobs, status and report. */
  artifactsPrefix: z.string(),
  /** SSM parameter prefix integrations write under: "" for failover, `/drctl-drill/<name>` for drills. */
  parameterPrefix: z.string(),
  /** Name of the DR app stack this run deploys. */
  stackName: z.string(),
  /** Short, deterministic suffix used to name restored resources. */
  suffix: z.string(),
  /** Present when the run waits for an approval (failover started by an alarm or AWS Health). */
  approval: ApprovalGate.optional(),
  /**
   * The redrive that restarted this drill's recovery (its failure path had deleted everything):
   * part of the idempotency tokens, so the restores and the stack are created anew.
   */
  redrive: z.number().int().min(1).optional(),
});
export type RunContext = z.infer<typeof RunContext>;

/** $.detect */
export const DetectResult = z.object({
  confirmed: z.boolean(),
  forced: z.boolean(),
  signals: z.array(z.object({ name: z.string(), healthy: z.boolean(), detail: z.string() })),
});
export type DetectResult = z.infer<typeof DetectResult>;

/** $.stack: deployStack and checkStack. */
export const StackState = z.object({
  stackId: z.string(),
  status: z.string(),
  done: z.boolean(),
  /** Seconds the following Wait state pauses before the next check. */
  waitSeconds: z.number().int().min(1),
  startedAt: z.string(),
  completedAt: z.string().optional(),
  /** Set while the DR stack a failed failover left is being deleted (replaceStack); stackId is that stack. */
  replacing: z.object({ from: z.string(), since: z.string() }).optional(),
});
export type StackState = z.infer<typeof StackState>;

/** $.plan: planRestores. The per-resource plan is at `planKey`. */
export const PlanSummary = z.object({
  planKey: z.string(),
  total: z.number().int(),
  /** Worst (largest) restoreTo - recovery point creation time, seconds. */
  worstRpoSeconds: z.number(),
  rpoExceeded: z.array(z.string()),
});
export type PlanSummary = z.infer<typeof PlanSummary>;

/** One entry of the plan document (S3, `planKey`). */
export const PlannedRestore = z.object({
  name: z.string(),
  type: z.enum(RESOURCE_TYPES),
  sourceArn: z.string(),
  recoveryPointArn: z.string(),
  recoveryPointCreatedAt: z.string(),
  rpoSeconds: z.number(),
  /** Name the restored resource gets (DB identifier, table name, creation token, ...). */
  targetName: z.string(),
  dependsOn: z.array(z.string()),
  metadata: z.record(z.string(), z.string()),
});
export type PlannedRestore = z.infer<typeof PlannedRestore>;
export const PlanDocument = z.object({
  run: z.string(),
  createdAt: z.string(),
  restores: z.array(PlannedRestore),
});
export type PlanDocument = z.infer<typeof PlanDocument>;

/** $.restores: startRestores and pollRestores. Job details are at `jobsKey`. */
export const RestoreProgress = z.object({
  jobsKey: z.string(),
  total: z.number().int(),
  completed: z.number().int(),
  running: z.number().int(),
  failed: z.number().int(),
  allTerminal: z.boolean(),
  waitSeconds: z.number().int().min(1),
  ticks: z.number().int(),
  /** The jobs document's ETag as of this result (ArtifactStore.getJsonAt). */
  jobsVersion: z.string().optional(),
  /** When PollRestores wants to ask AWS Backup again (an earlier wake-up, for the integration, asks nothing). */
  pollAt: z.string().optional(),
  /** PollRestores: integration alongside is due (a restore completed since it last ran, or its dueAt came). */
  integrationDue: z.boolean().optional(),
});
export type RestoreProgress = z.infer<typeof RestoreProgress>;

export const RESTORE_STATUSES = ["PENDING", "RUNNING", "COMPLETED", "ABORTED", "FAILED"] as const;
/** One entry of the jobs document (S3, `jobsKey`). */
export const RestoreJobRecord = z.object({
  name: z.string(),
  type: z.enum(RESOURCE_TYPES),
  recoveryPointArn: z.string(),
  restoreJobId: z.string(),
  attempt: z.number().int().min(1),
  status: z.enum(RESTORE_STATUSES),
  statusMessage: z.string().optional(),
  /** drctl's clock when it called StartRestoreJob. */
  startedAt: z.string(),
  /** The job's CreationDate, as AWS Backup reports it (set by the first poll that sees the job). */
  createdAt: z.string().optional(),
  /** The job's CompletionDate, as AWS Backup reports it. */
  completedAt: z.string().optional(),
  /** When PollRestores first saw the job COMPLETED/FAILED/ABORTED (completedAt → noticedAt: the detection gap). */
  noticedAt: z.string().optional(),
  createdResourceArn: z.string().optional(),
  /** Earlier attempts' job ids (FAILED/ABORTED), so cleanup can find what they left. */
  previousJobIds: z.array(z.string()).default([]),
});
export type RestoreJobRecord = z.infer<typeof RestoreJobRecord>;
export const JobsDocument = z.object({ run: z.string(), jobs: z.array(RestoreJobRecord) });
export type JobsDocument = z.infer<typeof JobsDocument>;

export * from "./integration-types.js";

/** $.health: validateHealth. */
export const HealthResult = z.object({ url: z.string(), status: z.number().int(), checkedAt: z.string() });
export type HealthResult = z.infer<typeof HealthResult>;

/** $.dns: failover (submit and check). */
export const DnsState = z.object({
  changed: z.boolean(),
  record: z.string(),
  from: z.string().nullable(),
  to: z.string(),
  changeId: z.string(),
  status: z.enum(["PENDING", "INSYNC"]),
  waitSeconds: z.number().int().min(1),
  /** When the change was submitted (CheckDns gives up 30 minutes later). */
  submittedAt: z.string().optional(),
});
export type DnsState = z.infer<typeof DnsState>;

export * from "./cleanup-types.js";

/** $.failure: set by the failure path (Catch → Pass). */
export const Failure = z.object({
  step: z.string(),
  error: z.object({ Error: z.string(), Cause: z.string().optional() }),
  /** $$.Execution.RedriveCount when the run failed: a redrive (a higher count) resumes it. */
  redriveCount: z.number().int().min(0).optional(),
});
export type Failure = z.infer<typeof Failure>;

/** $.report: writeReport. */
export const ReportRef = z.object({
  reportKey: z.string(),
  markdownKey: z.string(),
  htmlKey: z.string(),
  outcome: z.enum(["SUCCEEDED", "FAILED"]),
  final: z.boolean(),
});
export type ReportRef = z.infer<typeof ReportRef>;

/** $.notify */
export const NotifyResult = z.object({ messageId: z.string().nullable(), opsItemId: z.string().nullable() });
export type NotifyResult = z.infer<typeof NotifyResult>;

/** Tags every drill/failover resource carries. Cleanup finds drill resources by `drctl:execution`. */
export const TAG_EXECUTION = "drctl:execution";
export const TAG_MODE = "drctl:mode";
export const TAG_APP = "drctl:app";
export function runTags(run: Pick<RunContext, "name" | "mode" | "app">): Record<string, string> {
  return { [TAG_EXECUTION]: run.name, [TAG_MODE]: run.mode, [TAG_APP]: run.app };
}
