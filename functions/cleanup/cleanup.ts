/**
 * Cleanup (drills only): deletes everything the drill created, found both by the run's documents
 * (restore jobs of every attempt, integration records, the plan's target names) and by the
 * `drctl:execution` tag; never anything recorded for or tagged with another run. Restore jobs
 * still running cannot be cancelled: they are pending, and the state machine calls cleanup again
 * after a wait until they have finished and their resources are gone. Safe to call repeatedly.
 */

import * as z from "zod";
import { type ArtifactStore, loadConfig, runKeys } from "../shared/artifacts.js";
import type { BackupApi } from "../shared/aws/backup.js";
import type { CloudFormationApi } from "../shared/aws/cloudformation.js";
import { noteTagged } from "../shared/aws/fresh-tags.js";
import type { SsmApi } from "../shared/aws/ssm.js";
import { now as clockNow } from "../shared/clock.js";
import type { AppConfig } from "../shared/config.js";
import { CleanupIncomplete, InputInvalid } from "../shared/errors.js";
import { logger } from "../shared/logger.js";
import { withObserved } from "../shared/observed.js";
import { restoreJobsById } from "../shared/restore-jobs.js";
import { parseRestoredArn, STACK_NAME_TAG } from "../shared/restored.js";
import {
  CleanupDocument,
  type CleanupProgress,
  IntegrationDocument,
  JobsDocument,
  PlanDocument,
  RunContext,
  runTags,
  TAG_EXECUTION,
} from "../shared/types.js";
import { adaptiveWait, expectedRemainingSeconds } from "../shared/waits.js";
import {
  type Candidate,
  type CleanupApis,
  type DeleteContext,
  deleteClusters,
  deleteDbInstances,
  deleteFileSystems,
  deleteTables,
  deleteVolumes,
  terminateInstances,
} from "./deleters.js";
import { Ledger } from "./ledger.js";

export const CleanupEvent = z.object({ run: RunContext });
export type CleanupEvent = z.infer<typeof CleanupEvent>;

export interface CleanupDeps extends CleanupApis {
  store: ArtifactStore;
  backup: BackupApi;
  ssm: SsmApi;
  cloudformation: CloudFormationApi;
  now?: () => Date;
}

/** Every drill writes its SSM parameters under /drctl-drill/<run name>. */
export const DRILL_PARAMETER_ROOT = "/drctl-drill/";
const WAITS = { minSeconds: 15, maxSeconds: 600, unknownSeconds: 60, soonSeconds: 30 };

interface Documents {
  config: AppConfig;
  plan: PlanDocument | undefined;
  jobs: JobsDocument | undefined;
  integration: IntegrationDocument | undefined;
}

export async function cleanup(event: CleanupEvent, deps: CleanupDeps): Promise<CleanupProgress> {
  const { run } = event;
  if (run.mode !== "drill")
    throw new InputInvalid(`cleanup deletes drill resources only; ${run.name} is a ${run.mode}`);
  if (!run.parameterPrefix.startsWith(DRILL_PARAMETER_ROOT) || !run.parameterPrefix.includes(run.name)) {
    throw new InputInvalid(
      `run.parameterPrefix ${run.parameterPrefix} is not this drill's (${DRILL_PARAMETER_ROOT}${run.name})`,
    );
  }
  const now = deps.now?.() ?? clockNow();
  const keys = runKeys(run.artifactsPrefix);
  const [config, plan, jobs, integration, previous] = await Promise.all([
    loadConfig(deps.store, run.app),
    deps.store.findJson(keys.plan, PlanDocument),
    deps.store.findJson(keys.jobs, JobsDocument),
    deps.store.findJson(keys.integration, IntegrationDocument),
    deps.store.findJson(keys.cleanup, CleanupDocument),
  ]);
  const docs: Documents = { config, plan, jobs, integration };
  const ledger = new Ledger();
  const found = await discover(run, docs, deps, ledger, now);

  // Order: volumes, instances, databases, file systems, tables, parameters, then the stack.
  const ctx: DeleteContext = { runTags: runTags(run), apis: await withObserved(deps, found), ledger };
  const of = (kind: Candidate["kind"]) => found.filter((c) => c.kind === kind);
  const attached = await deleteVolumes(ctx, of("ec2-volume"));
  await terminateInstances(ctx, of("ec2-instance"));
  await deleteClusters(ctx, of("rds-cluster"));
  await deleteDbInstances(ctx, of("rds-instance"));
  const mounted = await deleteFileSystems(ctx, of("efs"));
  const deletedBefore = new Set(previous?.deleted ?? []); // a deleted table is DELETING until gone
  await deleteTables(
    ctx,
    of("dynamodb-table").filter((c) => !deletedBefore.has(c.arn ?? "")),
  );
  await deleteParameters(run, docs, deps.ssm, ledger, deletedBefore);
  const blockedBy = [attached && "volumes to detach", mounted && "EFS mount targets"]
    .filter(Boolean)
    .join(" and ");
  await deleteStack(run, config, deps.cloudformation, ledger, blockedBy);

  const pending = [...new Set(ledger.pending)];
  const document: CleanupDocument = {
    run: run.name,
    deleted: [...new Set([...(previous?.deleted ?? []), ...ledger.deleted])],
    leftovers: ledger.leftovers,
    pending,
    rounds: (previous?.rounds ?? 0) + 1,
  };
  await deps.store.putJson(keys.cleanup, document);
  const progress: CleanupProgress = {
    cleanupKey: keys.cleanup,
    deleted: document.deleted.length,
    leftovers: document.leftovers.length,
    pending: pending.length,
    done: pending.length === 0,
    waitSeconds: adaptiveWait(ledger.remaining, WAITS),
    rounds: document.rounds ?? 1,
  };
  logger.info("cleanup round", { ...progress, pendingItems: pending.slice(0, 20) });
  if (progress.done && document.leftovers.length > 0) {
    throw new CleanupIncomplete(
      `drill ${run.name} left ${document.leftovers.length} resource(s): ${document.leftovers.slice(0, 10).join("; ")}` +
        (document.leftovers.length > 10 ? "; ..." : ""),
    );
  }
  return progress;
}

