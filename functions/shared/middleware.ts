/**
 * Handler wiring shared by every step: middy, Powertools context injection, validation of the
 * event and the environment with zod, mapping of validation failures to InputInvalid, and errors
 * bounded in size (boundError) before Lambda reports them.
 */
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import type { z } from "zod";
import { describeIssues } from "./config.js";
import { loadEnv } from "./env.js";
import { boundError, DrctlError, InputInvalid } from "./errors.js";
import { logger } from "./logger.js";

export interface StepDefinition<E extends z.ZodType, V extends z.ZodType, R> {
  /** Step name, as in state-machines/names.ts (used in logs). */
  step: string;
  event: E;
  env: V;
  run: (event: z.infer<E>, env: z.infer<V>) => Promise<R>;
}

export type StepHandler<R> = (event: unknown, context: Context) => Promise<R>;

export function stepHandler<E extends z.ZodType, V extends z.ZodType, R>(
  def: StepDefinition<E, V, R>,
): StepHandler<R> {
  const base = async (event: unknown): Promise<R> => {
    const env = loadEnv(def.env);
    const parsed = def.event.safeParse(event);
    if (!parsed.success) {
      throw new InputInvalid(`${def.step} input: ${describeIssues(parsed.error, event)}`);
    }
    return def.run(parsed.data, env);
  };
  return middy(base)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use({
      before: () => {
        logger.appendKeys({ step: def.step });
      },
      onError: (request) => {
        const err = request.error;
        if (err instanceof Error) boundError(err); // what Step Functions gets as the cause
        const known = err instanceof DrctlError;
        logger.error(`${def.step} failed`, {
          errorName: err?.name,
          errorMessage: err?.message,
          known,
        });
      },
    }) as unknown as StepHandler<R>;
}

/** A minimal Lambda context for running handlers outside Lambda (local runner, tests). */
export function localContext(functionName: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: "256",
    awsRequestId: `local-${Math.random().toString(16).slice(2, 10)}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "local",
    getRemainingTimeInMillis: () => 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
