/**
 * PlanRestores: which recovery point each resource is restored from, and with what metadata.
 * Resources come from the config's explicit list and/or the vault's recovery points selected by
 * tags: the tags of each resource's newest copy, read in the recovery region from the service that
 * owns the copy (aws/copy-tags.ts), which are the source resource's tags at backup time (AWS Backup
 * copies them), so selection needs nothing from the primary region. Each gets the newest COMPLETED recovery point at or before run.restoreTo; the RPO gate
 * stops the run when one is older than the objective (unless forced). The plan (topologically
 * ordered by dependsOn) goes to S3; the state carries a summary.
 */
import * as z from "zod";
import type { ArtifactStore } from "../shared/artifacts.js";
import { runKeys } from "../shared/artifacts.js";
import type { BackupApi, RecoveryPoint } from "../shared/aws/backup.js";
import type { CopyTagsApi } from "../shared/aws/copy-tags.js";
import type { Ec2Api } from "../shared/aws/ec2.js";
import { mapLimit, topoOrder } from "../shared/collections.js";
import type { AppConfig, ResourceType } from "../shared/config.js";
import { NoRecoveryPoint, RpoExceeded } from "../shared/errors.js";
import { logger } from "../shared/logger.js";
import { nameFromArn, resourceTypeOf, restoredName, sha256 } from "../shared/naming.js";
import { buildRestoreMetadata, resolveDrNetwork } from "../shared/restore-metadata.js";
import { type PlanDocument, type PlannedRestore, type PlanSummary, RunContext } from "../shared/types.js";
import { newestPoints } from "./points.js";

export const PlanRestoresEvent = z.object({ run: RunContext });
export type PlanRestoresEvent = z.infer<typeof PlanRestoresEvent>;

export interface PlanRestoresDeps {
  config: AppConfig;
  /** AWS Backup, EC2 and the copies' tags, all in the recovery region. */
  backup: BackupApi;
  ec2: Ec2Api;
  copyTags: CopyTagsApi;
  store: ArtifactStore;
  now: () => Date;
}

interface Target {
  name: string;
  type: ResourceType;
  sourceArn: string;
  dependsOn: string[];
  overrides: Record<string, string>;
}

const CONCURRENCY = 10;
const newestFirst = (a: RecoveryPoint, b: RecoveryPoint) => b.createdAt.getTime() - a.createdAt.getTime();

/** Resources whose newest recovery point carries every selection tag (explicit ones excluded). */
async function selectByTags(deps: PlanRestoresDeps, config: AppConfig): Promise<Target[]> {
  if (!config.selection) return [];
  const wanted = Object.entries(config.selection.tags);
  const explicit = new Set(config.resources.map((r) => r.sourceArn));
  const newest = new Map<string, RecoveryPoint>();
  const points = (await deps.backup.listRecoveryPoints(config.vault)).filter((p) => p.status === "COMPLETED");
  for (const rp of points.sort(newestFirst)) {
    if (!explicit.has(rp.resourceArn) && !newest.has(rp.resourceArn)) newest.set(rp.resourceArn, rp);
  }
  const names = new Set(config.resources.map((r) => r.name));
  const tagsOf = await deps.copyTags.tagsOf([...newest.values()].map((rp) => rp.arn));
  const picked = [...newest.values()].map((rp) => {
    const tags = tagsOf.get(rp.arn) ?? {};
    return wanted.every(([k, v]) => tags[k] === v) ? rp : undefined;
  });
  const targets: Target[] = [];
  for (const rp of picked) {
    if (!rp) continue;
    const type = resourceTypeOf(rp.resourceType);
    if (!type) {
      logger.warn("selected recovery point of an unsupported type skipped", {
        rp: rp.arn,
        type: rp.resourceType,
      });
      continue;
    }
    let name = nameFromArn(rp.resourceArn);
    if (names.has(name)) name = `${name.slice(0, 58)}-${sha256(rp.resourceArn).slice(0, 4)}`;
    names.add(name);
    targets.push({ name, type, sourceArn: rp.resourceArn, dependsOn: [], overrides: {} });
  }
  return targets;
}

export async function planRestores(event: PlanRestoresEvent, deps: PlanRestoresDeps): Promise<PlanSummary> {
  const { run } = event;
  const { config } = deps;
  const restoreTo = new Date(run.restoreTo);
  const network = await resolveDrNetwork(deps.ec2, config.network);
  const explicit: Target[] = config.resources.map((r) => ({ ...r, overrides: r.restoreMetadata }));
  const targets = topoOrder([...explicit, ...(await selectByTags(deps, config))]);
  if (targets.length === 0) {
    throw new NoRecoveryPoint(`no recovery point in vault ${config.vault} matches the selection tags`);
  }
  const points = await newestPoints(
    deps.backup,
    config.vault,
    targets.map((t) => t.sourceArn),
    restoreTo,
    config.objectives.rpoMinutes,
  );
  const found = targets.map((t, i) => ({ t, rp: points[i] }));
  const missing = found.filter((f) => !f.rp).map((f) => `${f.t.name} (${f.t.sourceArn})`);
  if (missing.length > 0) {
    throw new NoRecoveryPoint(
      `no COMPLETED recovery point in vault ${config.vault} at or before ${run.restoreTo} for: ${missing.join(", ")}`,
    );
  }
  const rpoLimit = config.objectives.rpoMinutes * 60;
  const rpo = found.map(({ t, rp }) => ({ t, rp: rp as RecoveryPoint, seconds: rpoOf(restoreTo, rp) }));
  const exceeded = rpo.filter((r) => r.seconds > rpoLimit);
  if (exceeded.length > 0 && !run.force) {
    const list = exceeded.map(
      (r) =>
        `${r.t.name}: newest recovery point ${r.rp.createdAt.toISOString()} (${Math.round(r.seconds / 60)} min)`,
    );
    throw new RpoExceeded(
      `RPO objective ${config.objectives.rpoMinutes} min exceeded at restoreTo ${run.restoreTo}: ${list.join("; ")}`,
    );
  }
  const restores = await mapLimit(rpo, CONCURRENCY, async ({ t, rp, seconds }): Promise<PlannedRestore> => {
    const targetName = restoredName(run, t.name);
    const metadata = buildRestoreMetadata({
      type: t.type,
      mode: run.mode,
      regionalNames: config.regionalNames,
      recoveryPointMetadata: await deps.backup.getRestoreMetadata(config.vault, rp.arn),
      targetName,
      network,
      recoveryRegion: config.regions.recovery,
      overrides: t.overrides,
    });
    return {
      name: t.name,
      type: t.type,
      sourceArn: t.sourceArn,
      recoveryPointArn: rp.arn,
      recoveryPointCreatedAt: rp.createdAt.toISOString(),
      rpoSeconds: seconds,
      targetName,
      dependsOn: t.dependsOn,
      metadata,
    };
  });
  const planKey = runKeys(run.artifactsPrefix).plan;
  const doc: PlanDocument = { run: run.name, createdAt: deps.now().toISOString(), restores };
  await deps.store.putJson(planKey, doc);
  const worstRpoSeconds = Math.max(0, ...restores.map((r) => r.rpoSeconds));
  logger.info("restore plan written", { planKey, total: restores.length, worstRpoSeconds });
  return { planKey, total: restores.length, worstRpoSeconds, rpoExceeded: exceeded.map((r) => r.t.name) };
}

const rpoOf = (restoreTo: Date, rp: RecoveryPoint | undefined): number =>
  rp ? Math.round((restoreTo.getTime() - rp.createdAt.getTime()) / 1000) : 0;
