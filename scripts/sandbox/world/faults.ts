/**
 * The scenario's faults, each matched in order and consumed `times` times.
 * - call faults: checked before every call a step of drctl makes (any service, including
 *   registered ones like sfn), optionally only one step's (`step`); calls of any other client
 *   (the local runner, the AWS CLI) never match. An error fault answers the error; a hang fault
 *   answers nothing until the client gives up (its connection closes) or HANG_LIMIT_MS passed.
 * - restore faults: decided when a restore job starts (a new job, not an idempotent replay).
 * - stack faults: decided when CreateStack creates a stack.
 * - recoveryPoints faults: shape the vault at world creation.
 */
import { FUNCTIONS, type FunctionKey } from "../../../state-machines/names.js";
import { functionCredentials } from "../iam/principals.js";
import type { Fault, Scenario } from "../scenario.js";
import { type Caller, SandboxError, type ServiceName } from "../types.js";
import { faultMessage, statusFor } from "./errors.js";

/**
 * Longest a hung call waits for its client to give up, in real milliseconds (drctl's clients give
 * up after 10 s: CLIENT_TIMEOUTS in functions/shared/aws/clients.ts); then it fails as a timeout.
 */
export const HANG_LIMIT_MS = 120_000;

/** What a matching call fault does to the call. */
export type CallFaultEffect = { kind: "error"; error: SandboxError } | { kind: "hang"; index: number };

/** The step whose function signs with this access key id (undefined: not one of drctl's steps). */
const STEP_BY_KEY = new Map<string, FunctionKey>(
  FUNCTIONS.map((fn) => [functionCredentials(fn).accessKeyId, fn]),
);
export const stepOfCaller = (caller: Caller): FunctionKey | undefined =>
  caller.accessKeyId === undefined ? undefined : STEP_BY_KEY.get(caller.accessKeyId);

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
    this.entries = [];
    for (const fault of scenario.faults) this.add(fault);
  }

  /** A fault from now on, after the others (as the next entry of a scenario's `faults`). */
  add(fault: Fault): FaultState {
    const entry: FaultState = {
      index: this.entries.length,
      fault,
      used: 0,
      remaining: "times" in fault ? fault.times : Number.POSITIVE_INFINITY,
    };
    this.entries.push(entry);
    return entry;
  }

  /**
   * The first call fault matching this call of a drctl step, consumed; undefined if none, and
   * always for callers that are not a step (the local runner, the AWS CLI, in-process callers).
   */
  takeCall(
    service: ServiceName,
    operation: string,
    resources: () => ReadonlySet<string>,
    caller: Caller,
  ): CallFaultEffect | undefined {
    const step = stepOfCaller(caller);
    if (step === undefined) return undefined;
    const spec = `${service}:${operation}`;
    let found: ReadonlySet<string> | undefined;
    for (const e of this.entries) {
      const f = e.fault;
      if (!("call" in f) || e.remaining <= 0 || f.call !== spec) continue;
      if (f.step !== undefined && f.step !== step) continue;
      if (f.resource !== undefined) {
        found ??= resources();
        if (!found.has(f.resource)) continue;
      }
      this.use(e);
      if (f.hang) return { kind: "hang", index: e.index };
      const code = f.error ?? "InternalFailure";
      const status = statusFor(service, code);
      const error = new SandboxError(code, `${faultMessage(code)} (scenario fault #${e.index})`, status);
      return { kind: "error", error };
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

  /** Applies the first matching call fault: throws its error, or hangs until the client gives up. */
  async apply(
    service: ServiceName,
    operation: string,
    resources: () => ReadonlySet<string>,
    caller: Caller,
  ): Promise<void> {
    const fault = this.takeCall(service, operation, resources, caller);
    if (fault?.kind === "error") throw fault.error;
    if (fault?.kind === "hang") await FaultBook.hang(fault.index, caller);
  }

  /**
   * A hung call: settles when the client gives up (`caller.signal` aborts: its connection closed)
   * or after HANG_LIMIT_MS, then fails (nobody reads the answer of a call its client gave up on).
   */
  static hang(index: number, caller: Caller): Promise<never> {
    return new Promise<never>((_, reject) => {
      const fail = () => {
        clearTimeout(timer);
        reject(new SandboxError("RequestTimeout", `the call hung (scenario fault #${index})`, 504, "server"));
      };
      const timer = setTimeout(fail, HANG_LIMIT_MS);
      timer.unref();
      if (caller.signal?.aborted) fail();
      else caller.signal?.addEventListener("abort", fail, { once: true });
    });
  }

  private use(e: FaultState): void {
    e.used += 1;
    e.remaining -= 1;
  }
}