/** Restored resources of this run: by its documents and by the drctl:execution tag. */
async function discover(
  run: RunContext,
  docs: Documents,
  deps: CleanupDeps,
  ledger: Ledger,
  now: Date,
): Promise<Candidate[]> {
  const found = new Map<string, Candidate>();
  const sources = new Set([
    ...docs.config.resources.map((r) => r.sourceArn),
    ...(docs.plan?.restores ?? []).map((p) => p.sourceArn),
  ]);
  const add = (c: Candidate) => {
    if (!found.has(`${c.kind}:${c.id}`)) found.set(`${c.kind}:${c.id}`, c);
  };
  const addArn = (arn: string, source: string) => {
    const ref = parseRestoredArn(arn);
    if (sources.has(arn)) ledger.leftover(`${arn}: is a protected source resource; not deleted`);
    else if (!ref) ledger.leftover(`${arn} (${source}): not a resource type cleanup can delete`);
    else add({ ...ref, source });
  };

  // 1. Every restore job of the run, every attempt: running ones are waited for.
  const running = new Set<string>();
  const records = docs.jobs?.jobs ?? [];
  const ids = records.flatMap((r) => [r.restoreJobId, ...r.previousJobIds]);
  const jobs = await restoreJobsById(deps.backup, run.startedAt, ids);
  for (const record of records) {
    for (const id of [record.restoreJobId, ...record.previousJobIds]) {
      const job = jobs.get(id);
      const current = id === record.restoreJobId;
      const status = job?.status ?? (current ? record.status : undefined);
      if (status === "PENDING" || status === "RUNNING") {
        running.add(record.name);
        const remaining = job
          ? expectedRemainingSeconds({
              startedAt: job.createdAt,
              now,
              expectedMinutes: job.expectedCompletionTimeMinutes,
              percentDone: job.percentDone,
            })
          : undefined;
        ledger.wait(`restore job ${id} (${record.name}) ${status}`, remaining);
        continue;
      }
      const arn = job?.createdResourceArn ?? (current ? record.createdResourceArn : undefined);
      if (arn) addArn(arn, `restore job ${id}`);
    }
  }

  // 2. What integration recorded (and what it tagged just now: a refusal right after is retried).
  for (const rec of docs.integration?.resources ?? []) {
    if (rec.restoredArn && !running.has(rec.name)) addArn(rec.restoredArn, "integration document");
    if (rec.restoredArn && rec.taggedAt) noteTagged([rec.restoredArn], new Date(rec.taggedAt));
  }

  // 3. Planned restores with no job record (StartRestores stopped before saving): by target name.
  const unrecorded = (docs.plan?.restores ?? []).filter(
    (p) => !(docs.jobs?.jobs ?? []).some((j) => j.name === p.name),
  );
  const fileSystems = memo(() => deps.efs.listFileSystems());
  for (const p of unrecorded) {
    const source = `plan target ${p.targetName}`;
    if (p.type === "rds") {
      const db = await deps.rds.describeInstance(p.targetName);
      if (db) add({ kind: "rds-instance", id: db.id, arn: db.arn, source });
    } else if (p.type === "aurora") {
      const cluster = await deps.rds.describeCluster(p.targetName);
      if (cluster) add({ kind: "rds-cluster", id: cluster.id, arn: cluster.arn, source });
    } else if (p.type === "dynamodb") {
      const table = await deps.dynamodb.describeTable(p.targetName);
      if (table) add({ kind: "dynamodb-table", id: table.name, arn: table.arn, source });
    } else if (p.type === "efs") {
      const fs = (await fileSystems()).find((f) => f.creationToken === p.targetName);
      if (fs) add({ kind: "efs", id: fs.id, arn: fs.arn, source });
    }
  }

  // 4. Tagged with this run (and not a resource of the stack, which DeleteStack removes).
  const ours = (tags: Record<string, string>) =>
    tags[TAG_EXECUTION] === run.name && !(STACK_NAME_TAG in tags);
  const byTag = { [TAG_EXECUTION]: run.name };
  const [dbs, clusters, instances, volumes, filesystems] = await Promise.all([
    deps.rds.listInstances(),
    deps.rds.listClusters(),
    deps.ec2.describeInstances({ tags: byTag }),
    deps.ec2.describeVolumes({ tags: byTag }),
    fileSystems(),
  ]);
  for (const c of clusters.filter((x) => ours(x.tags)))
    add({ kind: "rds-cluster", id: c.id, arn: c.arn, source: "tag" });
  for (const d of dbs.filter((x) => ours(x.tags))) {
    // Members of a cluster being deleted go with it.
    if (!d.clusterId || !found.has(`rds-cluster:${d.clusterId}`)) {
      add({ kind: "rds-instance", id: d.id, arn: d.arn, source: "tag" });
    }
  }
  for (const i of instances.filter((x) => ours(x.tags)))
    add({ kind: "ec2-instance", id: i.id, source: "tag" });
  for (const v of volumes.filter((x) => ours(x.tags))) add({ kind: "ec2-volume", id: v.id, source: "tag" });
  for (const f of filesystems.filter((x) => ours(x.tags)))
    add({ kind: "efs", id: f.id, arn: f.arn, source: "tag" });
  return [...found.values()];
}

