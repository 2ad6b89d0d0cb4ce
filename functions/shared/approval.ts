/**
 * Approval of automatic failovers (docs/design.md, "Approval"). A failover that an alarm or an
 * AWS Health event started waits on a Step Functions task token (RequestApproval, callback
 * pattern) before it creates anything; `$.run.approval` says that it must, and for how long.
 * Manual failovers, dry runs and drills carry no `approval` and never wait.
 */
import * as z from "zod";
import type { ApprovalConfig } from "./config.js";
import { ApprovalTimedOut, FailoverRejected } from "./errors.js";

/** Triggers that start a failover without a person: their runs wait for an approval. */
export const UNATTENDED_TRIGGERS = ["alarm", "health"] as const;

/** $.run.approval: the gate RequestApproval waits at (TimeoutSecondsPath = timeoutSeconds). */
export const ApprovalGate = z.object({
  mode: z.enum(["wait", "proceed-after"]),
  windowMinutes: z.number().int().positive(),
  timeoutSeconds: z.number().int().positive(),
});
export type ApprovalGate = z.infer<typeof ApprovalGate>;

/** What `drctl approve` / `drctl reject` send: SendTaskSuccess output, SendTaskFailure cause. */
export const ApprovalDecision = z.object({
  decision: z.enum(["approved", "rejected"]),
  by: z.string().max(256),
  at: z.iso.datetime(),
  reason: z.string().max(1024).optional(),
});
export type ApprovalDecision = z.infer<typeof ApprovalDecision>;

/** Error names of the approval: SendTaskFailure's error, and the wait that ran out. */
export const FAILOVER_REJECTED = FailoverRejected.errorName;
export const APPROVAL_TIMED_OUT = ApprovalTimedOut.errorName;

/** The gate of a run, or undefined when the run does not wait for an approval. */
export function approvalGate(
  run: { mode: string; trigger: string; dryRun: boolean },
  config: ApprovalConfig,
): ApprovalGate | undefined {
  const unattended = (UNATTENDED_TRIGGERS as readonly string[]).includes(run.trigger);
  if (run.mode !== "failover" || run.dryRun || !unattended) return undefined;
  return {
    mode: config.mode,
    windowMinutes: config.windowMinutes,
    timeoutSeconds: config.windowMinutes * 60,
  };
}
