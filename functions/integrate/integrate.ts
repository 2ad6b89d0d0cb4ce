/**
 * Integrate: makes the restored resources usable by the DR stack, in dependsOn order (a resource
 * starts only when everything it depends on is DONE). One invocation advances whatever it can
 * without blocking (starts actions, checks pending ones), saves the integration document and
 * returns how far it got; the state machine waits `waitSeconds` and calls it again.
 */

import * as z from "zod";
import { type ArtifactStore, runKeys } from "../shared/artifacts.js";
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
  recovery: z.object({ stack: StackState, plan: PlanSummary, restores: RestoreProgress }),
});
export type IntegrateEvent = z.infer<typeof IntegrateEvent>;

export interface IntegrateDeps extends IntegrationApis {
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
  const open = new Set(targets.filter((t) => t.record.status !== "DONE").map((t) => t.plan.name));
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
      (t) => t.record.status !== "DONE" && !waiting.has(t.plan.name) && t.plan.dependsOn.every(isDone),
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
  const progress: IntegrationProgress = {
    integrationKey: key,
    total: targets.length,
    done: done.length,
    pending: targets.length - done.length,
    allDone,
    waitSeconds: allDone
      ? 1
      : adaptiveWait(
          [...waiting.values()].map((w) => w.remainingSeconds),
          WAITS,
        ),
  };
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
  const elapsed = (now.getTime() - Date.parse(t.record.startedAt)) / 1000;
  if (elapsed > INTEGRATION_TIMEOUT_SECONDS) {
    throw new IntegrationFailed(
      `${t.plan.name} (${t.plan.type}): not integrated ${Math.round(elapsed / 60)} minutes after it started; ` +
        `still waiting for ${result.waitingFor}`,
    );
  }
  return result;
}

function latest(times: (string | undefined)[]): string | undefined {
  const known = times.filter((t): t is string => t !== undefined).sort();
  return known[known.length - 1];
}
