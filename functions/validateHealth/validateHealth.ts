/**
 * ValidateHealth: the DR stack's health URL (a stack output) must answer 2xx/3xx within a few
 * seconds. Anything else is AppUnhealthy, which the state machine retries for a while (the app
 * needs time to start on restored data) before it gives up.
 */

import * as z from "zod";
import type { CloudFormationApi } from "../shared/aws/cloudformation.js";
import type { AppConfig } from "../shared/config.js";
import { AppUnhealthy, NotFound } from "../shared/errors.js";
import { logger } from "../shared/logger.js";
import { type HealthResult, RunContext, StackState } from "../shared/types.js";

export const ValidateHealthEvent = z.object({ run: RunContext, stack: StackState });
export type ValidateHealthEvent = z.infer<typeof ValidateHealthEvent>;

/** GET `url`; resolves with the HTTP status (redirects not followed), rejects on no answer. */
export type HttpProbe = (url: string, timeoutMs: number) => Promise<number>;

export interface ValidateHealthDeps {
  config: AppConfig;
  /** CloudFormation in the recovery region (the DR stack's outputs). */
  cloudformation: CloudFormationApi;
  probe: HttpProbe;
  timeoutMs: number;
  now: () => Date;
}

export const HEALTH_TIMEOUT_MS = 5000;

export const fetchProbe: HttpProbe = async (url, timeoutMs) => {
  const res = await fetch(url, { method: "GET", redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
  await res.body?.cancel();
  return res.status;
};

export async function validateHealth(
  event: ValidateHealthEvent,
  deps: ValidateHealthDeps,
): Promise<HealthResult> {
  const { run, stack: deployed } = event;
  const { config } = deps;
  const output = config.stack.healthUrlOutput;
  const stack = await deps.cloudformation.describeStack(deployed.stackId);
  if (!stack) throw new NotFound(`stack ${run.stackName} (${deployed.stackId}) does not exist`);
  // DescribeStacks by stack id still answers a deleted stack, with status DELETE_COMPLETE.
  if (stack.status.startsWith("DELETE_")) {
    throw new NotFound(
      `stack ${run.stackName} (${deployed.stackId}) was deleted (${stack.status}): no app to validate`,
    );
  }
  const url = stack.outputs[output];
  if (!url) {
    const known = Object.keys(stack.outputs).join(", ") || "none";
    throw new NotFound(
      `stack ${stack.name} has no output ${output} (config stack.healthUrlOutput); outputs: ${known}`,
    );
  }
  const { timeoutMs } = deps;
  let status: number;
  try {
    status = await deps.probe(url, timeoutMs);
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const why =
      e.name === "TimeoutError"
        ? `no answer within ${timeoutMs} ms`
        : (e.cause?.code ?? e.cause?.message ?? e.message);
    throw new AppUnhealthy(`${url}: ${why}`);
  }
  if (status < 200 || status > 399) throw new AppUnhealthy(`${url} answered HTTP ${status}`);
  const result: HealthResult = { url, status, checkedAt: deps.now().toISOString() };
  logger.info("healthy", { ...result });
  return result;
}
