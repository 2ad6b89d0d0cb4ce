/**
 * What each cell of the fault matrix must end in (issue: "Recoveries that … never report what
 * did not happen"):
 * - throttle / timeout: retried, then the run SUCCEEDS with no leftovers and the lock free;
 * - permanent: the run FAILS cleanly with a named error: notification sent, cleanup ran (drills),
 *   the lock released, the report written, no leftovers;
 * - permanent on cleanup's own calls: whatever remains is named in the report (it may also list what
 *   it could not verify as gone) and the run ends CleanupIncomplete; nothing left: it may succeed;
 * - permanent on ValidateInput: no run exists, so no report: the failure notification is required;
 * - permanent on the lock's release (writeReport ssm:DeleteParameter): the lock stays, naming an
 *   ended execution, which the next execution takes over (stale lock);
 * - permanent on notify (success path): the run keeps its outcome; the lost notification is
 *   recorded by the Catch (history, execution output).
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

/**
 * How a report may name a leftover: its ARN, a mount target by its file system, a stack by its
 * name, a parameter by its name.
 */
function namesOf(arn: string): string[] {
  const names = [arn, arn.split("/mount-target/")[0] ?? arn];
  const stack = /:stack\/([^/]+)\//.exec(arn)?.[1];
  if (stack) names.push(`stack ${stack}`);
  const parameter = /:parameter(\/.+)$/.exec(arn)?.[1];
  if (parameter) names.push(parameter);
  return names;
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
  // A permanent error on the lock's own release (DeleteParameter in writeReport) leaves the lock
  // naming an execution that has ended: stale, and taken over by the next execution (lock.ts).
  const releaseRefused =
    cell.kind === "permanent" && cell.step === "writeReport" && cell.call === "ssm:DeleteParameter";
  if (r.lockHeld && !releaseRefused) wrong.push("lock still held");
  // ValidateInput failing leaves no run (no name, nothing created): there is nothing to report on,
  // only the failure notification (checked below).
  const noRun = cell.kind === "permanent" && cell.step === "validateInput";
  if (
    !r.reportWritten &&
    !noRun &&
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
    // Every resource the sandbox still holds is named in the report (a mount target by its file
    // system); the report may also list what it could not verify as gone (its describe was refused).
    const hidden = drill
      ? r.leftovers.filter((arn) => !r.reported.some((l) => namesOf(arn).some((n) => l.includes(n))))
      : [];
    if (hidden.length > 0)
      wrong.push(`${hidden.length} leftovers the report does not name: ${hidden.join(", ")}`);
    if (left > 0 && r.error !== "CleanupIncomplete")
      wrong.push(`expected CleanupIncomplete, got ${r.error ?? r.status}`);
    if (!r.cleanupReported) wrong.push("report.cleanup empty");
    return wrong;
  }
  if (cell.step === "notify") {
    // The recovery's outcome does not change when its notification is lost: notify raises (no
    // channel delivered it) and the Catch records it in the history and the execution's output.
    if (r.status !== "SUCCEEDED")
      wrong.push(`expected SUCCEEDED with the lost notification recorded, got ${r.status}`);
    if (left > 0) wrong.push(`${left} leftovers`);
    return wrong;
  }
  if (r.status !== "FAILED") wrong.push(`expected FAILED, got ${r.status}`);
  else if (r.error === undefined || UNNAMED.includes(r.error))
    wrong.push(`unnamed error ${r.error ?? "(none)"}`);
  if (!r.notifiedFailure) wrong.push("no failure notification");
  if (drill && !noRun && !r.cleanupReported) wrong.push("report.cleanup empty");
  if (left > 0) wrong.push(`${left} leftovers`);
  return wrong;
}
