/**
 * report.json `approval`: how an automatic failover's approval went (docs/design.md, "Approval"):
 * the decision and who answered, from the RequestApproval result ($.approval: SendTaskSuccess's
 * output, or the window elapsing) or the failure (FailoverRejected's cause, ApprovalTimedOut), and
 * the wait from the `approve` phase (request sent → answered).
 */
import * as z from "zod";
import { APPROVAL_TIMED_OUT, ApprovalDecision, FAILOVER_REJECTED } from "../approval.js";
import type { ReportPhase } from "./model.js";
import type { StateSnapshot } from "./state.js";
import { formatDuration } from "./text.js";

export const APPROVAL_OUTCOMES = ["approved", "rejected", "window-elapsed", "timed-out", "pending"] as const;

export const ReportApproval = z
  .object({
    decision: z.enum(APPROVAL_OUTCOMES),
    /** Who answered, as `drctl approve|reject --by` sent it (CloudTrail holds the caller's identity). */
    by: z.string().nullable(),
    reason: z.string().nullable(),
    requestedAt: z.iso.datetime(),
    decidedAt: z.iso.datetime().nullable(),
    waitedSeconds: z.number().min(0),
  })
  .strict();
export type ReportApproval = z.infer<typeof ReportApproval>;

/** The decision as sent: SendTaskSuccess output, or the JSON cause of drctl reject. */
function decisionOf(value: unknown): { by: string | null; reason: string | null } {
  const parsed = ApprovalDecision.partial().safeParse(value);
  return parsed.success
    ? { by: parsed.data.by ?? null, reason: parsed.data.reason ?? null }
    : { by: null, reason: null };
}

function parseJson(text: string | undefined): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

export function approvalOf(state: StateSnapshot, phases: readonly ReportPhase[]): ReportApproval | null {
  const phase = phases.find((p) => p.name === "approve");
  if (!phase) return null;
  const error = state.failure?.step === "RequestApproval" ? state.failure.error : undefined;
  const result = (state as { approval?: unknown }).approval;
  let decision: ReportApproval["decision"];
  let who: { by: string | null; reason: string | null } = { by: null, reason: null };
  if (error?.Error === FAILOVER_REJECTED) {
    decision = "rejected";
    who = decisionOf(parseJson(error.Cause));
    if (who.reason === null && error.Cause && who.by === null) who.reason = error.Cause;
  } else if (error?.Error === APPROVAL_TIMED_OUT) decision = "timed-out";
  else if (
    result &&
    typeof result === "object" &&
    (result as { decision?: unknown }).decision === "window-elapsed"
  )
    decision = "window-elapsed";
  else if (result !== undefined) {
    decision = "approved";
    who = decisionOf(result);
  } else decision = "pending";
  const answered = decision !== "pending" && phase.status !== "RUNNING";
  return {
    decision,
    ...who,
    requestedAt: phase.startedAt,
    decidedAt: answered ? phase.endedAt : null,
    waitedSeconds: phase.seconds,
  };
}

/** "approved by ops after 12m 00s", for the report's summary tables. */
export function approvalText(a: ReportApproval): string {
  const who = a.by ? ` by ${a.by}` : "";
  const why = a.reason ? ` (${a.reason})` : "";
  const wait = formatDuration(a.waitedSeconds);
  switch (a.decision) {
    case "approved":
    case "rejected":
      return `${a.decision}${who} after ${wait}${why}`;
    case "window-elapsed":
      return `not answered: proceeded when the window ended after ${wait}`;
    case "timed-out":
      return `not answered within the window (${wait}): ApprovalTimedOut`;
    case "pending":
      return `waiting for an answer since ${a.requestedAt}`;
  }
}
