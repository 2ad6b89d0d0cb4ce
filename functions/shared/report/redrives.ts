/**
 * The earlier attempts of a redriven execution, from its history: RedriveExecution appends
 * `ExecutionRedriven` after the attempt's terminal event (ExecutionFailed, ExecutionAborted or
 * ExecutionTimedOut) and the execution goes on under the same ARN.
 */
import type { HistoryEvent } from "../aws/sfn.js";
import { failedStepFromHistory } from "./history.js";
import type { ReportRedrive } from "./model.js";

const ENDS: Record<string, ReportRedrive["status"]> = {
  ExecutionFailed: "FAILED",
  ExecutionAborted: "ABORTED",
  ExecutionTimedOut: "TIMED_OUT",
};

export function redrivesFrom(history: readonly HistoryEvent[]): ReportRedrive[] {
  const out: ReportRedrive[] = [];
  let from = 0;
  history.forEach((e, i) => {
    if (e.type !== "ExecutionRedriven") return;
    const attempt = history.slice(from, i);
    from = i + 1;
    const end = [...attempt].reverse().find((x) => x.type in ENDS);
    const caught = attempt.find(
      (x) => x.type.endsWith("StateEntered") && x.stateName?.startsWith("FailedAt"),
    );
    const failure = caught
      ? attempt.find((x) => x.id > caught.id && x.type === "ExecutionFailed")
      : undefined;
    const error = failure?.error ?? end?.error ?? null;
    const step = error ? failedStepFromHistory(attempt, { step: "", error: { Error: error } }) : undefined;
    out.push({
      redriveCount: out.length + 1,
      status: end ? (ENDS[end.type] ?? "FAILED") : "FAILED",
      failedStep: step ?? caught?.stateName?.slice("FailedAt".length) ?? null,
      error,
      endedAt: (end ?? attempt[attempt.length - 1] ?? e).timestamp.toISOString(),
      redrivenAt: e.timestamp.toISOString(),
    });
  });
  return out;
}
