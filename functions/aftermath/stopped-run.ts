/**
 * What a stopped execution left, read from its own history: the run context ValidateInput
 * returned, the last state the execution entered, the last whole state it carried at the top level,
 * and whether its failure path finished (ReportFailure wrote the final report and released the lock).
 */

import { S } from "../../state-machines/names.js";
import type { HistoryEntry } from "../shared/aws/sfn.js";
import { StateSnapshot } from "../shared/report/state.js";
import { RunContext } from "../shared/types.js";

const parse = (text: string | undefined): unknown => {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const isStateEvent = (e: HistoryEntry) => /State(Entered|Exited)$/.test(e.type) && e.stateName !== undefined;

/** The run context: ValidateInput's output (oldest events first); undefined if it never finished. */
export function runFromHistory(oldestFirst: readonly HistoryEntry[]): RunContext | undefined {
  const exit = oldestFirst.find((e) => e.type === "TaskStateExited" && e.stateName === S.ValidateInput);
  const out = parse(exit?.payload) as { run?: unknown } | undefined;
  const run = RunContext.safeParse(out?.run);
  return run.success ? run.data : undefined;
}

/** The last state the execution entered (newest events first). */
export function lastStateEntered(newestFirst: readonly HistoryEntry[]): string | undefined {
  return newestFirst.find((e) => e.type.endsWith("StateEntered"))?.stateName;
}

/**
 * The newest whole state at the top level of the definition (a state's input on entry or output
 * on exit). States inside the Recover branches carry their branch's state only, so they are skipped.
 */
export function lastSnapshot(
  newestFirst: readonly HistoryEntry[],
  topLevel: ReadonlySet<string>,
): StateSnapshot | undefined {
  for (const e of newestFirst) {
    if (!isStateEvent(e) || !topLevel.has(e.stateName ?? "")) continue;
    const parsed = StateSnapshot.safeParse(parse(e.payload));
    if (parsed.success) return parsed.data;
  }
  return undefined;
}

/** The failure path finished: ReportFailure left the state with a final FAILED report. */
export function failurePathFinished(newestFirst: readonly HistoryEntry[]): boolean {
  const exit = newestFirst.find((e) => e.type === "TaskStateExited" && e.stateName === S.FailureReport);
  const out = parse(exit?.payload) as { report?: { final?: unknown; outcome?: unknown } } | undefined;
  return out?.report?.final === true && out.report.outcome === "FAILED";
}
