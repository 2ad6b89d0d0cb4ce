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

import { type Candidate, type DeleteContext, each, foreign, label, tagged } from "./guards.js";

export { deleteFileSystems, deleteTables } from "./deleters-data.js";
export { type Candidate, type CleanupApis, type DeleteContext, label } from "./guards.js";

/**
 * A detachment normally takes seconds; one stuck longer is not waited for (deleting the stack
 * terminates the instance, which detaches it; AWS otherwise suggests a forced detachment).
 */
const DETACH_LIMIT_SECONDS = 30 * 60;

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
