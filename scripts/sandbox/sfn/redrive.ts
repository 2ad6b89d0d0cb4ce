/**
 * RedriveExecution (https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html
 * and the SFN model's RedriveExecution / DescribeExecutionOutput documentation):
 * - eligible: FAILED, ABORTED or TIMED_OUT; closed at most 14 days ago; opened at most a year ago;
 *   fewer than 24,999 history events (room for ExecutionRedriven and one more); its state machine
 *   not deleted. Otherwise ExecutionNotRedrivable with the reason DescribeExecution names;
 * - same execution ARN, input and definition; the history goes on with ExecutionRedriven
 *   (redriveCount) and the restarted states; redriveCount / redriveDate in DescribeExecution and
 *   ListExecutions; `$$.Execution.RedriveCount` in the context object; the execution's
 *   TimeoutSeconds counted again from the redrive;
 * - the run restarts at the unsuccessful top-level state (the one entered and never exited) with
 *   the input recorded in its StateEntered event; the states that succeeded are not rerun. A
 *   redriven Parallel reruns only its branches that failed or were aborted, each from its own
 *   unsuccessful state with that state's input; a branch that succeeded gives its recorded output;
 * - clientToken: the last 10 tokens of successful redrives, for 15 minutes after first use, answer
 *   with that redrive's date and start nothing.
 */
import type { HistoryEvent } from "@aws-sdk/client-sfn";
import { SandboxError } from "../types.js";
import type { SfnState } from "./api-support.js";
import {
  type AslBranch,
  type AslDefinition,
  type DefinitionIndex,
  REDRIVE_HELPER_PREFIX,
  ROOT_SCOPE,
} from "./definition.js";
import { type ExecutionRecord, ExecutionRunner } from "./execution.js";
import { MAX_HISTORY_EVENTS } from "./limits.js";
import { resultKey } from "./task-support.js";

/** Where a redriven run starts again: a top-level state and the input it had. */
export interface ResumePoint {
  startAt: string;
  input: unknown;
  /** The definition the engine runs instead (a redriven Parallel's branches restarted). */
  definition?: AslDefinition;
  /** Task results (by resultKey) a restarted Wait reads its SecondsPath from. */
  results?: [string, unknown][];
}

export type RecordInit = Omit<ExecutionRecord, "status" | "warnings" | "detached" | "done" | OwnedOnRedrive> &
  Partial<Pick<ExecutionRecord, OwnedOnRedrive>>;
export type OwnedOnRedrive = "history" | "redriveCount" | "redriveTokens";

const DAY_MS = 86_400_000;
/** Days after its end during which an execution can be redriven. */
export const REDRIVABLE_DAYS = 14;
/** An execution stays open at most a year (redrives included). */
const MAX_OPEN_DAYS = 365;
const TOKENS_KEPT = 10;
const TOKEN_TTL_MS = 15 * 60_000;

/** Why this execution cannot be redriven now (AWS's redriveStatusReason), or undefined if it can. */
export function redriveBlocker(
  r: ExecutionRecord,
  nowMs: number,
  machineExists: boolean,
): string | undefined {
  if (!machineExists) return "State machine is in DELETING status";
  if (r.status === "RUNNING" || r.status === "SUCCEEDED")
    return `Execution is ${r.status} and cannot be redriven`;
  if (r.history.length >= MAX_HISTORY_EVENTS - 1) return "Execution history event limit exceeded";
  if (nowMs - r.startDate.getTime() > MAX_OPEN_DAYS * DAY_MS)
    return "Execution has exceeded the max execution time";
  const closed = r.stopDate?.getTime() ?? nowMs;
  if (nowMs - closed > REDRIVABLE_DAYS * DAY_MS) return "Execution redrivable period exceeded";
  return undefined;
}

/** DescribeExecution's redrive members. */
export function redriveStatusOf(r: ExecutionRecord, nowMs: number, machineExists: boolean) {
  const reason = redriveBlocker(r, nowMs, machineExists);
  return {
    redriveCount: r.redriveCount,
    ...(r.redriveDate && { redriveDate: r.redriveDate }),
    ...(reason === undefined
      ? { redriveStatus: "REDRIVABLE" as const }
      : { redriveStatus: "NOT_REDRIVABLE" as const, redriveStatusReason: reason }),
  };
}

interface Open {
  name: string;
  input: unknown;
}

/** The state of `scope` entered last and never exited (with its input), and the last one exited. */
function lastOpen(index: DefinitionIndex, events: readonly HistoryEvent[], scope: string) {
  const inScope = (name: string | undefined): name is string =>
    name !== undefined && index.states.get(name)?.scope === scope;
  let open: Open | undefined;
  let exited: { name: string; output: unknown } | undefined;
  for (const e of events) {
    const entered = e.stateEnteredEventDetails;
    const left = e.stateExitedEventDetails;
    if (entered && inScope(entered.name))
      open = { name: entered.name, input: JSON.parse(entered.input ?? "null") };
    else if (left && inScope(left.name) && open?.name === left.name) {
      open = undefined;
      exited = { name: left.name, output: JSON.parse(left.output ?? "null") };
    }
  }
  return { open, exited };
}

