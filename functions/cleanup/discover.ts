/**
 * What a drill created, found by its documents (restore jobs of every attempt, integration
 * records, the plan's target names) and by the `drctl:execution` tag (sweepTagged). Each source is
 * read on its own: a refused or failing describe/list makes what it would have shown a leftover
 * (or pending, when transient) and never stops the other sources.
 */

import type { BackupApi } from "../shared/aws/backup.js";
import { mapLimit } from "../shared/collections.js";
import type { AppConfig } from "../shared/config.js";
import { restoreJobsById } from "../shared/restore-jobs.js";
import { parseRestoredArn, STACK_NAME_TAG } from "../shared/restored.js";
import {
  type IntegrationDocument,
  type JobsDocument,
  type PlanDocument,
  type RunContext,
  TAG_EXECUTION,
} from "../shared/types.js";
import { expectedRemainingSeconds } from "../shared/waits.js";
import type { Candidate, CleanupApis } from "./deleters.js";
import type { Ledger } from "./ledger.js";
import type { Listing } from "./listing.js";

export interface Documents {
  config: AppConfig;
  plan: PlanDocument | undefined;
  jobs: JobsDocument | undefined;
  integration: IntegrationDocument | undefined;
}

export async function discover(
  run: RunContext,
  docs: Documents,
  apis: CleanupApis & { backup: BackupApi },
  ledger: Ledger,
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
    if (sources.has(arn)) ledger.leftover(arn, "is a protected source resource; not deleted");
    else if (!ref) ledger.leftover(arn, `(${source}) not a resource type cleanup can delete`);
    else add({ ...ref, source });
  };

  // 1. Every restore job of the run, every attempt: running ones are waited for.
  const running = new Set<string>();
  // A job the document saw COMPLETED (one attempt) names what it created: not asked again.
  const settled = (r: JobsDocument["jobs"][number]) =>
    r.status === "COMPLETED" && r.createdResourceArn !== undefined && r.previousJobIds.length === 0;
  for (const r of docs.jobs?.jobs.filter(settled) ?? [])
    addArn(r.createdResourceArn ?? "", `restore job ${r.restoreJobId}`);
  const records = docs.jobs?.jobs.filter((r) => !settled(r)) ?? [];
  // One paged ListRestoreJobs for the others; if it fails, each job is described on its own below.
  const listed =
    records.length === 0
      ? undefined
      : await restoreJobsById(
          apis.backup,
          run.startedAt,
          records.flatMap((r) => [r.restoreJobId, ...r.previousJobIds]),
        ).catch(() => undefined);
  await mapLimit(records, 8, async (record) => {
    for (const id of [record.restoreJobId, ...record.previousJobIds]) {
      const key = `restore job ${id} (${record.name})`;
      const current = id === record.restoreJobId;
      let job: Awaited<ReturnType<BackupApi["describeRestoreJob"]>>;
      try {
        job = listed?.has(id) ? listed.get(id) : await apis.backup.describeRestoreJob(id);
      } catch (err) {
        // What the job created is known from the record: nothing is missing.
        if (current && record.createdResourceArn) addArn(record.createdResourceArn, "jobs document");
        else ledger.failed("describe", key, err);
        continue;
      }
      const status = job?.status ?? (current ? record.status : undefined);
      if (status === "PENDING" || status === "RUNNING") {
        running.add(record.name);
        const remaining = job
          ? expectedRemainingSeconds({
              startedAt: job.createdAt,
              now: ledger.now,
              expectedMinutes: job.expectedCompletionTimeMinutes,
              percentDone: job.percentDone,
            })
          : undefined;
        // A restore job cannot be cancelled: waited for (only the whole loop's bound ends this).
        ledger.wait(key, `${key} ${status}`, remaining, Number.POSITIVE_INFINITY);
        continue;
      }
      const arn = job?.createdResourceArn ?? (current ? record.createdResourceArn : undefined);
      if (arn) addArn(arn, `restore job ${id}`);
    }
  });

  // 2. What integration recorded.
  for (const rec of docs.integration?.resources ?? []) {
    if (rec.restoredArn && !running.has(rec.name)) addArn(rec.restoredArn, "integration document");
  }

  // 3. Planned restores with no job record (StartRestores stopped before saving): by target name.
  const unrecorded = (docs.plan?.restores ?? []).filter(
    (p) => !(docs.jobs?.jobs ?? []).some((j) => j.name === p.name),
  );
  const fileSystems = memo(() => apis.efs.listFileSystems());
  for (const p of unrecorded) {
    const source = `plan target ${p.targetName}`;
    const read = <T>(call: () => Promise<T>) => ledger.read([source], "describe", call);
    if (p.type === "rds") {
      const db = await read(() => apis.rds.describeInstance(p.targetName));
      if (db) add({ kind: "rds-instance", id: db.id, arn: db.arn, source });
    } else if (p.type === "aurora") {
      const cluster = await read(() => apis.rds.describeCluster(p.targetName));
      if (cluster) add({ kind: "rds-cluster", id: cluster.id, arn: cluster.arn, source });
    } else if (p.type === "dynamodb") {
      const table = await read(() => apis.dynamodb.describeTable(p.targetName));
      if (table) add({ kind: "dynamodb-table", id: table.name, arn: table.arn, source });
    } else if (p.type === "efs") {
      const fs = (await read(fileSystems))?.find((f) => f.creationToken === p.targetName);
      if (fs) add({ kind: "efs", id: fs.id, arn: fs.arn, source });
    }
  }

  return [...found.values()];
}

