/**
 * "Now" for the steps. On AWS it is the wall clock; the local sandbox runs the handlers in its own
 * process on a virtual clock and installs it here, so times the steps record (job starts,
 * integration and health-check times) are on the same clock as the sandbox's AWS APIs and the
 * execution history.
 */
let source: (() => Date) | undefined;

export const now = (): Date => (source ? source() : new Date());

/** Installs (or, with undefined, removes) the clock `now()` reads. */
export function useClock(clock: (() => Date) | undefined): void {
  source = clock;
}
