/**
 * The whole execution state as WriteReport / FinalizeReport / ReportFailure and NotifySuccess /
 * NotifyFailure receive it (`{state: $}`): every field optional, because the run may have failed
 * anywhere (even before `$.run` existed). The raw execution input stays at the root, so unknown
 * fields pass through (notify names them when there is no run).
 */
import * as z from "zod";
import {
  CleanupProgress,
  DetectResult,
  DnsState,
  Failure,
  HealthResult,
  IntegrationProgress,
  NotifyResult,
  PlanSummary,
  ReportRef,
  RestoreProgress,
  RunContext,
  StackState,
} from "../types.js";

export const StepError = z.object({ Error: z.string(), Cause: z.string().optional() });

export const StateSnapshot = z
  .object({
    run: RunContext.optional(),
    detect: DetectResult.optional(),
    /** Dry runs (PlanOnly) put the plan at the root. */
    plan: PlanSummary.optional(),
    recovery: z
      .object({
        stack: StackState.optional(),
        plan: PlanSummary.optional(),
        restores: RestoreProgress.optional(),
        /**
         * Integrate's last result; before Integrate ran, the restore branch's last (at its start
         * only `{restoresSeen: 0, active: 0}`, hence partial).
         */
        integration: IntegrationProgress.partial().optional(),
      })
      .optional(),
    health: HealthResult.optional(),
    dns: DnsState.optional(),
    cleanup: CleanupProgress.optional(),
    report: ReportRef.optional(),
    notify: NotifyResult.optional(),
    failure: Failure.optional(),
    /** An error caught on the failure path itself (notify, cleanup after failure). */
    stepError: StepError.optional(),
  })
  .loose();
export type StateSnapshot = z.infer<typeof StateSnapshot>;
