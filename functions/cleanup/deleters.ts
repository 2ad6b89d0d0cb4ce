/**
 * Deletes what a drill restored, kind by kind, in the order AWS requires: volumes are detached
 * before they are deleted, cluster instances before their cluster, mount targets before their
 * file system. Every deleter observes the resource first, so a repeated round continues where the
 * last one stopped; anything still going away stays pending until it is gone (within the bounds
 * of the Ledger). Each resource is handled on its own: a failed describe makes the resources it
 * would have shown leftovers with the reason, and an error on one resource never stops the others.
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

export const label = (c: Candidate): string => c.arn ?? c.id;

/**
 * A detachment normally takes seconds; one stuck longer is not waited for (deleting the stack
 * terminates the instance, which detaches it; AWS otherwise suggests a forced detachment).
 */
const DETACH_LIMIT_SECONDS = 30 * 60;

/**
 * True (and a leftover) when the resource carries a drctl tag with another value than this run's:
 * another run's execution, or a failover's or another app's resource. Never deleted nor re-tagged.
 */
function foreign(ctx: DeleteContext, c: Candidate, tags: Record<string, string>): boolean {
  const other = Object.entries(ctx.runTags).filter(([k, v]) => tags[k] !== undefined && tags[k] !== v);
  if (other.length === 0) return false;
  const found = other.map(([k]) => `${k}=${tags[k]}`).join(", ");
  ctx.ledger.leftover(label(c), `found by ${c.source} but tagged ${found}; not deleted`);
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
  if (await ctx.ledger.attempt("tag", label(c), () => addTags(ctx.runTags))) {
    ctx.ledger.wait(
      label(c),
      `${label(c)} tagged ${missing.join(", ")} for deletion (found by ${c.source})`,
      15,
    );
  }
  return false;
}

/** Runs `fn` for each candidate; an unexpected error is that candidate's alone. */
async function each(candidates: Candidate[], ledger: Ledger, fn: (c: Candidate) => Promise<void>) {
  for (const c of candidates) {
    try {
      await fn(c);
    } catch (err) {
      ledger.failed("delete", label(c), err);
    }
  }
}

/** Detaches, then deletes. Returns true while a volume is still attached (the stack waits for it). */
export async function deleteVolumes(ctx: DeleteContext, candidates: Candidate[]): Promise<boolean> {
  if (candidates.length === 0) return false;
  const { ec2 } = ctx.apis;
  const { ledger } = ctx;
  const ids = candidates.map((c) => c.id);
  const volumes = await ledger.read(candidates.map(label), "describe", () => ec2.describeVolumes({ ids }));
  if (!volumes) return false;
  let attached = false;
  await each(candidates, ledger, async (c) => {
    const key = label(c);
    const v = volumes.find((x) => x.id === c.id);
    if (!v || v.state === "deleted" || foreign(ctx, c, v.tags)) return;
    if (v.state !== "deleting" && !(await tagged(ctx, c, v.tags, (t) => ec2.createTags([c.id], t)))) return;
    const attachments = v.attachments.filter((a) => a.state !== "detached");
    if (attachments.length > 0) {
      const detach = attachments.some((a) => a.state === "attached" || a.state === "attaching");
      // Refused: a leftover with the reason; nothing waits for it (deleting the stack may free it).
      if (detach && !(await ledger.attempt("detach", key, () => ec2.detachVolume(c.id)))) return;
      const from = attachments.map((a) => a.instanceId).join(", ");
      ledger.wait(key, `volume ${c.id} detaching from ${from}`, 15, DETACH_LIMIT_SECONDS);
      if (ledger.isPending(key)) attached = true;
    } else if (v.state === "available") {
      if (await ledger.attempt("delete", key, () => ec2.deleteVolume(c.id)))
        ledger.wait(key, `volume ${c.id} deleting`, 15);
    } else {
      ledger.wait(key, `volume ${c.id} ${v.state}`, 15);
    }
  });
  return attached;
}

export async function terminateInstances(ctx: DeleteContext, candidates: Candidate[]): Promise<void> {
  if (candidates.length === 0) return;
  const { ec2 } = ctx.apis;
  const ids = candidates.map((c) => c.id);
  const instances = await ctx.ledger.read(candidates.map(label), "describe", () =>
    ec2.describeInstances({ ids }),
  );
  if (!instances) return;
  await each(candidates, ctx.ledger, async (c) => {
    const i = instances.find((x) => x.id === c.id);
    if (!i || i.state === "terminated" || foreign(ctx, c, i.tags)) return;
    if (i.state !== "shutting-down") {
      if (!(await tagged(ctx, c, i.tags, (t) => ec2.createTags([c.id], t)))) return;
      if (!(await ctx.ledger.attempt("terminate", label(c), () => ec2.terminateInstances([c.id])))) return;
    }
    ctx.ledger.wait(label(c), `instance ${c.id} terminating`, 60);
  });
}

