/**
 * Integrate: makes the restored resources usable by the DR stack, in dependsOn order (a resource
 * starts only when everything it depends on is DONE). One invocation advances whatever it can
 * without blocking (starts actions, checks pending ones), saves the integration document and
 * returns how far it got; the state machine waits `waitSeconds` and calls it again.
 *
 * Two places call it. Alongside the restores (no `recovery.stack`: the stack is still being
 * deployed), it integrates each resource whose restore job has COMPLETED, as soon as it has, up to
 * the first action on the stack's instances (attach, mount), so a slow step such as the instance
 * an Aurora cluster needs runs while other restores go on. After the Recover parallel (the stack
 * deployed, every restore COMPLETED), it finishes everything.
 */

import * as z from "zod";
import { USABLE } from "../deployStack/adopt.js";
import { type ArtifactStore, runKeys } from "../shared/artifacts.js";
import type { CloudFormationApi } from "../shared/aws/cloudformation.js";
import type { Subnet } from "../shared/aws/ec2.js";
import { mapLimitSettled, topoOrder } from "../shared/collections.js";
import type { AppConfig } from "../shared/config.js";
import { AwsCallFailed, IntegrationFailed } from "../shared/errors.js";
import { logger } from "../shared/logger.js";
import { withObservedOrPlain } from "../shared/observed.js";
import { parseRestoredArn } from "../shared/restored.js";
import { saveIntegration } from "../shared/run-documents.js";
import {
  IntegrationDocument,
  type IntegrationProgress,
  type IntegrationRecord,
  JobsDocument,
  PlanDocument,
  PlanSummary,
  RestoreProgress,
  RunContext,
  runTags,
  StackState,
} from "../shared/types.js";
import { adaptiveWait } from "../shared/waits.js";
import {
  clusterInstanceId,
  type IntegrationApis,
  type Target,
  type Tick,
  type TickContext,
  tick,
} from "./integrators.js";

export const IntegrateEvent = z.object({
  run: RunContext,
  /** `stack`: the deployed DR stack; absent alongside the restores (see the file's comment). */
  recovery: z.object({ stack: StackState.optional(), plan: PlanSummary, restores: RestoreProgress }),
});
export type IntegrateEvent = z.infer<typeof IntegrateEvent>;

export interface IntegrateDeps extends IntegrationApis {
  /** The DR stack's status, alongside the restores. */
  cloudformation: CloudFormationApi;
  config: AppConfig;
  store: ArtifactStore;
  now: () => Date;
}

/** A resource still not integrated this long after it started → IntegrationFailed. */
export const INTEGRATION_TIMEOUT_SECONDS = 2 * 3600;
/** Resources advanced concurrently within one wave. */
const CONCURRENCY = 8;
const WAITS = { minSeconds: 5, maxSeconds: 120, unknownSeconds: 15, soonSeconds: 20 };