function memo<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= make();
    return value;
  };
}

/** The drill's SSM parameters: recorded by integrate, or configured; skipped once a round deleted them. */
async function deleteParameters(
  run: RunContext,
  docs: Documents,
  ssm: SsmApi,
  ledger: Ledger,
  deletedBefore: ReadonlySet<string>,
): Promise<void> {
  const prefix = run.parameterPrefix;
  const names = new Set([
    ...(docs.integration?.resources ?? []).flatMap((r) => r.parameters),
    ...docs.config.resources.flatMap((r) =>
      r.integrate.ssmParameter ? [`${prefix}${r.integrate.ssmParameter}`] : [],
    ),
  ]);
  for (const name of names) {
    if (deletedBefore.has(name)) continue;
    if (!name.startsWith(`${prefix}/`)) {
      ledger.leftover(`${name}: outside the drill's prefix ${prefix}; not deleted`);
      continue;
    }
    if ((await ssm.getParameter(name)) === undefined) continue;
    await ledger.attempt(name, () => ssm.deleteParameter(name));
  }
}

/** DeleteStack of the drill stack, only when it is tagged with this run; waits until it is gone. */
async function deleteStack(
  run: RunContext,
  config: AppConfig,
  cfn: CloudFormationApi,
  ledger: Ledger,
  blockedBy: string,
): Promise<void> {
  const stack = await cfn.describeStack(run.stackName);
  if (!stack || stack.status === "DELETE_COMPLETE") return;
  if (run.stackName === config.stack.name || stack.tags[TAG_EXECUTION] !== run.name) {
    ledger.leftover(`stack ${run.stackName}: not tagged ${TAG_EXECUTION}=${run.name}; not deleted`);
    return;
  }
  if (stack.status === "DELETE_IN_PROGRESS") {
    ledger.wait(`stack ${run.stackName} deleting`, 120);
  } else if (stack.status === "DELETE_FAILED") {
    ledger.leftover(`${stack.stackId}: DELETE_FAILED${stack.statusReason ? `: ${stack.statusReason}` : ""}`);
  } else if (blockedBy) {
    ledger.wait(`stack ${run.stackName} waits for ${blockedBy}`, 30);
  } else if (
    await ledger.attempt(stack.stackId, () => cfn.deleteStack(stack.stackId, `delete-${run.name}`))
  ) {
    ledger.wait(`stack ${run.stackName} deleting`, 120);
  }
}