/**
 * Everything tagged with this run (and not a resource of the stack, which DeleteStack removes):
 * one listing per kind; the complete ones (DB instances, clusters, file systems) go to `listed`. Cleanup sweeps in its first round and before it reports done; the rounds
 * between carry what a sweep found in the cleanup document.
 */
export async function sweepTagged(
  run: RunContext,
  apis: CleanupApis,
  ledger: Ledger,
  known: readonly Candidate[],
  listed: Listing = {},
): Promise<Candidate[]> {
  const ours = (tags: Record<string, string>) =>
    tags[TAG_EXECUTION] === run.name && !(STACK_NAME_TAG in tags);
  const byTag = { [TAG_EXECUTION]: run.name };
  const search = <T>(what: string, call: () => Promise<T[]>) =>
    ledger.read([`${what} tagged ${TAG_EXECUTION}=${run.name}`], "list", call);
  const [dbList, clusterList, instances = [], volumes = [], fsList] = await Promise.all([
    search("DB instances", () => apis.rds.listInstances()),
    search("DB clusters", () => apis.rds.listClusters()),
    search("EC2 instances", () => apis.ec2.describeInstances({ tags: byTag })),
    search("EBS volumes", () => apis.ec2.describeVolumes({ tags: byTag })),
    search("EFS file systems", () => apis.efs.listFileSystems()),
  ]);
  // The complete listings, for the round's describes (listing.ts); a failed one stays out.
  if (dbList) listed.dbs = dbList;
  if (clusterList) listed.clusters = clusterList;
  if (fsList) listed.fileSystems = fsList;
  const [dbs, clusters, filesystems] = [dbList ?? [], clusterList ?? [], fsList ?? []];
  const found = new Map<string, Candidate>();
  const add = (c: Candidate) => found.set(`${c.kind}:${c.id}`, c);
  for (const c of clusters.filter((x) => ours(x.tags)))
    add({ kind: "rds-cluster", id: c.id, arn: c.arn, source: "tag" });
  for (const d of dbs.filter((x) => ours(x.tags))) {
    // Members of a cluster being deleted go with it.
    const cluster = `rds-cluster:${d.clusterId}`;
    if (!d.clusterId || !(found.has(cluster) || known.some((c) => `${c.kind}:${c.id}` === cluster))) {
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
