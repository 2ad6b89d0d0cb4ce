/**
 * What the local runner reads from an execution's history (GetExecutionHistory): the phase of a
 * state, the restore progress a Task reported, the run name ValidateInput chose, the whole history.
 */
import { GetExecutionHistoryCommand, type HistoryEvent, type SFNClient } from "@aws-sdk/client-sfn";
import { PHASES } from "../../state-machines/names.js";

const STATE_PHASE = new Map<string, string>(
  PHASES.flatMap(([phase, states]) => states.map((s) => [s, phase])),
);

/** The report phase (PHASES) a state belongs to. */
export function phaseOf(state: string): string | undefined {
  return STATE_PHASE.get(state);
}

/**
 * "completed/total" from a StartRestores/PollRestores result: drctl's Tasks call Lambda function
 * ARNs, whose results AWS records in LambdaFunctionSucceeded events.
 */
export function restoreProgress(e: HistoryEvent): string | undefined {
  const out = e.lambdaFunctionSucceededEventDetails?.output;
  if (!out?.includes('"jobsKey"')) return undefined;
  try {
    const p = JSON.parse(out) as { completed?: number; total?: number; failed?: number };
    if (typeof p.total !== "number") return undefined;
    return `${p.completed ?? 0}/${p.total}${p.failed ? ` (${p.failed} failed)` : ""}`;
  } catch {
    return undefined;
  }
}

/** Every event of an execution, oldest first. */
export async function fullHistory(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, ...(nextToken ? { nextToken } : {}) }),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

/** run.name from ValidateInput's result (the execution name is the same for CLI runs). */
export function runNameFrom(history: HistoryEvent[]): string | undefined {
  for (const e of history) {
    const d = e.stateExitedEventDetails;
    if (d?.name !== "ValidateInput" || !d.output) continue;
    try {
      const name = (JSON.parse(d.output) as { run?: { name?: unknown } }).run?.name;
      if (typeof name === "string") return name;
    } catch {
      // not JSON
    }
  }
  return undefined;
}
