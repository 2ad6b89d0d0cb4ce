/**
 * One callback Task (`<integration>.waitForTaskToken`) of an execution: its token (issued before
 * Parameters resolve `$$.Task.Token`), its TimeoutSeconds / TimeoutSecondsPath and HeartbeatSeconds
 * / HeartbeatSecondsPath (read from the state input, as Step Functions reads the *Path fields), and
 * the wait after the integration call: TaskSubmitted (the call's response), then the answer.
 */
import type { AslState } from "./definition.js";
import { CALLBACK } from "./definition.js";
import type { Scheduler } from "./scheduler.js";
import type { TaskEvent, TaskEvents } from "./task-events.js";
import { named, never } from "./task-support.js";
import { CallbackFailure, type TaskTokens } from "./task-tokens.js";

export interface CallbackTask {
  token: string;
  timeoutSeconds: number | undefined;
  heartbeatSeconds: number | undefined;
}

/** A positive integer at a `$.a.b` path of the state input (States.Runtime otherwise, as AWS fails). */
function secondsAt(input: unknown, path: string, field: string): number {
  const value = path
    .replace(/^\$\.?/, "")
    .split(".")
    .filter(Boolean)
    .reduce<unknown>(
      (v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined),
      input,
    );
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    throw named(
      "States.Runtime",
      `${field} '${path}' does not point to a positive integer (got ${JSON.stringify(value)})`,
    );
  }
  return value;
}

const seconds = (
  def: AslState,
  input: unknown,
  field: "TimeoutSeconds" | "HeartbeatSeconds",
): number | undefined => {
  const path = def[`${field}Path`];
  if (typeof path === "string") return secondsAt(input, path, `${field}Path`);
  const fixed = def[field];
  return typeof fixed === "number" ? fixed : undefined;
};

/** The callback of a Task state, with a fresh token; undefined for a Task that does not wait. */
export function callbackOf(
  def: AslState,
  stateInput: unknown,
  tokens: TaskTokens,
  where: { executionArn: string; stateName: string; region: string },
): CallbackTask | undefined {
  if (!CALLBACK.test(def.Resource ?? "")) return undefined;
  return {
    timeoutSeconds: seconds(def, stateInput, "TimeoutSeconds"),
    heartbeatSeconds: seconds(def, stateInput, "HeartbeatSeconds"),
    token: tokens.issue(where.executionArn, where.stateName, where.region),
  };
}

/**
 * The integration call, then TaskSubmitted (its response), then the answer's output, or the
 * answer's error (SendTaskFailure), States.Timeout / States.HeartbeatTimeout; never settles when
 * the execution stopped meanwhile. The thread is idle while it waits (the clock may move on). A
 * failed call closes the token (its task never started waiting).
 */
export async function awaitCallback(
  cb: CallbackTask,
  invoke: () => Promise<string>,
  deps: { tokens: TaskTokens; scheduler: Scheduler; startedAtMs: number },
  events: TaskEvents,
  write: (e: TaskEvent) => void,
): Promise<string> {
  let response: string;
  try {
    response = await invoke();
  } catch (e) {
    deps.tokens.discard(cb.token);
    throw e;
  }
  write(events.submitted(response));
  const deadline = cb.timeoutSeconds === undefined ? undefined : deps.startedAtMs + cb.timeoutSeconds * 1000;
  deps.scheduler.exit();
  let outcome: Awaited<ReturnType<TaskTokens["wait"]>>;
  try {
    outcome = await deps.tokens.wait(cb.token, deadline, cb.heartbeatSeconds);
  } finally {
    deps.scheduler.enter();
  }
  switch (outcome.kind) {
    case "success":
      return outcome.output;
    case "failure":
      throw new CallbackFailure(outcome.error, outcome.cause);
    case "timeout":
      throw named(outcome.error, "");
    case "closed":
      return never();
  }
}
