/**
 * The run's progress documents (jobs.json, integration.json) are written merged with what is in
 * S3 now, never blindly replaced. A Task past its TimeoutSeconds leaves its Lambda running: that
 * invocation's late write would otherwise put back an older view (a COMPLETED restore job back to
 * PENDING, a DONE resource back to IN_PROGRESS) after its retry, or the next step, moved on.
 * The merge keeps, per entry, whatever is further along. The store merges with the version it saw
 * and writes on condition that S3 still holds it (ArtifactStore.saveMerged): a read only when
 * another writer came in between.
 */
import type { ArtifactStore } from "./artifacts.js";
import { IntegrationDocument, type IntegrationRecord, JobsDocument, type RestoreJobRecord } from "./types.js";

const JOB_RANK: Record<RestoreJobRecord["status"], number> = {
  PENDING: 0,
  RUNNING: 1,
  COMPLETED: 2,
  FAILED: 2,
  ABORTED: 2,
};

/** Per job name: the later attempt; for the same attempt, the status further along (ours on a tie). */
function laterJob(ours: RestoreJobRecord, theirs: RestoreJobRecord): RestoreJobRecord {
  if (ours.attempt !== theirs.attempt) return ours.attempt > theirs.attempt ? ours : theirs;
  return JOB_RANK[theirs.status] > JOB_RANK[ours.status] ? theirs : ours;
}

export function mergeJobs(
  ours: readonly RestoreJobRecord[],
  theirs: readonly RestoreJobRecord[],
): RestoreJobRecord[] {
  const stored = new Map(theirs.map((j) => [j.name, j]));
  const merged = ours.map((j) => {
    const other = stored.get(j.name);
    return other ? laterJob(j, other) : j;
  });
  const names = new Set(ours.map((j) => j.name));
  return [...merged, ...theirs.filter((j) => !names.has(j.name))];
}

const STATUS_RANK: Record<IntegrationRecord["status"], number> = { PENDING: 0, IN_PROGRESS: 1, DONE: 2 };
const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])];

function mergeRecord(ours: IntegrationRecord, theirs: IntegrationRecord): IntegrationRecord {
  const ahead = STATUS_RANK[theirs.status] > STATUS_RANK[ours.status] ? theirs : ours;
  const merged: IntegrationRecord = {
    ...theirs,
    ...ahead,
    actions: union(ours.actions, theirs.actions),
    parameters: union(ours.parameters, theirs.parameters),
  };
  const commands = (theirs.commandIds?.length ?? 0) > (ours.commandIds?.length ?? 0) ? theirs : ours;
  if (commands.commandIds) merged.commandIds = commands.commandIds;
  const targets = commands.instanceIds ?? ours.instanceIds ?? theirs.instanceIds;
  if (targets) merged.instanceIds = targets;
  return merged;
}

export function mergeIntegration(
  ours: readonly IntegrationRecord[],
  theirs: readonly IntegrationRecord[],
): IntegrationRecord[] {
  const stored = new Map(theirs.map((r) => [r.name, r]));
  const names = new Set(ours.map((r) => r.name));
  return [
    ...ours.map((r) => {
      const other = stored.get(r.name);
      return other ? mergeRecord(r, other) : r;
    }),
    ...theirs.filter((r) => !names.has(r.name)),
  ];
}

/** Writes the jobs document merged with the stored one; returns what was written. */
export function saveJobs(store: ArtifactStore, key: string, doc: JobsDocument): Promise<JobsDocument> {
  return store.saveMerged(key, JobsDocument, (stored) => ({
    run: doc.run,
    jobs: mergeJobs(doc.jobs, stored?.jobs ?? []),
  }));
}

/** Writes the integration document merged with the stored one; returns what was written. */
export function saveIntegration(
  store: ArtifactStore,
  key: string,
  doc: IntegrationDocument,
): Promise<IntegrationDocument> {
  return store.saveMerged(key, IntegrationDocument, (stored) => {
    const merged: IntegrationDocument = {
      run: doc.run,
      resources: mergeIntegration(doc.resources, stored?.resources ?? []),
    };
    const subnets = doc.subnets ?? stored?.subnets;
    if (subnets) merged.subnets = subnets;
    return merged;
  });
}
