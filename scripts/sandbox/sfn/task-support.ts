/**
 * Small pieces of the SFN emulation's Task handling: Lambda errors as Step Functions reports them,
 * the Context Object and the fix for $$ references, deterministic FULL jitter, and text helpers.
 */
import type { AslRetrier } from "./definition.js";
import { matchesError } from "./limits.js";

/** An error as Step Functions reports a Lambda function error: name kept, Cause = Lambda's JSON. */
export class TaskError extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

export function lambdaErrorCause(e: unknown): { name: string; cause: string } {
  const err = e instanceof Error ? e : new Error(String(e));
  const name = err.name || "Error";
  const trace = (err.stack ?? `${name}: ${err.message}`).split("\n").slice(0, 12);
  return {
    name,
    cause: JSON.stringify({ errorType: name, errorMessage: err.message, trace }),
  };
}

export function resultKey(scope: string, resultPath: string): string {
  return `${scope}\u0000${resultPath}`;
}

export function never(): Promise<never> {
  return new Promise<never>(() => undefined);
}

export function named(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

export function causeText(cause: unknown): string {
  if (cause === undefined || cause === null) return "";
  if (typeof cause === "string") return cause;
  if (cause instanceof Error) return cause.message;
  return JSON.stringify(cause);
}

/** Deterministic stand-in for FULL jitter's random factor, so a scenario replays identically. */
/**
 * Mirrors Step Functions' retrier selection: the interval in ms of the first retrier matching
 * `error` that has attempts left (counted in `attempts`), or undefined (no retry).
 */
export function retryDelay(
  retriers: readonly AslRetrier[],
  attempts: number[],
  error: string,
  jitterKey: string,
): number | undefined {
  for (let i = 0; i < retriers.length; i++) {
    const r = retriers[i] as AslRetrier;
    if (!matchesError(r.ErrorEquals, error)) continue;
    const made = attempts[i] ?? 0;
    if (made >= (r.MaxAttempts ?? 3)) return undefined;
    attempts[i] = made + 1;
    let seconds = (r.IntervalSeconds ?? 1) * (r.BackoffRate ?? 2) ** made;
    if (r.MaxDelaySeconds !== undefined) seconds = Math.min(seconds, r.MaxDelaySeconds);
    if (r.JitterStrategy === "FULL") seconds *= jitterFraction(`${jitterKey}|${i}|${made}`);
    return seconds * 1000;
  }
  return undefined;
}

export function jitterFraction(seed: string): number {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return ((h >>> 0) % 10_000) / 10_000;
}

/**
 * aws-local-stepfunctions fills `$$.Execution.StartTime` with the wall clock; Step Functions gives
 * the execution's start. Re-resolves every `$$.` reference of a Task's Parameters against the
 * emulation's own Context Object (virtual start time, execution id and name).
 */
export function fixContextReferences(
  template: unknown,
  value: unknown,
  ctx: Record<string, unknown>,
): unknown {
  if (Array.isArray(template) && Array.isArray(value)) {
    template.forEach((t, i) => {
      value[i] = fixContextReferences(t, value[i], ctx);
    });
    return value;
  }
  if (!isObject(template) || !isObject(value)) return value;
  for (const [k, v] of Object.entries(template)) {
    if (k.endsWith(".$") && typeof v === "string" && v.startsWith("$$.")) {
      const resolved = v
        .slice(3)
        .split(".")
        .reduce<unknown>((o, seg) => (isObject(o) ? o[seg] : undefined), ctx);
      if (resolved !== undefined) value[k.slice(0, -2)] = resolved;
    } else if (typeof v === "object" && v !== null) {
      value[k] = fixContextReferences(v, value[k], ctx);
    }
  }
  return value;
}

/** The Context Object (`$$`) of an execution, and of the state it is in. */
export function contextObjectOf(
  r: {
    executionArn: string;
    name: string;
    startDate: Date;
    input: string;
    roleArn: string;
    stateMachineArn: string;
    stateMachineName: string;
    redriveCount: number;
    redriveDate?: Date;
  },
  stateName: string | undefined,
  enteredAtMs: number,
  retryCount: number,
  /** A callback Task's token (`$$.Task.Token`). */
  taskToken?: string,
): Record<string, unknown> {
  const ctx: Record<string, unknown> = {
    Execution: {
      Id: r.executionArn,
      Name: r.name,
      StartTime: r.startDate.toISOString(),
      Input: JSON.parse(r.input),
      RoleArn: r.roleArn,
      RedriveCount: r.redriveCount,
      ...(r.redriveDate && { RedriveTime: r.redriveDate.toISOString() }),
    },
    StateMachine: { Id: r.stateMachineArn, Name: r.stateMachineName },
  };
  if (stateName) {
    ctx.State = { Name: stateName, EnteredTime: new Date(enteredAtMs).toISOString(), RetryCount: retryCount };
  }
  // The engine resolves `$$.Task.Token` once per run (a stand-in); fixContextReferences sets the token.
  ctx.Task = { Token: taskToken ?? "(task token: issued by the emulation for .waitForTaskToken Tasks)" };
  return ctx;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
