/** Cleanup's state result and its document (cleanup.json), shared with the report. */
import * as z from "zod";

/** $.cleanup: cleanup. The lists are at `cleanupKey`. */
export const CleanupProgress = z.object({
  cleanupKey: z.string(),
  deleted: z.number().int(),
  leftovers: z.number().int(),
  /** Restore jobs still running or resources still being deleted: cleanup runs again after a Wait. */
  pending: z.number().int(),
  done: z.boolean(),
  waitSeconds: z.number().int().min(1),
  rounds: z.number().int(),
});
export type CleanupProgress = z.infer<typeof CleanupProgress>;
/** One operation on one resource across cleanup rounds (the bounds in functions/cleanup/ledger.ts). */
export const CleanupTrack = z.object({
  tries: z.number().int(),
  since: z.string(),
  error: z.string().optional(),
  accepted: z.string().optional(),
  refused: z.string().optional(),
});
export type CleanupTrack = z.infer<typeof CleanupTrack>;
/** A resource a drill created (functions/cleanup/deleters.ts Candidate). */
export const CleanupCandidate = z.object({
  kind: z.enum(["rds-instance", "rds-cluster", "ec2-instance", "ec2-volume", "efs", "dynamodb-table"]),
  id: z.string(),
  arn: z.string().optional(),
  source: z.string(),
});
export const CleanupDocument = z.object({
  run: z.string(),
  deleted: z.array(z.string()),
  /** Each "<resource>: <reason>", the reason bounded in length. */
  leftovers: z.array(z.string()),
  pending: z.array(z.string()),
  /** Cleanup invocations so far (CleanupProgress.rounds). */
  rounds: z.number().int().optional(),
  /** The first round (the whole loop is bounded in time from here). */
  startedAt: z.string().optional(),
  /** Done: nothing pending, or the loop reached its bound (what was pending is a leftover). */
  done: z.boolean().optional(),
  track: z.record(z.string(), CleanupTrack).optional(),
  waiting: z.record(z.string(), z.string()).optional(),
  /** Resources found by the run's tag in a sweep, looked at again in the rounds between sweeps. */
  tagged: z.array(CleanupCandidate).optional(),
  /** "<kind>:<id>" of resources whose deletion was accepted and that are gone: not described again. */
  gone: z.array(z.string()).optional(),
  /**
   * What the run's documents named (functions/cleanup/documented.ts), kept once complete: the
   * later rounds do not read the plan, jobs and integration documents again.
   */
  documented: z
    .object({
      candidates: z.array(CleanupCandidate),
      parameters: z.array(z.string()),
      leftovers: z.array(z.string()),
      tagged: z.array(z.object({ arn: z.string(), at: z.string() })),
    })
    .optional(),
  /** Per resource waited for: when a round looks at it again, when it is expected over, what it waits for. */
  due: z.record(z.string(), z.object({ at: z.string(), until: z.string(), what: z.string() })).optional(),
});
export type CleanupDocument = z.infer<typeof CleanupDocument>;