/** Clusters: their instances first, then the cluster once it has none. */
export async function deleteClusters(ctx: DeleteContext, candidates: Candidate[]): Promise<void> {
  const { rds } = ctx.apis;
  const { ledger } = ctx;
  await each(candidates, ledger, async (c) => {
    const key = label(c);
    const cluster = await ledger.read([key], "describe", () => rds.describeCluster(c.id));
    if (!cluster || foreign(ctx, c, cluster.tags)) return;
    if (cluster.status === "deleting") return ledger.wait(key, `DB cluster ${c.id} deleting`, 120);
    if (!(await tagged(ctx, c, cluster.tags, (t) => rds.addTags(cluster.arn, t)))) return;
    if (cluster.members.length > 0) {
      const members = cluster.members.map((id): Candidate => ({ kind: "rds-instance", id, source: key }));
      await deleteDbInstances(ctx, members);
      return ledger.wait(key, `DB cluster ${c.id} waits for its instances`, 300);
    }
    if (await ledger.attempt("delete", key, () => rds.deleteCluster(c.id)))
      ledger.wait(key, `DB cluster ${c.id} deleting`, 120);
  });
}

export async function deleteDbInstances(ctx: DeleteContext, candidates: Candidate[]): Promise<void> {
  const { rds } = ctx.apis;
  const { ledger } = ctx;
  await each(candidates, ledger, async (c) => {
    const key = label(c);
    const db = await ledger.read([key], "describe", () => rds.describeInstance(c.id));
    if (!db || foreign(ctx, c, db.tags)) return;
    if (db.status !== "deleting") {
      if (!(await tagged(ctx, c, db.tags, (t) => rds.addTags(db.arn, t)))) return;
      if (!(await ledger.attempt("delete", key, () => rds.deleteInstance(c.id)))) return;
    }
    ledger.wait(key, `DB instance ${c.id} deleting`, 300);
  });
}

/** Mount targets first, then the file system. Returns true while mount targets are being deleted. */
export async function deleteFileSystems(ctx: DeleteContext, candidates: Candidate[]): Promise<boolean> {
  const { efs } = ctx.apis;
  const { ledger } = ctx;
  let busy = false;
  await each(candidates, ledger, async (c) => {
    const key = label(c);
    const fs = await ledger.read([key], "describe", () => efs.describeFileSystem(c.id));
    if (!fs || fs.lifeCycleState === "deleted" || foreign(ctx, c, fs.tags)) return;
    if (fs.lifeCycleState === "deleting") return ledger.wait(key, `file system ${c.id} deleting`, 30);
    if (!(await tagged(ctx, c, fs.tags, (t) => efs.tagResource(c.id, t)))) return;
    const listed = await ledger.read([key], "describe", () => efs.describeMountTargets(c.id));
    const targets = (listed ?? []).filter((m) => m.lifeCycleState !== "deleted");
    if (!listed) return;
    if (targets.length > 0) {
      let refused = 0;
      for (const mt of targets) {
        const deleting =
          mt.lifeCycleState === "deleting" ||
          (await ledger.attempt("delete", `${key} mount target ${mt.id}`, () =>
            efs.deleteMountTarget(mt.id),
          ));
        if (!deleting) refused++;
      }
      // A refused (or given-up) mount target keeps the file system: a leftover, nothing waits.
      if (refused > 0)
        return ledger.leftover(key, `not deleted: ${refused} mount target(s) could not be deleted`);
      ledger.wait(key, `file system ${c.id} waits for ${targets.length} mount target(s)`, 60);
      if (ledger.isPending(key)) busy = true;
      return;
    }
    if (await ledger.attempt("delete", key, () => efs.deleteFileSystem(c.id)))
      ledger.wait(key, `file system ${c.id} deleting`, 30);
  });
  return busy;
}

export async function deleteTables(ctx: DeleteContext, candidates: Candidate[]): Promise<void> {
  const { dynamodb } = ctx.apis;
  const { ledger } = ctx;
  await each(candidates, ledger, async (c) => {
    const key = label(c);
    const table = await ledger.read([key], "describe", () => dynamodb.describeTable(c.id));
    if (!table) return;
    if (table.status !== "DELETING") {
      // DescribeTable carries no tags.
      const tags = await ledger.read([key], "describe", () => dynamodb.listTags(table.arn));
      if (!tags || foreign(ctx, c, tags)) return;
      if (!(await tagged(ctx, c, tags, (t) => dynamodb.tagResource(table.arn, t)))) return;
      if (!(await ledger.attempt("delete", key, () => dynamodb.deleteTable(c.id)))) return;
    }
    ledger.wait(key, `table ${c.id} deleting`, 30);
  });
}
