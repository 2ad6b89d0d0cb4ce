/**
 * The report's `cleanup`, filled on every path: what the cleanup document says, and when cleanup
 * did not finish, every restored resource not confirmed deleted is a leftover with that reason.
 */
import type { CleanupDocument, RunContext } from "../types.js";
import type { ReportCleanup, ReportResource } from "./model.js";
import type { StateSnapshot } from "./state.js";

export interface CleanupInput {
  run: RunContext;
  state: StateSnapshot;
  cleanup?: CleanupDocument | undefined;
  resources: ReportResource[];
  final: boolean;
}

const MAX_REASON = 300;

export function reportCleanup({ run, state, cleanup: doc, resources, final }: CleanupInput): ReportCleanup {
  if (run.mode !== "drill") return notApplicable("a failover keeps what it restored; nothing is deleted");
  if (run.dryRun) return notApplicable("a dry run creates nothing");
  const deleted = doc?.deleted ?? [];
  const leftovers = [...(doc?.leftovers ?? [])];
  if (!final) {
    const reason = doc ? "cleanup is still running" : "cleanup runs after this report";
    return { status: "PENDING", reason, deleted, leftovers };
  }
  leftovers.push(...(doc?.pending ?? []).map((p) => `${p} (still pending)`));
  // Documents written before `done` existed: a round with nothing pending ended the loop.
  const done = doc !== undefined && (doc.done ?? doc.pending.length === 0);
  if (done && leftovers.length === 0) return { status: "COMPLETE", reason: null, deleted, leftovers };
  if (doc?.done)
    return { status: "INCOMPLETE", reason: "some resources could not be deleted", deleted, leftovers };
  // Cleanup did not finish (it failed, or never ran): nothing restored is known to be gone.
  const error = state.stepError ?? (state.failure?.step === "Cleanup" ? state.failure.error : undefined);
  const why = error
    ? `cleanup did not finish: ${error.Error}${error.Cause ? `: ${error.Cause}` : ""}`
    : "cleanup did not finish";
  const reason = why.length > MAX_REASON ? `${why.slice(0, MAX_REASON - 3)}...` : why;
  const gone = new Set(deleted);
  for (const r of resources) {
    if (
      r.restoredArn &&
      !gone.has(r.restoredArn) &&
      !leftovers.some((l) => l.startsWith(r.restoredArn ?? ""))
    )
      leftovers.push(`${r.restoredArn}: not confirmed deleted (${reason})`);
  }
  return { status: "INCOMPLETE", reason, deleted, leftovers };
}

function notApplicable(reason: string): ReportCleanup {
  return { status: "NOT_APPLICABLE", reason, deleted: [], leftovers: [] };
}