export async function integrate(event: IntegrateEvent, deps: IntegrateDeps): Promise<IntegrationProgress> {
  const { run, recovery } = event;
  const alongside = recovery.stack === undefined;
  const now = deps.now();
  const key = runKeys(run.artifactsPrefix).integration;
  const { config } = deps;
  const [plan, jobs, saved] = await Promise.all([
    deps.store.getJson(recovery.plan.planKey, PlanDocument),
    deps.store.getJson(recovery.restores.jobsKey, JobsDocument),
    deps.store.findJson(key, IntegrationDocument),
  ]);
  const records = new Map<string, IntegrationRecord>((saved?.resources ?? []).map((r) => [r.name, r]));
  const targets: Target[] = topoOrder(plan.restores).map((p) => {
    const record = records.get(p.name) ?? { name: p.name, status: "PENDING", actions: [], parameters: [] };
    records.set(p.name, record);
    const integrate = config.resources.find((r) => r.name === p.name)?.integrate ?? {};
    return { plan: p, integrate, record };
  });
  let subnets: Promise<Subnet[]> | undefined;
  let stackUp: Promise<boolean> | undefined;
  const isStackDeployed = () => {
    stackUp ??= stackDeployed(run, recovery.stack, deps.cloudformation);
    return stackUp;
  };
  // Alongside the restores, a resource waits for its restore job, and one stopped at the stack for it.
  const restoredNames = new Set(jobs.jobs.filter((j) => j.status === "COMPLETED").map((j) => j.name));
  const atStack = alongside && targets.some((t) => t.record.waitingForStack && t.record.status !== "DONE");
  const stackReady = atStack ? await isStackDeployed() : true;
  const canStart = (t: Target) =>
    !alongside || (restoredNames.has(t.plan.name) && (t.record.waitingForStack !== true || stackReady));
  const open = new Set(
    targets.filter((t) => t.record.status !== "DONE" && canStart(t)).map((t) => t.plan.name),
  );
  const restored = jobs.jobs.flatMap((j) => {
    const ref =
      open.has(j.name) && j.status === "COMPLETED" ? parseRestoredArn(j.createdResourceArn ?? "") : undefined;
    return ref ? [ref] : [];
  });
  const ctx: TickContext = {
    run,
    config,
    apis: await withObservedOrPlain(
      deps,
      restored,
      restored.filter((r) => r.kind === "rds-cluster").map((r) => clusterInstanceId(r.id)),
    ),
    tags: runTags(run),
    subnets: () => {
      subnets ??= deps.ec2.describeSubnets(config.network.subnetIds);
      return subnets;
    },
    now,
    stackDeployed: isStackDeployed,
  };

  const waiting = new Map<string, Extract<Tick, { done: false }>>();
  // Merged with the stored document: a late write of an earlier, timed-out invocation never undoes progress.
  const save = () =>
    saveIntegration(deps.store, key, { run: run.name, resources: targets.map((t) => t.record) });
  const planned = new Set(plan.restores.map((p) => p.name));
  const isDone = (name: string) => records.get(name)?.status === "DONE" || !planned.has(name);

  // Waves: whatever became DONE may unblock its dependents within the same invocation.
  for (;;) {
    const ready = targets.filter(
      (t) =>
        t.record.status !== "DONE" &&
        !waiting.has(t.plan.name) &&
        canStart(t) &&
        t.plan.dependsOn.every(isDone),
    );
    if (ready.length === 0) break;
    const results = await mapLimitSettled(ready, CONCURRENCY, (t) => advance(ctx, t, jobs, now));
    const failure = results.find((r) => r.status === "rejected");
    results.forEach((r, i) => {
      const t = ready[i] as Target;
      if (r.status === "fulfilled" && !r.value.done) waiting.set(t.plan.name, r.value);
    });
    if (failure) {
      await save();
      throw failure.reason;
    }
  }
  await save();

  const done = targets.filter((t) => t.record.status === "DONE");
  const allDone = done.length === targets.length;
  const inFlight = [...waiting.values()].filter((w) => !w.onStack);
  const wait = allDone
    ? 1
    : adaptiveWait(
        inFlight.map((w) => w.remainingSeconds),
        WAITS,
      );
  const progress: IntegrationProgress = {
    integrationKey: key,
    total: targets.length,
    done: done.length,
    pending: targets.length - done.length,
    allDone,
    waitSeconds: wait,
  };
  if (alongside) {
    progress.restoresSeen = restoredNames.size;
    progress.active = inFlight.length;
    // The loop's next look serves both: the restores' poll is never delayed for the integration.
    const poll = recovery.restores.waitSeconds;
    progress.waitSeconds = inFlight.length > 0 ? Math.min(wait, poll) : poll;
  }
  if (allDone) progress.completedAt = latest(done.map((t) => t.record.integratedAt)) ?? now.toISOString();
  logger.info("integration", { ...progress, waitingFor: [...waiting.values()].map((w) => w.waitingFor) });
  return progress;
}

/** One tick of one resource; marks it DONE or IN_PROGRESS and enforces the time limit. */
async function advance(ctx: TickContext, t: Target, jobs: JobsDocument, now: Date): Promise<Tick> {
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
    // An AWS refusal that retrying will not heal (access, validation, quota, state): name the resource.
    if (err instanceof AwsCallFailed) {
      throw new IntegrationFailed(`${t.plan.name} (${t.plan.type}): ${err.message}`);
    }
    throw err;
  }
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
  return result;
}

/**
 * Whether the DR stack is there to act on: the Recover parallel's result once it is known;
 * alongside the restores, the run's stack as CloudFormation shows it, usable, unless the run
 * replaces a stack (until the new one exists, the name shows the stack being deleted).
 */
async function stackDeployed(
  run: RunContext,
  stack: StackState | undefined,
  cloudformation: CloudFormationApi,
): Promise<boolean> {
  if (stack) return stack.done;
  if (run.replaceStack) return false;
  const found = await cloudformation.describeStack(run.stackName);
  return found !== undefined && USABLE.has(found.status);
}

function latest(times: (string | undefined)[]): string | undefined {
  const known = times.filter((t): t is string => t !== undefined).sort();
  return known[known.length - 1];
}
