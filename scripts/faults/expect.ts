/**
 * What each cell of the fault matrix must end in (issue: "Recoveries that … never report what
 * did not happen"):
 * - throttle / timeout: retried, then the run SUCCEEDS with no leftovers and the lock free;
 * - permanent: the run FAILS cleanly with a named error: notification sent, cleanup ran (drills),
 *   the lock released, the report written, no leftovers;
 * - permanent on cleanup's own calls: whatever remains is listed in the report (as many as the
 *   sandbox still holds) and the run ends CleanupIncomplete; nothing left: it may succeed.
 * A failover keeps what it recovered by design: its leftovers are not counted.
 */
import type { Cell } from "./cells.js";

export interface CellResult {
  id: string;
  /** SUCCEEDED | FAILED | TIMED_OUT | ABORTED | RUNNER_ERROR (the local run itself broke). */
  status: string;
  error?: string;
  reportWritten: boolean;
  /** report.cleanup is filled (null when cleanup did not run or the report says nothing). */
  cleanupReported: boolean;
  /** report.cleanup.leftovers, as the report words them. */
  reported: string[];
  /** What the sandbox still holds of the run (lock excluded). */
  leftovers: string[];
  lockHeld: boolean;
  /** A failure notification (SNS subject with FAILED) was published. */
  notifiedFailure: boolean;
  /** How many times the cell's fault fired. */
  fired: number;
  wallSeconds: number;
  problem?: string;
}

/** Errors that mean the run did not fail cleanly (no named drctl error reached the end). */
const UNNAMED = ["States.Runtime", "States.Timeout", "States.TaskFailed", "States.ALL"];

/** Why a cell's result is wrong (empty: as expected). */
export function judge(cell: Cell, r: CellResult): string[] {
  const wrong: string[] = [];
  const drill = cell.mode === "drill";
  if (r.status === "RUNNER_ERROR") return [`the local run broke: ${r.problem ?? "?"}`];
  if (r.fired === 0) wrong.push("the fault never fired");
  if (r.status !== "SUCCEEDED" && r.status !== "FAILED") wrong.push(`execution ended ${r.status}`);
  if (r.lockHeld) wrong.push("lock still held");
  if (
    !r.reportWritten &&
    !(cell.kind === "permanent" && cell.call === "s3:PutObject" && cell.step === "writeReport")
  ) {
    wrong.push("no report");
  }
  const left = drill ? r.leftovers.length : 0;
  if (cell.kind !== "permanent") {
    if (r.status !== "SUCCEEDED")
      wrong.push(`expected SUCCEEDED after retries, got ${r.status} ${r.error ?? ""}`.trim());
    if (left > 0) wrong.push(`${left} leftovers`);
    return wrong;
  }
  if (cell.step === "cleanup") {
    if (drill && r.reported.length !== left) {
      wrong.push(`report lists ${r.reported.length} leftovers, the sandbox holds ${left}`);
    }
    if (left > 0 && r.error !== "CleanupIncomplete")
      wrong.push(`expected CleanupIncomplete, got ${r.error ?? r.status}`);
    if (!r.cleanupReported) wrong.push("report.cleanup empty");
    return wrong;
  }
  if (r.status !== "FAILED") wrong.push(`expected FAILED, got ${r.status}`);
  else if (r.error === undefined || UNNAMED.includes(r.error))
    wrong.push(`unnamed error ${r.error ?? "(none)"}`);
  const notifyItself = cell.step === "notify";
  if (!r.notifiedFailure && !notifyItself) wrong.push("no failure notification");
  if (drill && !r.cleanupReported) wrong.push("report.cleanup empty");
  if (left > 0) wrong.push(`${left} leftovers`);
  return wrong;
}
