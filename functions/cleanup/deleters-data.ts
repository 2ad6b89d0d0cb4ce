/**
 * File systems and tables: each observed with as few calls as it needs. A file system's describe
 * counts its mount targets (NumberOfMountTargets), so they are listed only when it has more than
 * cleanup deleted already; a table whose ARN the restore job named is read by its tags alone
 * (ListTagsOfResource, which answers ResourceNotFoundException once it is gone).
 */
import { type Candidate, type DeleteContext, each, foreign, label, tagged } from "./guards.js";
import { type Ledger, NOT_YET } from "./ledger.js";

/** Mount target deletions this cleanup had accepted for the file system `key`, this round or before. */
const deletedMountTargets = (ledger: Ledger, key: string): number =>
  Object.entries(ledger.track).filter(([id, t]) => id.startsWith(`delete ${key} mount target `) && t.accepted)
    .length;

/**
 * Mount targets first, then the file system. Returns true while mount targets are being deleted.
 * A file system with no mount targets (NumberOfMountTargets 0) is deleted without a listing; one
 * with no more than cleanup deleted already is waited for without one (another created since
 * ends as a leftover when the wait's bound is reached).
 */
export async function deleteFileSystems(ctx: DeleteContext, candidates: Candidate[]): Promise<boolean> {
  const { efs } = ctx.apis;
  const { ledger } = ctx;
  let busy = false;
  const waitForTargets = (c: Candidate, count: number) => {
    const what = count > 0 ? `${count} mount target(s)` : "its mount targets";
    ledger.wait(label(c), `file system ${c.id} waits for ${what}`, 60);
    if (ledger.isPending(label(c))) busy = true;
  };
  await each(candidates, ledger, async (c) => {
    const key = label(c);
    const fs = await ledger.read([key], "describe", () => efs.describeFileSystem(c.id));
    if (!fs || fs.lifeCycleState === "deleted" || foreign(ctx, c, fs.tags)) return;
    if (fs.lifeCycleState === "deleting") return ledger.wait(key, `file system ${c.id} deleting`, 30);
    if (!(await tagged(ctx, c, fs.tags, (t) => efs.tagResource(c.id, t)))) return;
    const count = fs.mountTargets;
    if (count !== undefined && count > 0 && count <= deletedMountTargets(ledger, key))
      return waitForTargets(c, count);
    if (count === undefined || count > 0) {
      const listed = await ledger.read([key], "describe", () => efs.describeMountTargets(c.id));
      if (!listed) return;
      const targets = listed.filter((m) => m.lifeCycleState !== "deleted");
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
        return waitForTargets(c, targets.length);
      }
    }
    // FileSystemInUse (a mount target still deleting, if AWS no longer counts it): asked again.
    let inUse = false;
    const deleting = await ledger.attempt("delete", key, async () => {
      inUse = (await efs.deleteFileSystem(c.id)) === "in-use";
      return inUse ? NOT_YET : undefined;
    });
    if (deleting) ledger.wait(key, `file system ${c.id} deleting`, 30);
    else if (inUse) waitForTargets(c, count ?? 0);
  });
  return busy;
}

/**
 * Tables: a candidate whose ARN is known (the restore job's CreatedResourceArn) is read by its
 * tags alone; DescribeTable only finds the ARN of one known by name. A gone table (either answer
 * ResourceNotFoundException) is nothing to do; DeleteTable of one already deleting is a no-op.
 */
export async function deleteTables(ctx: DeleteContext, candidates: Candidate[]): Promise<void> {
  const { dynamodb } = ctx.apis;
  const { ledger } = ctx;
  await each(candidates, ledger, async (c) => {
    const key = label(c);
    const arn = c.arn ?? (await ledger.read([key], "describe", () => dynamodb.describeTable(c.id)))?.arn;
    if (!arn) return;
    // DescribeTable carries no tags.
    const tags = await ledger.read([key], "describe", () => dynamodb.listTags(arn));
    if (!tags || foreign(ctx, c, tags)) return;
    if (!(await tagged(ctx, c, tags, (t) => dynamodb.tagResource(arn, t)))) return;
    if (await ledger.attempt("delete", key, () => dynamodb.deleteTable(c.id)))
      ledger.wait(key, `table ${c.id} deleting`, 30);
  });
}
