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

/** True when the state's Retry or Catch names this error itself (States.ALL does not count). */
export function namesError(def: AslState | undefined, error: string): boolean {
  const catchers = Array.isArray(def?.Catch) ? (def.Catch as { ErrorEquals?: string[] }[]) : [];
  return [...(def?.Retry ?? []), ...catchers].some((r) => r.ErrorEquals?.includes(error) ?? false);
}
