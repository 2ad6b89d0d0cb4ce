/** What a run left behind in the sandbox (tests and the local runner compare it with the report). */
import { parseLock } from "../../../functions/shared/lock.js";
import { TAG_EXECUTION } from "../../../functions/shared/types.js";
import type { Region, WorldCore } from "./model.js";
import { stackStatus } from "./services/cloudformation.js";

/**
 * What a run left behind at `now` (the world settled), as ARNs: resources tagged
 * drctl:execution=<runName> or created by the run's restore jobs (runs/<runName>/jobs.json in any
 * bucket, plus `extraJobIds`) that still exist and are not being deleted, with each mount target
 * still on such a file system (mount targets have no ARN: `<file system ARN>/mount-target/<id>`),
 * restore jobs of the run still running, parameters under /drctl-drill/<runName>, the lock (or a takeover claim) while it
 * still holds the run, and the run's stacks.
 */
export function runLeftovers(
  world: Pick<WorldCore, "account" | "s3">,
  regions: readonly Region[],
  runName: string,
  now: number,
  extraJobIds: readonly string[] = [],
): string[] {
  const jobIds = new Set([...extraJobIds, ...jobIdsOf(world, runName)]);
  const out: string[] = [];
  const ours = (tags: Record<string, string>, job?: string) =>
    tags[TAG_EXECUTION] === runName || (job !== undefined && jobIds.has(job));
  const alive = (x: { deletingAt?: number }) => x.deletingAt === undefined || x.deletingAt > now;
  for (const region of regions) {
    for (const d of region.dbInstances.values())
      if (alive(d) && ours(d.tags, d.createdByJob)) out.push(d.arn);
    for (const c of region.dbClusters.values()) if (alive(c) && ours(c.tags, c.createdByJob)) out.push(c.arn);
    for (const i of region.instances.values()) {
      // Instances a stack launched are reported as the stack (deleting it deletes them).
      if (i.stackId === undefined && ours(i.tags, i.createdByJob) && alive(i)) out.push(i.arn);
    }
    for (const v of region.volumes.values()) if (alive(v) && ours(v.tags, v.createdByJob)) out.push(v.arn);
    for (const f of region.fileSystems.values()) {
      if (!alive(f) || !ours(f.tags, f.createdByJob)) continue;
      out.push(f.arn);
      for (const m of region.mountTargets.values())
        if (m.fileSystemId === f.id && alive(m)) out.push(`${f.arn}/mount-target/${m.id}`);
    }
    for (const t of region.tables.values()) if (alive(t) && ours(t.tags, t.createdByJob)) out.push(t.arn);
    for (const s of region.stacks) {
      const status = stackStatus(s, now);
      if (s.tags[TAG_EXECUTION] === runName && !status.startsWith("DELETE_")) out.push(s.id);
    }
    for (const p of region.parameters.values()) {
      const underRun = p.name.startsWith(`/drctl-drill/${runName}/`);
      const lock = /^\/drctl\/lock(-takeover)?\//.test(p.name) && parseLock(p.value)?.run === runName;
      if (underRun || lock || p.tags[TAG_EXECUTION] === runName) {
        out.push(`arn:aws:ssm:${region.name}:${world.account}:parameter${p.name}`);
      }
    }
    for (const j of region.restoreJobs.values()) {
      if (jobIds.has(j.id) && j.endsAt > now) {
        out.push(`arn:aws:backup:${region.name}:${world.account}:restore-job:${j.id}`);
      }
    }
  }
  return [...new Set(out)];
}

function jobIdsOf(world: Pick<WorldCore, "s3">, runName: string): string[] {
  const ids: string[] = [];
  for (const bucket of world.s3.values()) {
    for (const [key, obj] of bucket) {
      // runs/<run>/jobs.json, and runs/<run>/attempt-<n>/jobs.json of a redriven drill
      if (!key.includes(`runs/${runName}/`) || !key.endsWith("jobs.json")) continue;
      try {
        const doc = JSON.parse(obj.body) as {
          jobs?: { restoreJobId?: string; previousJobIds?: string[] }[];
        };
        for (const j of doc.jobs ?? []) {
          if (j.restoreJobId) ids.push(j.restoreJobId);
          ids.push(...(j.previousJobIds ?? []));
        }
      } catch {
        // not a jobs document
      }
    }
  }
  return ids;
}
