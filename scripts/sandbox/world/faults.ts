/**
 * The scenario's faults, each matched in order and consumed `times` times.
 * - call faults: checked before every call (any service, including registered ones like sfn).
 * - restore faults: decided when a restore job starts (a new job, not an idempotent replay).
 * - stack faults: decided when CreateStack creates a stack.
 * - recoveryPoints faults: shape the vault at world creation.
 */
import type { Fault, Scenario } from "../scenario.js";
import { SandboxError, type ServiceName } from "../types.js";
import { faultMessage, statusFor } from "./errors.js";

export interface FaultState {
  index: number;
  fault: Fault;
  /** How many times it fired. */
  used: number;
  /** How many times it may still fire (recoveryPoints faults: Infinity). */
  remaining: number;
}

export class FaultBook {
  readonly entries: FaultState[];

  constructor(scenario: Pick<Scenario, "faults">) {
    this.entries = scenario.faults.map((fault, index) => ({
      index,
      fault,
      used: 0,
      remaining: "times" in fault ? fault.times : Number.POSITIVE_INFINITY,
    }));
  }

  /** The error of the first call fault matching this call, consumed; undefined if none. */
  takeCall(
    service: ServiceName,
    operation: string,
    resources: ReadonlySet<string>,
  ): SandboxError | undefined {
    const spec = `${service}:${operation}`;
    for (const e of this.entries) {
      const f = e.fault;
      if (!("call" in f) || e.remaining <= 0 || f.call !== spec) continue;
      if (f.resource !== undefined && !resources.has(f.resource)) continue;
      this.use(e);
      const status = statusFor(service, f.error);
      return new SandboxError(f.error, `${faultMessage(f.error)} (scenario fault #${e.index})`, status);
    }
    return undefined;
  }

  /** The fate of a new restore job of `resource`: failure and extra running time, consumed. */
  takeRestore(resource: string): { status?: "FAILED" | "ABORTED"; message?: string; extraSeconds: number } {
    const out: { status?: "FAILED" | "ABORTED"; message?: string; extraSeconds: number } = {
      extraSeconds: 0,
    };
    let statusTaken = false;
    let slowTaken = false;
    for (const e of this.entries) {
      const f = e.fault;
      if (!("restore" in f) || f.restore !== resource || e.remaining <= 0) continue;
      if ("status" in f && !statusTaken) {
        statusTaken = true;
        out.status = f.status;
        if (f.message !== undefined) out.message = f.message;
        this.use(e);
      } else if ("extraSeconds" in f && !slowTaken) {
        slowTaken = true;
        out.extraSeconds = f.extraSeconds;
        this.use(e);
      }
    }
    return out;
  }

  /** The stack fault for a new stack created from the app stack `baseName`, consumed. */
  takeStack(baseName: string): Extract<Fault, { stack: string }> | undefined {
    for (const e of this.entries) {
      const f = e.fault;
      if (!("stack" in f) || f.stack !== baseName || e.remaining <= 0) continue;
      this.use(e);
      return f;
    }
    return undefined;
  }

  /** newestAgeMinutes override for a resource's recovery points. */
  recoveryPointsAge(resource: string): number | undefined {
    for (const e of this.entries) {
      const f = e.fault;
      if ("recoveryPoints" in f && f.recoveryPoints === resource) {
        e.used += 1;
        return f.newestAgeMinutes;
      }
    }
    return undefined;
  }

  private use(e: FaultState): void {
    e.used += 1;
    e.remaining -= 1;
  }
}
