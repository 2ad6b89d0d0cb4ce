/**
 * What a report reads from the execution history (GetExecutionHistory): phase times from state
 * enter/exit events per PHASES, the state whose task failed, and the billing-relevant counts.
 */
import { PHASES, type PhaseName, S, TASK_FUNCTIONS } from "../../../state-machines/names.js";
import { recoveryDefinition } from "../../../state-machines/recovery.asl.js";
import type { HistoryEvent } from "../aws/sfn.js";
import type { Failure } from "../types.js";
import type { ReportPhase } from "./model.js";

const entered = (e: HistoryEvent): boolean => e.type.endsWith("StateEntered");
const exited = (e: HistoryEvent): boolean => e.type.endsWith("StateExited");
const isTask = (state: string | undefined): boolean => state !== undefined && state in TASK_FUNCTIONS;

/** States inside the Recover parallel's branches: they interleave, so they never end another phase. */
const BRANCH_STATES: ReadonlySet<string> = (() => {
  const recover = recoveryDefinition().States[S.Recover];
  const names = new Set<string>([S.Recover]);
  if (recover?.Type === "Parallel") {
    for (const branch of recover.Branches) for (const name of Object.keys(branch.States)) names.add(name);
  }
  return names;
})();

export interface HistoryCounts {
  historyEvents: number;
  /** *StateEntered events: what a Standard workflow bills as state transitions. */
  stateTransitions: number;
  maxPayloadBytes: number;
  startedAt?: Date;
  lastEventAt?: Date;
}

export function historyCounts(history: readonly HistoryEvent[]): HistoryCounts {
  const counts: HistoryCounts = {
    historyEvents: history.length,
    stateTransitions: history.filter(entered).length,
    maxPayloadBytes: history.reduce((max, e) => Math.max(max, e.payloadBytes), 0),
  };
  const start = history.find((e) => e.type === "ExecutionStarted") ?? history[0];
  const last = history[history.length - 1];
  if (start) counts.startedAt = start.timestamp;
  if (last) counts.lastEventAt = last.timestamp;
  return counts;
}

/** The state that an event belongs to: follows previousEventId back to a *StateEntered event. */
function owningState(
  history: readonly HistoryEvent[],
  index: number,
  byId: Map<number, HistoryEvent>,
): string | undefined {
  let cur: HistoryEvent | undefined = history[index];
  for (let hops = 0; cur && hops < 50; hops++) {
    if (entered(cur) && cur.stateName) return cur.stateName;
    cur = cur.previousEventId === undefined ? undefined : byId.get(cur.previousEventId);
  }
  // No chain: the nearest task entered before the event.
  for (let i = index - 1; i >= 0; i--) {
    const e = history[i] as HistoryEvent;
    if (entered(e) && isTask(e.stateName)) return e.stateName;
  }
  return undefined;
}

/**
 * The Task state that failed with the error the failure path caught: the last failure event with
 * that error before the first FailedAt* state (e.g. CheckStack for a failure caught at Recover).
 */
export function failedStepFromHistory(
  history: readonly HistoryEvent[],
  failure: Failure,
): string | undefined {
  const byId = new Map(history.map((e) => [e.id, e]));
  const caughtAt = history.findIndex((e) => entered(e) && e.stateName?.startsWith("FailedAt"));
  for (let i = (caughtAt === -1 ? history.length : caughtAt) - 1; i >= 0; i--) {
    const e = history[i] as HistoryEvent;
    if (e.error !== failure.error.Error || e.type.startsWith("Execution")) continue;
    if (!/(Failed|TimedOut)$/.test(e.type)) continue;
    const state = owningState(history, i, byId);
    if (isTask(state)) return state;
  }
  return undefined;
}

/** When the last of these states was left (undefined if never). */
export function lastExit(history: readonly HistoryEvent[], states: readonly string[]): Date | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const e = history[i] as HistoryEvent;
    if (exited(e) && e.stateName && states.includes(e.stateName)) return e.timestamp;
  }
  return undefined;
}

