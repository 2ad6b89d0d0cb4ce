/**
 * AWS Backup recovery points: the recovery-region vault with the scenario's cross-region copies
 * (newest first), the copies that keep arriving while the primary is healthy, and their output
 * shape. A copy's ARN is the owning service's snapshot or image unless AWS Backup fully manages
 * the type (naming.ts, recoveryPointArnIn); the copy carries the source resource's tags.
 */
import type { DescribeRecoveryPointOutput, RecoveryPointByBackupVault } from "@aws-sdk/client-backup";
import { BACKUP_RESOURCE_TYPE } from "../../../../../functions/shared/naming.js";
import type { ScenarioResource } from "../../../scenario.js";
import { SandboxError } from "../../../types.js";
import type { RecoveryPoint, Region, WorldCore } from "../../model.js";
import { TIMINGS } from "../../model.js";
import { hashHex, recoveryPointArn, sourceArn } from "../../naming.js";

const GiB = 1024 ** 3;
const MINUTE = 60_000;
const BACKUP_JOB_MS = TIMINGS.backupJobSeconds * 1000;
const COPY_MS = TIMINGS.copySeconds * 1000;
export const PRIMARY_VAULT = "Default";

export const notFound = (msg: string) => new SandboxError("ResourceNotFoundException", msg, 400);
export const invalidValue = (msg: string) => new SandboxError("InvalidParameterValueException", msg, 400);

export const vaultArn = (w: WorldCore, region: string, name: string) =>
  `arn:aws:backup:${region}:${w.account}:backup-vault:${name}`;

/** A copy of a series: when its backup started, when its copy completes, the source's tags then. */
interface Copy {
  createdAt: number;
  completedAt: number;
  tags: Record<string, string>;
}

/** Copy `k` of a resource (0 = newest at t=0, older 1, 2, …; later copies -1, -2, …). */
function newPoint(w: WorldCore, res: ScenarioResource, copy: Copy, k: number): RecoveryPoint {
  return {
    arn: recoveryPointArn(w.scenario, res, k),
    resource: res,
    vault: w.scenario.vault,
    createdAt: copy.createdAt,
    // The copy job starts when the backup job ends; the copy is in the vault, CREATING, from then.
    listedAt: Math.min(copy.createdAt + BACKUP_JOB_MS, copy.completedAt),
    completedAt: copy.completedAt,
    sizeBytes: res.recoveryPoints.sizeGiB * GiB,
    resourceArn: sourceArn(w.scenario, res),
    index: k,
    // "If you copy your backup to another AWS Region, AWS Backup copies all tags of the original
    // backup to the destination" (tags-on-backups); the original got the resource's tags.
    tags: { ...copy.tags },
  };
}

/**
 * A resource's copies at t=0, newest first. The regular series (count, intervalMinutes,
 * newestAgeMinutes) is COMPLETED by t=0; an explicit one (`points`) has each copy's own age, copy
 * time and tags, so some may still be in flight. A `recoveryPoints` fault (`stale`) makes the
 * newest copy that old, the others keeping their distance to it.
 */
function seriesAt(res: ScenarioResource, t0: number, stale: number | undefined): Copy[] {
  const rps = res.recoveryPoints;
  if (!rps.points) {
    const first = t0 - (stale ?? rps.newestAgeMinutes) * MINUTE;
    return Array.from({ length: rps.count }, (_, k) => {
      const createdAt = Math.round(first - k * rps.intervalMinutes * MINUTE);
      return { createdAt, completedAt: Math.min(createdAt + COPY_MS, t0), tags: res.tags };
    });
  }
  const points = [...rps.points].sort((a, b) => a.ageMinutes - b.ageMinutes);
  const shift = stale === undefined ? 0 : stale - (points[0]?.ageMinutes ?? 0);
  return points.map((p) => {
    const createdAt = Math.round(t0 - (p.ageMinutes + shift) * MINUTE);
    return { createdAt, completedAt: createdAt + p.copyMinutes * MINUTE, tags: p.tags ?? res.tags };
  });
}

/** Creates the recovery-region vault and its recovery points (newest first) for every resource. */
export function seedVault(w: WorldCore, t0: number): void {
  const s = w.scenario;
  const r = w.recovery;
  r.vaults.set(s.vault, {
    name: s.vault,
    arn: vaultArn(w, r.name, s.vault),
    createdAt: t0 - 400 * 86400_000,
  });
  w.primary.vaults.set(PRIMARY_VAULT, {
    name: PRIMARY_VAULT,
    arn: vaultArn(w, w.primary.name, PRIMARY_VAULT),
    createdAt: t0 - 400 * 86400_000,
  });
  for (const res of s.resources) {
    const stale = w.faults.recoveryPointsAge(res.name);
    const series = seriesAt(res, t0, stale);
    series.forEach((copy, k) => {
      const rp = newPoint(w, res, copy, k);
      if (rp.listedAt > t0) w.schedule(rp.listedAt, () => list(w, rp));
      else {
        r.recoveryPoints.push(rp);
        w.remember(rp.arn, res.name);
      }
    });
    w.remember(sourceArn(s, res), res.name);
    // The next copy was still in flight at t=0 (else the backups had already stopped).
    const newest = series[0]?.createdAt ?? t0;
    const nextInFlight = t0 - newest < res.recoveryPoints.intervalMinutes * MINUTE + COPY_MS;
    if (s.primary.healthy && stale === undefined && nextInFlight) scheduleCopy(w, res, newest, -1);
  }
  r.recoveryPoints.sort((a, b) => b.createdAt - a.createdAt);
}

