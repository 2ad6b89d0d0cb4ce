/** What one cleanup round did: deletions started, leftovers, and what is still pending. */
import { AwsCallFailed } from "../shared/errors.js";

export class Ledger {
  readonly deleted = new Set<string>();
  readonly leftovers: string[] = [];
  readonly pending: string[] = [];
  /** Expected seconds until each pending item is over (undefined = unknown), for the next wait. */
  readonly remaining: (number | undefined)[] = [];

  wait(what: string, remainingSeconds?: number): void {
    this.pending.push(what);
    this.remaining.push(remainingSeconds);
  }

  leftover(what: string): void {
    this.leftovers.push(what);
  }

  /**
   * Runs one delete call. A refusal AWS will keep giving (AwsCallFailed) makes `label` a leftover
   * with the reason; transient errors propagate (the state machine retries the whole round).
   */
  async attempt(label: string, call: () => Promise<unknown>): Promise<boolean> {
    if (!(await this.call(label, call))) return false;
    this.deleted.add(label);
    return true;
  }

  /** Runs a call that prepares a delete (tagging): failures as for attempt, nothing is deleted. */
  async call(label: string, call: () => Promise<unknown>): Promise<boolean> {
    try {
      await call();
      return true;
    } catch (err) {
      if (err instanceof AwsCallFailed) {
        this.leftover(`${label}: ${err.message}`);
        return false;
      }
      throw err;
    }
  }
}
