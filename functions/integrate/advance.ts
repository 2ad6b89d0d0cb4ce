/**
 * One resource's tick within an Integrate invocation: marks it DONE or IN_PROGRESS, notes when it
 * wants its next look (checkAfter), and enforces the time limit; and whether the DR stack is
 * there to act on.
 */
import { USABLE } from "../deployStack/adopt.js";
import type { CloudFormationApi } from "../shared/aws/cloudformation.js";
import { AwsCallFailed, IntegrationFailed, TagNotYetEffective } from "../shared/errors.js";
import type { JobsDocument, RunContext, StackState } from "../shared/types.js";
import { adaptiveWait } from "../shared/waits.js";
import { type Target, type Tick, type TickContext, tick } from "./integrators.js";
import { TAG_SETTLE_SECONDS, wait as waitFor } from "./tick.js";

/** A resource still not integrated this long after it started → IntegrationFailed. */
export const INTEGRATION_TIMEOUT_SECONDS = 2 * 3600;
/** How long a waiting resource is left alone, from the integrator's guess of the time it still needs. */
export const WAITS = { minSeconds: 5, maxSeconds: 120, unknownSeconds: 15, soonSeconds: 20 };

/** One tick of one resource whose restore job has COMPLETED. */
export async function advance(ctx: TickContext, t: Target, jobs: JobsDocument, now: Date): Promise<Tick> {
  const job = jobs.jobs.find((j) => j.name === t.plan.name);
  if (job?.status !== "COMPLETED" || !job.createdResourceArn) {
    const state = job ? `restore job ${job.restoreJobId} is ${job.status}` : "no restore job was started";
    throw new IntegrationFailed(`${t.plan.name} (${t.plan.type}): ${state}; nothing to integrate`);
  }
  t.record.startedAt ??= now.toISOString();
  let result: Tick;
  try {
    result = await tick(ctx, t, job.createdResourceArn);
  } catch (err) {
    // Refused right after drctl tagged it: this resource looks again in a few seconds, the others go on.
    if (err instanceof TagNotYetEffective)
      result = waitFor("drctl's new tags to count in IAM conditions", TAG_SETTLE_SECONDS);
    // An AWS refusal that retrying will not heal (access, validation, quota, state): name the resource.
    else if (err instanceof AwsCallFailed) {
      throw new IntegrationFailed(`${t.plan.name} (${t.plan.type}): ${err.message}`);
    } else throw err;
  }
  delete t.record.checkAfter;
  if (result.done) {
    t.record.status = "DONE";
    t.record.integratedAt = now.toISOString();
    return result;
  }
  t.record.status = "IN_PROGRESS";
  if (result.onStack) {
    t.record.waitingForStack = true;
    return result;
  }
  if (t.record.waitingForStack) {
    // The time limit counts from when the stack let it go on.
    t.record.waitingForStack = false;
    t.record.startedAt = now.toISOString();
  }
  const elapsed = (now.getTime() - Date.parse(t.record.startedAt)) / 1000;
  if (elapsed > INTEGRATION_TIMEOUT_SECONDS) {
    throw new IntegrationFailed(
      `${t.plan.name} (${t.plan.type}): not integrated ${Math.round(elapsed / 60)} minutes after it started; ` +
        `still waiting for ${result.waitingFor}`,
    );
  }
  const wait = adaptiveWait([result.remainingSeconds], WAITS);
  t.record.checkAfter = new Date(now.getTime() + wait * 1000).toISOString();
  t.record.lookedAt = now.toISOString();
  return result;
}

/**
 * Whether the DR stack is there to act on: the Recover parallel's result once it is known;
 * alongside the restores, the run's stack as CloudFormation shows it, usable, unless the run
 * replaces a stack (until the new one exists, the name shows the stack being deleted).
 */
export async function stackDeployed(
  run: RunContext,
  stack: StackState | undefined,
  cloudformation: CloudFormationApi,
): Promise<boolean> {
  if (stack) return stack.done;
  if (run.replaceStack) return false;
  const found = await cloudformation.describeStack(run.stackName);
  return found !== undefined && USABLE.has(found.status);
}
