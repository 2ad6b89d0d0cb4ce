/**
 * Deletes what a drill restored, kind by kind, in the order AWS requires: volumes are detached
 * before they are deleted, cluster instances before their cluster, mount targets before their
 * file system. Every deleter observes the resource first, so a repeated round continues where the
 * last one stopped; anything still going away stays pending until it is gone.
 *
 * The cleanup role may delete only resources tagged drctl:app=<app> and drctl:mode=drill. A drill
 * that failed before Integrate leaves restored resources without those tags: before its first
 * change to such a resource, cleanup adds the run's tags (runTags) and leaves the change to the
 * next round, when IAM sees the new tags (tagging is eventually consistent).
 */

import type { DynamoDbApi } from "../shared/aws/dynamodb.js";
import type { Ec2Api } from "../shared/aws/ec2.js";
import type { EfsApi } from "../shared/aws/efs.js";
import type { RdsApi } from "../shared/aws/rds.js";
import type { RestoredKind } from "../shared/restored.js";
import type { Ledger } from "./ledger.js";

export interface CleanupApis {
  rds: RdsApi;
  ec2: Ec2Api;
  efs: EfsApi;
  dynamodb: DynamoDbApi;
}

/** A resource this run created, found by its documents or by its tag. */
export interface Candidate {
  kind: RestoredKind;
  id: string;
  arn?: string;
  /** How it was found (for messages). */
  source: string;
}

export interface DeleteContext {
  /** runTags(run): the tags the cleanup role's delete permission requires. */
  runTags: Record<string, string>;
  apis: CleanupApis;
  ledger: Ledger;
}

const label = (c: Candidate): string => c.arn ?? c.id;

/**
 * True (and a leftover) when the resource carries a drctl tag with another value than this run's:
 * another run's execution, or a failover's or another app's resource. Never deleted nor re-tagged.
 */
function foreign(ctx: DeleteContext, c: Candidate, tags: Record<string, string>): boolean {
  const other = Object.entries(ctx.runTags).filter(([k, v]) => tags[k] !== undefined && tags[k] !== v);
  if (other.length === 0) return false;
  const found = other.map(([k]) => `${k}=${tags[k]}`).join(", ");
  ctx.ledger.leftover(`${label(c)}: found by ${c.source} but tagged ${found}; not deleted`);
  return true;
}

/**
 * Whether the resource carries every tag of the run, so the cleanup role may change it now. A
 * resource missing some (restored, but never integrated) gets the run's tags, idempotently, and
 * waits for the next round; false also when tagging was refused (a leftover with the reason).
 * Call after `foreign`, which rules out conflicting values.
 */
async function tagged(
  ctx: DeleteContext,
  c: Candidate,
  tags: Record<string, string>,
  addTags: (tags: Record<string, string>) => Promise<void>,
): Promise<boolean> {
  const missing = Object.keys(ctx.runTags).filter((k) => tags[k] === undefined);
  if (missing.length === 0) return true;
  if (await ctx.ledger.call(`${label(c)} (tagging)`, () => addTags(ctx.runTags))) {
    ctx.ledger.wait(`${label(c)} tagged ${missing.join(", ")} for deletion (found by ${c.source})`, 15);
  }
  return false;
}

/** Detaches, then deletes. Returns true while a volume is still attached (the stack waits for it). */
export async function deleteVolumes(ctx: DeleteContext, candidates: Candidate[]): Promise<boolean> {
  if (candidates.length === 0) return false;
  const { ec2 } = ctx.apis;
  const volumes = await ec2.describeVolumes({ ids: candidates.map((c) => c.id) });
  let attached = false;
  for (const c of candidates) {
    const v = volumes.find((x) => x.id === c.id);
    if (!v || v.state === "deleted" || foreign(ctx, c, v.tags)) continue;
    if (v.state !== "deleting" && !(await tagged(ctx, c, v.tags, (t) => ec2.createTags([c.id], t)))) continue;
    const attachments = v.attachments.filter((a) => a.state !== "detached");
    if (attachments.length > 0) {
      if (attachments.some((a) => a.state === "attached" || a.state === "attaching")) {
        if (!(await ctx.ledger.attempt(`detach ${c.id}`, () => ec2.detachVolume(c.id)))) {
          // Refused (a leftover with the reason): nothing will change, so nothing waits for it.
          ctx.ledger.leftover(`${label(c)}: not deleted: it could not be detached`);
          continue;
        }
      }
      attached = true;
      ctx.ledger.wait(`volume ${c.id} detaching from ${attachments.map((a) => a.instanceId).join(", ")}`, 15);
    } else if (v.state === "available") {
      if (await ctx.ledger.attempt(label(c), () => ec2.deleteVolume(c.id)))
        ctx.ledger.wait(`volume ${c.id} deleting`, 15);
    } else {
      ctx.ledger.wait(`volume ${c.id} ${v.state}`, 15);
    }
  }
  return attached;
}