export const seconds = (from: Date, to: Date): number =>
  Math.max(0, Math.round(to.getTime() - from.getTime()) / 1000);

export interface PhaseOptions {
  /** The state the run failed in (null when it did not fail). */
  failedStep: string | null;
  /** An error was caught on the failure path (cleanup after failure did not finish). */
  failurePathError: boolean;
  /** End of phases still running when the report is written. */
  now: Date;
}

/**
 * Phases per PHASES, in order, for every phase that ran: start = first entry into one of its
 * states, end = last exit. A phase with a state entered and never left ends where the execution
 * moved on (a later state outside it and outside the parallel branches); if it has not, it is
 * still RUNNING at `now`.
 */
export function phasesFrom(history: readonly HistoryEvent[], options: PhaseOptions): ReportPhase[] {
  const phases: ReportPhase[] = [];
  const failedTasks = lastOutcomeFailed(history);
  for (const [name, states] of PHASES) {
    const inPhase = (e: HistoryEvent) =>
      e.stateName !== undefined && (states as readonly string[]).includes(e.stateName);
    const open = new Map<string, number>();
    let start: Date | undefined;
    let end: Date | undefined;
    history.forEach((e, i) => {
      if (!inPhase(e)) return;
      const state = e.stateName as string;
      if (entered(e)) {
        start ??= e.timestamp;
        open.set(state, i);
      } else if (exited(e)) {
        end = e.timestamp;
        open.delete(state);
      }
    });
    if (!start) continue;
    const failedHere =
      (options.failedStep !== null && (states as readonly string[]).includes(options.failedStep)) ||
      states.some((state) => failedTasks.has(state));
    let status: ReportPhase["status"] = failedHere ? "FAILED" : "SUCCEEDED";
    if (open.size > 0) {
      const from = Math.max(...open.values());
      const movedOn = history.slice(from + 1).find((e) => endsPhase(e, states));
      if (movedOn) {
        end = end && end > movedOn.timestamp ? end : movedOn.timestamp;
        if (!failedHere) status = name === "cleanup" && options.failurePathError ? "FAILED" : "ABORTED";
      } else {
        end = options.now;
        if (!failedHere) status = "RUNNING";
      }
    }
    const stop = end && end >= start ? end : start;
    phases.push(phase(name, start, stop, status));
  }
  return phases;
}

const TASK_SUCCESS = /^(LambdaFunction|Task)Succeeded$/;
const TASK_FAILURE = /^(LambdaFunction|Task)(Failed|TimedOut|StartFailed|ScheduleFailed|SubmitFailed)$/;

/**
 * Task states whose last outcome in the history was a failure: the error was not retried into a
 * success (it was caught, or it ended the execution). A Retry that succeeds, or a later visit of
 * the same state that succeeds (a loop), clears it.
 */
function lastOutcomeFailed(history: readonly HistoryEvent[]): Set<string> {
  const byId = new Map(history.map((e) => [e.id, e]));
  const last = new Map<string, boolean>();
  history.forEach((e, i) => {
    const failed = TASK_FAILURE.test(e.type);
    if (!failed && !TASK_SUCCESS.test(e.type)) return;
    const state = owningState(history, i, byId);
    if (isTask(state)) last.set(state as string, failed);
  });
  return new Set([...last].filter(([, failed]) => failed).map(([state]) => state));
}

function endsPhase(e: HistoryEvent, states: readonly string[]): boolean {
  if (e.type.startsWith("Execution") && e.type !== "ExecutionStarted") return true;
  return (
    entered(e) &&
    e.stateName !== undefined &&
    !states.includes(e.stateName) &&
    !BRANCH_STATES.has(e.stateName)
  );
}

function phase(name: PhaseName, start: Date, end: Date, status: ReportPhase["status"]): ReportPhase {
  return {
    name,
    startedAt: start.toISOString(),
    endedAt: end.toISOString(),
    seconds: seconds(start, end),
    status,
  };
}
