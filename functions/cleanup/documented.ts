/**
 * What the run's documents name for cleanup: discover's finds, the drill's parameters, the
 * leftovers they imply (protected sources, kinds cleanup cannot delete) and what Integrate tagged
 * just now (a refusal right after is retried: fresh-tags.ts). Read in the first round; once it is
 * complete (no restore job running, every planned restore recorded, every read answered) it is
 * kept in the cleanup document and the later rounds do not read the plan, jobs and integration
 * documents again: nothing writes them once the run's main path has stopped.
 */
import type { ArtifactStore } from "../shared/artifacts.js";
import { runKeys } from "../shared/artifacts.js";
import type { BackupApi } from "../shared/aws/backup.js";
import { noteTagged } from "../shared/aws/fresh-tags.js";
import type { AppConfig } from "../shared/config.js";
import {
  type CleanupDocument,
  IntegrationDocument,
  JobsDocument,
  PlanDocument,
  type RunContext,
} from "../shared/types.js";
import type { Candidate, CleanupApis } from "./deleters.js";
import { discover } from "./discover.js";
import type { Ledger } from "./ledger.js";
import { parameterNames } from "./targets.js";

export type Documented = NonNullable<CleanupDocument["documented"]>;

export interface DocumentedFinds {
  candidates: Candidate[];
  parameters: string[];
  /** Whether to keep them for the next rounds (complete: see the file's comment). */
  keep: boolean;
  documented: Documented;
}

export async function documentedFinds(
  run: RunContext,
  deps: CleanupApis & { backup: BackupApi; store: ArtifactStore; config: AppConfig },
  ledger: Ledger,
  previous: CleanupDocument | undefined,
): Promise<DocumentedFinds> {
  const kept = previous?.documented;
  if (kept) {
    ledger.restate(kept.leftovers);
    for (const t of kept.tagged) noteTagged([t.arn], new Date(t.at));
    const candidates = kept.candidates.map(
      ({ arn, ...c }): Candidate => (arn === undefined ? c : { ...c, arn }),
    );
    return { candidates, parameters: kept.parameters, keep: true, documented: kept };
  }
  const keys = runKeys(run.artifactsPrefix);
  const [plan, jobs, integration] = await Promise.all([
    deps.store.findJson(keys.plan, PlanDocument),
    deps.store.findJson(keys.jobs, JobsDocument),
    deps.store.findJson(keys.integration, IntegrationDocument),
  ]);
  const docs = { config: deps.config, plan, jobs, integration };
  const tagged = (integration?.resources ?? []).flatMap((r) =>
    r.restoredArn && r.taggedAt ? [{ arn: r.restoredArn, at: r.taggedAt }] : [],
  );
  for (const t of tagged) noteTagged([t.arn], new Date(t.at));
  const before = {
    pending: ledger.pending.length,
    leftovers: ledger.leftovers.length,
    failures: ledger.failures,
  };
  const candidates = await discover(run, docs, deps, ledger);
  const parameters = parameterNames(run, docs);
  const recorded = (plan?.restores ?? []).every((p) => (jobs?.jobs ?? []).some((j) => j.name === p.name));
  const keep = recorded && ledger.pending.length === before.pending && ledger.failures === before.failures;
  const leftovers = ledger.leftovers.slice(before.leftovers);
  return { candidates, parameters, keep, documented: { candidates, parameters, leftovers, tagged } };
}