export async function terminateInstances(ctx: DeleteContext, candidates: Candidate[]): Promise<void> {
  if (candidates.length === 0) return;
  const { ec2 } = ctx.apis;
  const instances = await ec2.describeInstances({ ids: candidates.map((c) => c.id) });
  for (const c of candidates) {
    const i = instances.find((x) => x.id === c.id);
    if (!i || i.state === "terminated" || foreign(ctx, c, i.tags)) continue;
    if (i.state !== "shutting-down") {
      if (!(await tagged(ctx, c, i.tags, (t) => ec2.createTags([c.id], t)))) continue;
      if (!(await ctx.ledger.attempt(label(c), () => ec2.terminateInstances([c.id])))) continue;
    }
    ctx.ledger.wait(`instance ${c.id} terminating`, 60);
  }
}

/** Clusters: their instances first, then the cluster once it has none. */
export async function deleteClusters(ctx: DeleteContext, candidates: Candidate[]): Promise<void> {
  const { rds } = ctx.apis;
  for (const c of candidates) {
    const cluster = await rds.describeCluster(c.id);
    if (!cluster || foreign(ctx, c, cluster.tags)) continue;
    if (cluster.status === "deleting") {
      ctx.ledger.wait(`DB cluster ${c.id} deleting`, 120);
      continue;
    }
    if (!(await tagged(ctx, c, cluster.tags, (t) => rds.addTags(cluster.arn, t)))) continue;
    if (cluster.members.length > 0) {
      await deleteDbInstances(
        ctx,
        cluster.members.map((id) => ({ kind: "rds-instance", id, source: `cluster ${c.id}` })),
      );
      ctx.ledger.wait(`DB cluster ${c.id} waits for its instances`, 300);
      continue;
    }
    const arn = c.arn ?? cluster.arn;
    if (await ctx.ledger.attempt(arn, () => rds.deleteCluster(c.id)))
      ctx.ledger.wait(`DB cluster ${c.id} deleting`, 120);
  }
}

export async function deleteDbInstances(ctx: DeleteContext, candidates: Candidate[]): Promise<void> {
  const { rds } = ctx.apis;
  for (const c of candidates) {
    const db = await rds.describeInstance(c.id);
    if (!db || foreign(ctx, c, db.tags)) continue;
    if (db.status !== "deleting") {
      if (!(await tagged(ctx, c, db.tags, (t) => rds.addTags(db.arn, t)))) continue;
      if (!(await ctx.ledger.attempt(db.arn, () => rds.deleteInstance(c.id)))) continue;
    }
    ctx.ledger.wait(`DB instance ${c.id} deleting`, 300);
  }
}

/** Mount targets first, then the file system. Returns true while mount targets remain. */
export async function deleteFileSystems(ctx: DeleteContext, candidates: Candidate[]): Promise<boolean> {
  const { efs } = ctx.apis;
  let busy = false;
  for (const c of candidates) {
    const fs = await efs.describeFileSystem(c.id);
    if (!fs || fs.lifeCycleState === "deleted" || foreign(ctx, c, fs.tags)) continue;
    if (fs.lifeCycleState === "deleting") {
      ctx.ledger.wait(`file system ${c.id} deleting`, 30);
      continue;
    }
    if (!(await tagged(ctx, c, fs.tags, (t) => efs.tagResource(c.id, t)))) continue;
    const targets = (await efs.describeMountTargets(c.id)).filter((m) => m.lifeCycleState !== "deleted");
    if (targets.length > 0) {
      let refused = 0;
      for (const mt of targets) {
        if (
          mt.lifeCycleState !== "deleting" &&
          !(await ctx.ledger.attempt(mt.id, () => efs.deleteMountTarget(mt.id)))
        )
          refused++;
      }
      if (refused > 0) {
        // Refused deletions are leftovers with their reason: waiting would never end.
        ctx.ledger.leftover(`${label(c)}: not deleted: ${refused} mount target(s) could not be deleted`);
        continue;
      }
      busy = true;
      ctx.ledger.wait(`file system ${c.id} waits for ${targets.length} mount target(s)`, 60);
      continue;
    }
    const arn = c.arn ?? fs.arn;
    if (await ctx.ledger.attempt(arn, () => efs.deleteFileSystem(c.id)))
      ctx.ledger.wait(`file system ${c.id} deleting`, 30);
  }
  return busy;
}

export async function deleteTables(ctx: DeleteContext, candidates: Candidate[]): Promise<void> {
  const { dynamodb } = ctx.apis;
  for (const c of candidates) {
    const table = await dynamodb.describeTable(c.id);
    if (!table) continue;
    if (table.status !== "DELETING") {
      // DescribeTable carries no tags.
      const tags = await dynamodb.listTags(table.arn);
      if (foreign(ctx, c, tags)) continue;
      if (!(await tagged(ctx, c, tags, (t) => dynamodb.tagResource(table.arn, t)))) continue;
      if (!(await ctx.ledger.attempt(c.arn ?? table.arn, () => dynamodb.deleteTable(c.id)))) continue;
    }
    ctx.ledger.wait(`table ${c.id} deleting`, 30);
  }
}
