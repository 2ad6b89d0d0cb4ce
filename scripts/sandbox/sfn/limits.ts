/**
 * Step Functions quotas the emulation enforces, as AWS does:
 * - 256 KiB per execution input, state input (after Parameters), state output and task result:
 *   States.DataLimitExceeded, a terminal error that States.ALL does not catch (a catcher or
 *   retrier naming it does);
 * - 25,000 events per execution history: when event 25,000 would not be ExecutionSucceeded, it is
 *   ExecutionFailed with States.Runtime instead.
 */
import type { AslState } from "./definition.js";

/** Largest execution input, state input/output or task result (bytes of UTF-8 JSON). */
export const MAX_PAYLOAD_BYTES = 262_144;
/** Events one execution history holds. */
export const MAX_HISTORY_EVENTS = 25_000;

export const DATA_LIMIT_EXCEEDED = "States.DataLimitExceeded";
export const HISTORY_LIMIT = {
  error: "States.Runtime",
  cause: `The execution reached the maximum number of history events (${MAX_HISTORY_EVENTS}).`,
};

export const tooLarge = (json: string): boolean => Buffer.byteLength(json) > MAX_PAYLOAD_BYTES;

export const dataLimitCause = (state: string): string =>
  `The state/task '${state}' returned a result with a size exceeding the maximum number of bytes service limit.`;

/**
 * Whether a retrier's or catcher's ErrorEquals matches an error as Step Functions matches it: the
 * error's own name; States.ALL any error but the terminal States.DataLimitExceeded;
 * States.TaskFailed any error but States.Timeout (and the terminal one).
 */
export function matchesError(errorEquals: readonly string[], error: string): boolean {
  const terminal = error === DATA_LIMIT_EXCEEDED;
  return errorEquals.some(
    (e) =>
      e === error ||
      (!terminal && e === "States.ALL") ||
      (!terminal && e === "States.TaskFailed" && error !== "States.Timeout"),
  );
}

const catchersOf = (def: AslState | undefined): { ErrorEquals?: string[] }[] =>
  Array.isArray(def?.Catch) ? (def.Catch as { ErrorEquals?: string[] }[]) : [];

/** Whether Step Functions would retry or catch this error at this state. */
export function handling(
  def: AslState | undefined,
  error: string,
): { isRetryable: boolean; isCatchable: boolean } {
  return {
    isRetryable: (def?.Retry ?? []).some((r) => matchesError(r.ErrorEquals, error)),
    isCatchable: catchersOf(def).some((c) => matchesError(c.ErrorEquals ?? [], error)),
  };
}

/**
 * Makes the engine pick a failed Task's retrier and catcher as Step Functions does. The engine
 * reads `isRetryable` once per retrier of the failing state, in order, until one matches by its
 * own (looser) rules, then `isCatchable` once per catcher likewise; each read answers whether that
 * retrier or catcher matches by Step Functions' rules. Reads after the state's own (an enclosing
 * Parallel deciding on the same error) get no answer: the engine's defaults apply there.
 */
export function withStepFunctionsMatching<E extends Error>(
  err: E,
  def: AslState | undefined,
  error: string,
): E {
  const retriers = (def?.Retry ?? []).map((r) => matchesError(r.ErrorEquals, error));
  const catchers = catchersOf(def).map((c) => matchesError(c.ErrorEquals ?? [], error));
  let phase: "retry" | "catch" | "done" = retriers.length > 0 ? "retry" : "catch";
  if (phase === "catch" && catchers.length === 0) phase = "done";
  let r = 0;
  let c = 0;
  const answer = (list: boolean[], at: number, next: "catch" | "done"): boolean | undefined => {
    const matched = list[at];
    if (matched === true || at + 1 >= list.length)
      phase = next === "catch" && catchers.length === 0 ? "done" : next;
    return matched;
  };
  Object.defineProperty(err, "isRetryable", {
    get: () => (phase === "retry" ? answer(retriers, r++, "catch") : undefined),
  });
  Object.defineProperty(err, "isCatchable", {
    get: () => {
      if (phase === "retry") phase = catchers.length > 0 ? "catch" : "done";
      return phase === "catch" ? answer(catchers, c++, "done") : undefined;
    },
  });
  return err;
}
