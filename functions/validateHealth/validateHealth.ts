/**
 * ValidateHealth: the DR stack's health URL (a stack output) must answer 2xx/3xx within a few
 * seconds. Anything else is AppUnhealthy, which the state machine retries for a while (the app
 * needs time to start on restored data) before it gives up.
 */

import * as z from "zod";
import { type ArtifactStore, loadConfig } from "../shared/artifacts.js";
import type { CloudFormationApi } from "../shared/aws/cloudformation.js";
import { now as clockNow } from "../shared/clock.js";
import { AppUnhealthy, NotFound } from "../shared/errors.js";
import { logger } from "../shared/logger.js";
import { type HealthResult, RunContext, StackState } from "../shared/types.js";

export const ValidateHealthEvent = z.object({ run: RunContext, stack: StackState });
export type ValidateHealthEvent = z.infer<typeof ValidateHealthEvent>;

/** GET `url`; resolves with the HTTP status (redirects not followed), rejects on no answer. */
export type HttpProbe = (url: string, timeoutMs: number) => Promise<number>;

export interface ValidateHealthDeps {
  store: ArtifactStore;
  cloudformation: CloudFormationApi;
  probe?: HttpProbe;
  timeoutMs?: number;
  now?: () => Date;
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
  const config = await loadConfig(deps.store, run);
  const output = config.stack.healthUrlOutput;
  const stack = await deps.cloudformation.describeStack(deployed.stackId);
  if (!stack) throw new NotFound(`stack ${run.stackName} (${deployed.stackId}) does not exist`);
  const url = stack.outputs[output];
  if (!url) {
    const known = Object.keys(stack.outputs).join(", ") || "none";
    throw new NotFound(
      `stack ${stack.name} has no output ${output} (config stack.healthUrlOutput); outputs: ${known}`,
    );
  }
  const timeoutMs = deps.timeoutMs ?? HEALTH_TIMEOUT_MS;
  let status: number;
  try {
    status = await (deps.probe ?? fetchProbe)(url, timeoutMs);
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const why =
      e.name === "TimeoutError"
        ? `no answer within ${timeoutMs} ms`
        : (e.cause?.code ?? e.cause?.message ?? e.message);
    throw new AppUnhealthy(`${url}: ${why}`);
  }
  if (status < 200 || status > 399) throw new AppUnhealthy(`${url} answered HTTP ${status}`);
  const result: HealthResult = { url, status, checkedAt: (deps.now?.() ?? clockNow()).toISOString() };
  logger.info("healthy", { ...result });
  return result;
}
