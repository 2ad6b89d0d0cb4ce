/**
 * ResolveStoppedRun: the first step of an execution started with `{"cleanupOf": <execution ARN>}`
 * (the EventBridge rule on "Step Functions Execution Status Change" ABORTED / TIMED_OUT / FAILED,
 * or `drctl cleanup`). It decides what the stopped execution's run still needs, from that
 * execution's own description and history (so it works wherever the run stopped):
 * - cleanup: a drill (not a dry run): the Cleanup loop, then the final report (which releases the
 *   lock if that run holds it) and a notification;
 * - report: a failover or a dry run: nothing is deleted; the final report marks the run stopped,
 *   the lock is released if that run holds it, and people are notified;
 * - unlock: the run stopped before ValidateInput returned (nothing was created): the lock is
 *   released here if that execution holds it, and people are notified;
 * - none: nothing to do (still running, succeeded, a FAILED run whose failure path finished, or
 *   itself a cleanup run: a cleanup is reported and notified, never cleaned up in turn).
 * Its result replaces the whole state: `{aftermath, run?, failure?, ...the stopped run's state}`.
 */
import * as z from "zod";
import { recoveryDefinition } from "../../state-machines/recovery.asl.js";
import type { ExecutionsApi } from "../shared/aws/sfn.js";
import type { SsmApi } from "../shared/aws/ssm.js";
import { InputInvalid } from "../shared/errors.js";
import { releaseLock } from "../shared/lock.js";
import { logger } from "../shared/logger.js";
import type { StateSnapshot } from "../shared/report/state.js";
import type { Failure, RunContext } from "../shared/types.js";
import { failurePathFinished, lastSnapshot, lastStateEntered, runFromHistory } from "./stopped-run.js";

const EXECUTION_ARN = /^arn:aws[\w-]*:states:[a-z0-9-]+:\d{12}:execution:([^:]+):[^:]+$/;
export const AFTERMATH_TRIGGERS = ["execution-status-change", "manual"] as const;

/** The execution input that asks for the aftermath of another execution. */
export const CleanupOfInput = z
  .object({
    cleanupOf: z.string().regex(EXECUTION_ARN, "an execution ARN of this state machine"),
    trigger: z.enum(AFTERMATH_TRIGGERS).default("manual"),
  })
  .strict();

export const AftermathEvent = z.object({
  request: z.unknown(),
  execution: z.object({ id: z.string() }),
});
export type AftermathEvent = z.infer<typeof AftermathEvent>;

export const AFTERMATH_ACTIONS = ["cleanup", "report", "unlock", "none"] as const;
export type AftermathAction = (typeof AFTERMATH_ACTIONS)[number];

export interface Aftermath {
  of: string;
  status: string;
  action: AftermathAction;
  reason: string;
  lastState?: string;
}

export type AftermathResult = Partial<StateSnapshot> & {
  aftermath: Aftermath;
  run?: RunContext;
  failure?: Failure;
};

export interface AftermathDeps {
  executions: ExecutionsApi;
  /** SSM in the orchestrator's region (where the lock lives). */
  ssm: SsmApi;
  defaultApp: string;
}

/** History events read from each end: ValidateInput's exit is early, the failure path late. */
const PAGE = 100;
/** Longest cause a stopped run's failure carries (the stop's own cause is cut, never the input). */
export const MAX_CAUSE = 1000;
const TOP_LEVEL = new Set(Object.keys(recoveryDefinition().States));
/** The parts of the stopped run's last state the report and the notification read. */
const CARRIED = ["detect", "plan", "recovery", "integration", "health", "dns", "cleanup"] as const;

const ERROR_OF: Record<string, string> = {
  ABORTED: "ExecutionAborted",
  TIMED_OUT: "ExecutionTimedOut",
  FAILED: "ExecutionFailed",
};

const cut = (text: string) => (text.length > MAX_CAUSE ? `${text.slice(0, MAX_CAUSE - 1)}…` : text);