/** Puts a copy in the vault (its copy job has started). */
function list(w: WorldCore, rp: RecoveryPoint): void {
  insertNewestFirst(w.recovery.recoveryPoints, rp);
  w.remember(rp.arn, rp.resource.name);
}

/**
 * Backups that keep coming after t=0: while the primary is healthy, each resource whose copies are
 * not stale (no `recoveryPoints` fault, newest copy younger than one interval) gets a new copy every
 * intervalMinutes after its newest, as its backup plan and cross-region copy rule would produce
 * them (a standalone sandbox runs for hours of simulated time). Copy `k` (-1, -2, …) is in the
 * vault once its copy job starts (CREATING, then COMPLETED); it then schedules the next one.
 */
function scheduleCopy(w: WorldCore, res: ScenarioResource, newestMs: number, k: number): void {
  const createdAt = Math.round(newestMs - k * res.recoveryPoints.intervalMinutes * MINUTE);
  const rp = newPoint(w, res, { createdAt, completedAt: createdAt + COPY_MS, tags: res.tags }, k);
  w.schedule(rp.listedAt, () => {
    list(w, rp);
    scheduleCopy(w, res, newestMs, k - 1);
  });
}

/** Inserts into a list sorted by createdAt, newest first (after points of the same time). */
function insertNewestFirst(list: RecoveryPoint[], rp: RecoveryPoint): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as RecoveryPoint).createdAt >= rp.createdAt) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, rp);
}

/** A copy is CREATING from its copy job's start until it completes, then COMPLETED. */
export const rpStatus = (rp: RecoveryPoint, now: number): "CREATING" | "COMPLETED" =>
  now >= rp.completedAt ? "COMPLETED" : "CREATING";

/** A recovery point as ListRecoveryPointsByBackupVault and DescribeRecoveryPoint show it (the members both have). */
export function rpOut(w: WorldCore, region: Region, rp: RecoveryPoint, now: number) {
  const status = rpStatus(rp, now);
  const plan = hashHex(w.scenario.name, "plan").slice(0, 36);
  const kms = hashHex(w.scenario.name, "kms");
  return {
    RecoveryPointArn: rp.arn,
    BackupVaultName: rp.vault,
    BackupVaultArn: vaultArn(w, region.name, rp.vault),
    SourceBackupVaultArn: vaultArn(w, w.primary.name, PRIMARY_VAULT),
    ResourceArn: rp.resourceArn,
    ResourceType: BACKUP_RESOURCE_TYPE[rp.resource.type],
    ResourceName: rp.resource.name,
    CreatedBy: {
      BackupPlanId: plan,
      BackupPlanArn: `arn:aws:backup:${w.primary.name}:${w.account}:backup-plan:${plan}`,
      BackupRuleId: hashHex(w.scenario.name, "rule").slice(0, 36),
    },
    IamRoleArn: `arn:aws:iam::${w.account}:role/service-role/AWSBackupDefaultServiceRole`,
    Status: status,
    CreationDate: new Date(rp.createdAt),
    ...(status === "COMPLETED" ? { CompletionDate: new Date(rp.completedAt) } : {}),
    BackupSizeInBytes: rp.sizeBytes,
    Lifecycle: { DeleteAfterDays: 35 },
    CalculatedLifecycle: { DeleteAt: new Date(rp.createdAt + 35 * 86400_000) },
    EncryptionKeyArn: `arn:aws:kms:${region.name}:${w.account}:key/${kms.slice(0, 8)}-0000-4000-a000-${kms.slice(8, 20)}`,
    IsEncrypted: true,
    VaultType: "BACKUP_VAULT",
  } satisfies RecoveryPointByBackupVault & DescribeRecoveryPointOutput;
}

export function vaultOf(w: WorldCore, region: Region, name: string) {
  const v = region.vaults.get(name);
  if (!v) throw notFound(`Backup vault ${name} does not exist in ${region.name} (account ${w.account})`);
  return v;
}

export function pointOf(region: Region, vault: string, arn: string): RecoveryPoint {
  const rp = region.recoveryPoints.find((r) => r.arn === arn && r.vault === vault);
  if (!rp) throw notFound(`Recovery point ${arn} not found in backup vault ${vault}`);
  return rp;
}

/** True for recovery points under full AWS Backup management (the only ones ListTags answers for). */
export const fullyManaged = (arn: string): boolean => /^arn:aws[a-z-]*:backup:/.test(arn);
