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
import { type ArtifactStore, runKeys } from "../shared/artifacts.js";
import type { CloudFormationApi } from "../shared/aws/cloudformation.js";
import { mapLimitSettled, topoOrder } from "../shared/collections.js";
import type { AppConfig } from "../shared/config.js";
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
import { advance, stackDeployed, WAITS } from "./advance.js";
import {
  clusterInstanceId,
  type IntegrationApis,
  type Target,
  type Tick,
  type TickContext,
} from "./integrators.js";

export const IntegrateEvent = z.object({
  run: RunContext,
  /** `stack`: the deployed DR stack; absent alongside the restores (see the file's comment). */
  recovery: z.object({
    stack: StackState.optional(),
    plan: PlanSummary,
    restores: RestoreProgress,
    /** After the parallel: what the last Integrate (at first IntegrateRestored) returned. */
    integration: z.object({ version: z.string().optional() }).optional(),
  }),
  /**
   * Alongside: what the last IntegrateRestored returned. Either one's `version` (of the
   * integration document) spares reading back a write the container made itself.
   */
  alongside: z.object({ version: z.string().optional() }).optional(),
});
export type IntegrateEvent = z.infer<typeof IntegrateEvent>;

export interface IntegrateDeps extends IntegrationApis {
  /** The DR stack's status, alongside the restores. */
  cloudformation: CloudFormationApi;
  config: AppConfig;
  store: ArtifactStore;
  now: () => Date;
}

/**
 * A resource whose next look is due within this many seconds is looked at now, with the others:
 * one batch of describes instead of another invocation soon after.
 */
const LOOK_AHEAD_SECONDS = 60;
/** After the Recover parallel, a waiting resource is looked at again within this many seconds. */
const TAIL_LOOK_SECONDS = 30;
/** Resources advanced concurrently within one wave. */
const CONCURRENCY = 8;

export async function integrate(event: IntegrateEvent, deps: IntegrateDeps): Promise<IntegrationProgress> {
  const { run, recovery } = event;
  const alongside = recovery.stack === undefined;
  const now = deps.now();
  const key = runKeys(run.artifactsPrefix).integration;
  const { config } = deps;
  const [plan, jobs, saved] = await Promise.all([
    deps.store.getJson(recovery.plan.planKey, PlanDocument),
    // The version PollRestores left: read once per container, not on every look.
    deps.store.getJsonAt(recovery.restores.jobsKey, JobsDocument, recovery.restores.jobsVersion),
    deps.store.findJsonAt(key, IntegrationDocument, (event.alongside ?? recovery.integration)?.version),
  ]);
  const savedText = saved === undefined ? undefined : JSON.stringify(saved);
  const savedBare = saved === undefined ? undefined : withoutHints(saved);
  const records = new Map<string, IntegrationRecord>((saved?.resources ?? []).map((r) => [r.name, r]));
  const targets: Target[] = topoOrder(plan.restores).map((p) => {
    const record = records.get(p.name) ?? { name: p.name, status: "PENDING", actions: [], parameters: [] };
    records.set(p.name, record);
    const integrate = config.resources.find((r) => r.name === p.name)?.integrate ?? {};
    return { plan: p, integrate, record };
  });
  const planned = new Set(plan.restores.map((p) => p.name));
  const isDone = (name: string) => records.get(name)?.status === "DONE" || !planned.has(name);
  let subnets = saved?.subnets;
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
  // A resource that asked to be left alone until checkAfter is not looked at before then; after the
  // Recover parallel (the run's end hinges on what is left) at most TAIL_LOOK_SECONDS after its last look.
  const nextLook = (t: Target) => {
    const after = t.record.checkAfter ? Date.parse(t.record.checkAfter) : 0;
    const looked = t.record.lookedAt ? Date.parse(t.record.lookedAt) : Number.NEGATIVE_INFINITY;
    return alongside ? after : Math.min(after, looked + TAIL_LOOK_SECONDS * 1000);
  };
  const due = (t: Target) => nextLook(t) <= now.getTime() + LOOK_AHEAD_SECONDS * 1000;
  const startable = (t: Target) =>
    t.record.status !== "DONE" && canStart(t) && t.plan.dependsOn.every(isDone);

  // Described in batches: what the first wave will look at.
  const first = new Set(targets.filter((t) => startable(t) && due(t)).map((t) => t.plan.name));
  const restored = jobs.jobs.flatMap((j) => {
    const ref =
      first.has(j.name) && j.status === "COMPLETED"
        ? parseRestoredArn(j.createdResourceArn ?? "")
        : undefined;
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
    subnets: async () => {
      subnets ??= await deps.ec2.describeSubnets(config.network.subnetIds);
      return subnets;
    },
    now,
    stackDeployed: isStackDeployed,
  };

  const waiting = new Map<string, Extract<Tick, { done: false }>>();
  for (const t of targets) {
    if (startable(t) && !due(t)) waiting.set(t.plan.name, { done: false, waitingFor: "its next look" });
  }
  // Merged with the stored document: a late write of an earlier, timed-out invocation never undoes
  // progress. A tick that changed nothing writes nothing; one that changed only when to look next
  // (checkAfter, lookedAt) keeps that in this container's view and writes nothing either.
  const save = async () => {
    const doc: IntegrationDocument = { run: run.name, resources: targets.map((t) => t.record) };
    if (subnets) doc.subnets = subnets;
    const text = JSON.stringify(doc);
    if (text === savedText) return;
    if (withoutHints(doc) === savedBare) deps.store.keepUnwritten(key, doc);
    else await saveIntegration(deps.store, key, doc);
  };

  // Waves: whatever became DONE may unblock its dependents within the same invocation.
  for (;;) {
    const ready = targets.filter((t) => startable(t) && due(t) && !waiting.has(t.plan.name));
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
  // In flight: waiting on AWS (not on the stack), each until its checkAfter.
  const looks = targets.filter((t) => waiting.has(t.plan.name) && t.record.checkAfter).map(nextLook);
  const wait =
    looks.length === 0 ? WAITS.unknownSeconds : Math.ceil((Math.min(...looks) - now.getTime()) / 1000);
  const progress: IntegrationProgress = {
    integrationKey: key,
    total: targets.length,
    done: done.length,
    pending: targets.length - done.length,
    allDone,
    waitSeconds: allDone ? 1 : Math.max(1, wait),
  };
  const version = deps.store.seenVersion(key);
  if (version) progress.version = version;
  if (alongside) {
    progress.ranAt = now.toISOString();
    progress.restoresSeen = restoredNames.size;
    progress.active = looks.length;
    if (looks.length > 0) progress.dueAt = new Date(Math.min(...looks)).toISOString();
    // The loop's next look serves both: the restores' poll is never delayed for the integration.
    const poll = recovery.restores.waitSeconds;
    progress.waitSeconds = looks.length > 0 ? Math.min(progress.waitSeconds, poll) : poll;
  }
  if (allDone) progress.completedAt = latest(done.map((t) => t.record.integratedAt)) ?? now.toISOString();
  logger.info("integration", { ...progress, waitingFor: [...waiting.values()].map((w) => w.waitingFor) });
  return progress;
}

/** The document without the records' scheduling hints. */
const withoutHints = (doc: IntegrationDocument): string =>
  JSON.stringify(doc, (k, v) => (k === "checkAfter" || k === "lookedAt" ? undefined : v));

function latest(times: (string | undefined)[]): string | undefined {
  const known = times.filter((t): t is string => t !== undefined).sort();
  return known[known.length - 1];
}