export async function aftermath(event: AftermathEvent, deps: AftermathDeps): Promise<AftermathResult> {
  const parsed = CleanupOfInput.safeParse(event.request);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new InputInvalid(`cleanupOf input: ${cut(fields.join("; "))}`);
  }
  const of = parsed.data.cleanupOf;
  const machine = EXECUTION_ARN.exec(of)?.[1];
  const own = EXECUTION_ARN.exec(event.execution.id)?.[1];
  if (own !== undefined && machine !== own) {
    throw new InputInvalid(`cleanupOf: ${of} is not an execution of this state machine (${own})`);
  }
  const none = (status: string, reason: string): AftermathResult => {
    logger.info("nothing to do for the stopped execution", { of, status, reason });
    return { aftermath: { of, status, action: "none", reason } };
  };
  if (of === event.execution.id) return none("RUNNING", "an execution does not clean up after itself");
  const facts = await deps.executions.describeExecution(of);
  if (!facts) throw new InputInvalid(`cleanupOf: execution ${of} does not exist`);
  const { status } = facts;
  if (status === "RUNNING") return none(status, "still running: it cleans up after itself");
  if (status === "SUCCEEDED") return none(status, "it succeeded");
  if (isCleanupRun(facts.input)) {
    return none(status, "a cleanup run is reported and notified, never cleaned up in turn");
  }
  const [oldest, newest] = await Promise.all([
    deps.executions.historyPage(of, { newestFirst: false, max: PAGE }),
    deps.executions.historyPage(of, { newestFirst: true, max: PAGE }),
  ]);
  if (status === "FAILED" && failurePathFinished(newest)) {
    return none(status, "its failure path finished: report written, lock released");
  }
  const run = runFromHistory(oldest);
  const lastState = lastStateEntered(newest);
  const snapshot = lastSnapshot(newest, TOP_LEVEL);
  const stop = `the execution ended ${status}${lastState ? ` in ${lastState}` : ""}${
    facts.stopDate ? ` at ${facts.stopDate.toISOString()}` : ""
  }${facts.error ? ` (${facts.error}${facts.cause ? `: ${facts.cause}` : ""})` : ""}`;
  const earlier = snapshot?.failure;
  const failure: Failure = earlier
    ? {
        step: earlier.step,
        error: { Error: earlier.error.Error, Cause: cut(`${earlier.error.Cause ?? ""}; then ${stop}`) },
      }
    : { step: lastState ?? "ValidateInput", error: { Error: ERROR_OF[status] ?? status, Cause: cut(stop) } };
  const aftermath: Aftermath = { of, status, action: "none", reason: "", ...(lastState && { lastState }) };

  if (!run) {
    const app = appOf(facts.input) ?? deps.defaultApp;
    const released = await releaseLock(deps.ssm, app, of);
    aftermath.action = "unlock";
    aftermath.reason = `stopped before ValidateInput returned: nothing was created; lock ${released ? "released" : "not held by it"}`;
    logger.info("stopped before the run started", { aftermath });
    return { aftermath, failure };
  }
  const carried = Object.fromEntries(CARRIED.flatMap((k) => (snapshot?.[k] ? [[k, snapshot[k]]] : [])));
  const drill = run.mode === "drill" && !run.dryRun;
  aftermath.action = drill ? "cleanup" : "report";
  aftermath.reason = drill
    ? "a drill: delete what it created, then the final report releases its lock"
    : `a ${run.dryRun ? "dry run" : "failover"}: nothing is deleted; the final report marks it stopped and releases its lock`;
  logger.info("aftermath of a stopped run", { aftermath, run: run.name });
  return { ...carried, aftermath, run, failure };
}

function inputObject(input: string | undefined): Record<string, unknown> | undefined {
  if (input === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(input);
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

const isCleanupRun = (input: string | undefined) => inputObject(input)?.cleanupOf !== undefined;

function appOf(input: string | undefined): string | undefined {
  const app = inputObject(input)?.app;
  return typeof app === "string" && /^[a-z0-9-]{1,64}$/.test(app) ? app : undefined;
}