/**
 * The definition with the Parallel `name`'s branches restarted: a branch that ended gives its
 * output (a Pass), one that did not starts at its unsuccessful state with that state's input.
 */
function withBranchRestarts(
  index: DefinitionIndex,
  events: readonly HistoryEvent[],
  name: string,
): Pick<ResumePoint, "definition" | "results"> {
  const def = structuredClone(index.definition);
  const results: [string, unknown][] = [];
  const parallel = def.States[name];
  const since = events.findLastIndex((e) => e.stateEnteredEventDetails?.name === name);
  const run = events.slice(since + 1);
  (parallel?.Branches ?? []).forEach((branch: AslBranch, i) => {
    const { open, exited } = lastOpen(index, run, `${ROOT_SCOPE}/${name}[${i}]`);
    const helper = `${REDRIVE_HELPER_PREFIX}${i}`;
    if (open) {
      branch.States[helper] = { Type: "Pass", Result: open.input, Next: open.name };
      // A restarted Wait reads its SecondsPath from its own input, as Step Functions does.
      const wait = index.waits.get(open.name);
      if (wait?.kind === "result") {
        const scope = index.states.get(open.name)?.scope ?? ROOT_SCOPE;
        results.push([resultKey(scope, wait.resultPath), pathValue(open.input, wait.resultPath)]);
      }
    } else if (exited && branch.States[exited.name]?.End === true) {
      branch.States[helper] = { Type: "Pass", Result: exited.output, End: true };
    } else return; // never started: from its StartAt
    branch.StartAt = helper;
  });
  return { definition: def, results };
}

/** The value at a `$.a.b` path of a JSON value. */
function pathValue(value: unknown, path: string): unknown {
  return path
    .replace(/^\$\.?/, "")
    .split(".")
    .filter(Boolean)
    .reduce<unknown>(
      (v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined),
      value,
    );
}

/** Where the run starts again: the top-level state entered and never exited, with its input. */
export function resumePoint(
  index: DefinitionIndex,
  history: readonly HistoryEvent[],
  input: string,
): ResumePoint {
  const { open, exited } = lastOpen(index, history, ROOT_SCOPE);
  if (open) {
    const point: ResumePoint = { startAt: open.name, input: open.input };
    if (index.states.get(open.name)?.type !== "Parallel") return point;
    return { ...point, ...withBranchRestarts(index, history, open.name) };
  }
  // Stopped between two states: the next one, with the output of the last one.
  const next = exited && index.states.get(exited.name)?.def.Next;
  if (exited && typeof next === "string") return { startAt: next, input: exited.output };
  return { startAt: index.definition.StartAt, input: JSON.parse(input) };
}

/** RedriveExecution: starts the redrive, or answers a repeated clientToken. */
export function redriveExecution(
  sfn: SfnState,
  arn: string,
  clientToken: string | undefined,
): { redriveDate: Date } {
  const current = sfn.executions.get(arn);
  if (!current) throw new SandboxError("ExecutionDoesNotExist", `Execution Does Not Exist: '${arn}'`);
  const old = current.record;
  const nowMs = sfn.options.scheduler.nowMs();
  const known = old.redriveTokens.find(
    (t) => t.token === clientToken && nowMs - t.firstUsedMs <= TOKEN_TTL_MS,
  );
  if (known) return { redriveDate: known.redriveDate };
  const machine = sfn.machines.get(old.stateMachineArn);
  const reason = redriveBlocker(old, nowMs, machine !== undefined);
  if (reason !== undefined || !machine) throw new SandboxError("ExecutionNotRedrivable", reason ?? "");
  const redriveDate = new Date(nowMs);
  const tokens = clientToken
    ? [...old.redriveTokens, { token: clientToken, firstUsedMs: nowMs, redriveDate }]
    : old.redriveTokens;
  const runner = new ExecutionRunner(
    {
      index: machine.index,
      scheduler: sfn.options.scheduler,
      registry: sfn.options.registry,
      region: machine.region,
      tokens: sfn.tokens,
    },
    {
      executionArn: old.executionArn,
      stateMachineArn: old.stateMachineArn,
      stateMachineName: old.stateMachineName,
      name: old.name,
      roleArn: old.roleArn,
      input: old.input,
      startDate: old.startDate,
      history: old.history,
      redriveCount: old.redriveCount + 1,
      redriveDate,
      redriveTokens: tokens.slice(-TOKENS_KEPT),
    },
    resumePoint(machine.index, old.history, old.input),
  );
  sfn.executions.set(arn, runner);
  runner.start();
  return { redriveDate };
}
