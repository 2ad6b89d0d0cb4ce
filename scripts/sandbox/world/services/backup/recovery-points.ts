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
import { hashHex, recoveryPointArn, sourceArn } from "../../naming.js";

const GiB = 1024 ** 3;
const MINUTE = 60_000;
/** Minutes from a backup's start until its cross-region copy is COMPLETED in the vault. */
const COPY_MINUTES = 4;
export const PRIMARY_VAULT = "Default";

export const notFound = (msg: string) => new SandboxError("ResourceNotFoundException", msg, 400);
export const invalidValue = (msg: string) => new SandboxError("InvalidParameterValueException", msg, 400);

export const vaultArn = (w: WorldCore, region: string, name: string) =>
  `arn:aws:backup:${region}:${w.account}:backup-vault:${name}`;

function newPoint(
  w: WorldCore,
  res: ScenarioResource,
  firstMs: number,
  k: number,
  cap: number,
): RecoveryPoint {
  const createdAt = Math.round(firstMs - k * res.recoveryPoints.intervalMinutes * MINUTE);
  return {
    arn: recoveryPointArn(w.scenario, res, k),
    resource: res,
    vault: w.scenario.vault,
    createdAt,
    completedAt: Math.min(createdAt + COPY_MINUTES * MINUTE, cap),
    sizeBytes: res.recoveryPoints.sizeGiB * GiB,
    resourceArn: sourceArn(w.scenario, res),
    index: k,
    // "If you copy your backup to another AWS Region, AWS Backup copies all tags of the original
    // backup to the destination" (tags-on-backups); the original got the resource's tags.
    tags: { ...res.tags },
  };
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
    const firstMs = t0 - (stale ?? res.recoveryPoints.newestAgeMinutes) * MINUTE;
    for (let k = 0; k < res.recoveryPoints.count; k++) {
      const rp = newPoint(w, res, firstMs, k, t0);
      r.recoveryPoints.push(rp);
      w.remember(rp.arn, res.name);
    }
    w.remember(sourceArn(s, res), res.name);
    // The next copy was still in flight at t=0 (else the backups had already stopped).
    const nextInFlight =
      res.recoveryPoints.newestAgeMinutes < res.recoveryPoints.intervalMinutes + COPY_MINUTES;
    if (s.primary.healthy && stale === undefined && nextInFlight) scheduleCopy(w, res, firstMs, -1);
  }
  r.recoveryPoints.sort((a, b) => b.createdAt - a.createdAt);
}

/**
 * Backups that keep coming after t=0: while the primary is healthy, each resource whose copies are
 * not stale (no `recoveryPoints` fault, newest copy younger than one interval) gets a new copy every
 * intervalMinutes, as its backup plan and cross-region copy rule would produce them (a standalone
 * sandbox runs for hours of simulated time). Copy `k` (-1, -2, …) arrives in the vault when it
 * completes; it then schedules the next one.
 */
function scheduleCopy(w: WorldCore, res: ScenarioResource, firstMs: number, k: number): void {
  const rp = newPoint(w, res, firstMs, k, Number.POSITIVE_INFINITY);
  w.schedule(rp.completedAt, () => {
    insertNewestFirst(w.recovery.recoveryPoints, rp);
    w.remember(rp.arn, res.name);
    scheduleCopy(w, res, firstMs, k - 1);
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

/** A recovery point as ListRecoveryPointsByBackupVault and DescribeRecoveryPoint show it (the members both have). */
export function rpOut(w: WorldCore, region: Region, rp: RecoveryPoint) {
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
    Status: "COMPLETED",
    CreationDate: new Date(rp.createdAt),
    CompletionDate: new Date(rp.completedAt),
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
