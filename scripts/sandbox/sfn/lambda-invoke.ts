/**
 * One Lambda invocation of a Task, as the Lambda service and Step Functions run it. The handler
 * runs to its own end. The Task waits for it at most TimeoutSeconds of wall time (a handler's run
 * time is real time, also on a paced clock; a Task without TimeoutSeconds has no timeout, as the
 * States Language sets none by default) and then fails with States.Timeout while the
 * invocation goes on: Step Functions does not stop a Lambda invocation its Task gave up on, so its
 * side effects still land and its result is discarded, and a retry runs alongside it.
 */
import { LAMBDA_INVOKE } from "./definition.js";
import type { LambdaRegistry } from "./lambda-registry.js";
import { named } from "./task-support.js";

/**
 * A function's own timeout beyond its Task's TimeoutSeconds: drctl's CDK construct gives every
 * function TimeoutSeconds + 30 s (TIMEOUT_MARGIN_SECONDS, infra/constructs/step-function.ts), so
 * that States.Timeout comes first. Lambda ends the invocation there.
 */
export const LAMBDA_TIMEOUT_MARGIN_SECONDS = 30;

export type InvokeOutcome =
  | { kind: "result"; output: string }
  | { kind: "error"; error: unknown }
  | { kind: "timeout" };

export interface Invocation {
  /** What the Task sees: the result, the error, or the timeout (whichever comes first). */
  outcome: Promise<InvokeOutcome>;
  /** Settles when the handler itself has returned or thrown (after `outcome` when it timed out). */
  settled: Promise<void>;
}

/** Invokes the Task's function with its effective input (`Parameters` applied). */
export function invokeLambda(
  registry: LambdaRegistry,
  resource: string,
  input: unknown,
  /** The Task's TimeoutSeconds in ms; none: the Task waits as long as the function runs. */
  timeoutMs: number | undefined,
): Invocation {
  const invoke = LAMBDA_INVOKE.test(resource);
  const target = invoke ? String((input as { FunctionName?: unknown } | null)?.FunctionName ?? "") : resource;
  const run = (async () => {
    const load = registry.resolve(target);
    if (!load) {
      throw named(
        "Lambda.ResourceNotFoundException",
        `Function not found: ${target || resource} (no local handler is registered for it in the sandbox)`,
      );
    }
    const handler = await load();
    const payload = invoke ? (input as { Payload?: unknown }).Payload : input;
    const returned = await handler(structuredClone(payload ?? {}));
    const result = invoke
      ? {
          ExecutedVersion: "$LATEST",
          Payload: returned ?? null,
          SdkHttpMetadata: { HttpStatusCode: 200 },
          StatusCode: 200,
        }
      : returned;
    return JSON.stringify(result === undefined ? null : result);
  })();
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<InvokeOutcome>((resolve) => {
    if (timeoutMs !== undefined) timer = setTimeout(() => resolve({ kind: "timeout" }), timeoutMs);
  });
  const finished = run.then(
    (output): InvokeOutcome => ({ kind: "result", output }),
    (error: unknown): InvokeOutcome => ({ kind: "error", error }),
  );
  const outcome = Promise.race([finished, timeout]).finally(() => clearTimeout(timer));
  return { outcome, settled };
}
