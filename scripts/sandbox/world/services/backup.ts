/**
 * AWS Backup: the recovery-region vault with the scenario's cross-region copies, restore jobs
 * (PENDING → RUNNING → COMPLETED/FAILED/ABORTED on the virtual clock) and the resources a
 * completed restore creates in the recovery region.
 */
import type { ResourceType } from "../../../../functions/shared/config.js";
import { BACKUP_RESOURCE_TYPE } from "../../../../functions/shared/naming.js";
import type { ScenarioResource } from "../../scenario.js";
import { SandboxError } from "../../types.js";
import { optBool, optDate, optNumber, optString, requireString } from "../errors.js";
import {
  type Handlers,
  type RecoveryPoint,
  type Region,
  type RestoreJob,
  TIMINGS,
  type WorldCore,
} from "../model.js";
import { azOf, hashHex, recoveryPointArn, resourceArn, sourceArn, sourceId } from "../naming.js";
import { paginate } from "../paging.js";
import { restoreProgressFields, restoreStatus } from "../restore-progress.js";
import { newTable } from "./dynamodb.js";
import { launchInstance } from "./ec2.js";
import { newFileSystem } from "./efs.js";
import { newDbCluster, newDbInstance } from "./rds.js";

const GiB = 1024 ** 3;
const MINUTE = 60_000;

const notFound = (msg: string) => new SandboxError("ResourceNotFoundException", msg, 400);
const invalidValue = (msg: string) => new SandboxError("InvalidParameterValueException", msg, 400);
const badToken = () => invalidValue("The next token is invalid");

const vaultArn = (w: WorldCore, region: string, name: string) =>
  `arn:aws:backup:${region}:${w.account}:backup-vault:${name}`;
const PRIMARY_VAULT = "Default";

/**
 * Backups that keep coming after t=0: while the primary is healthy, each resource whose copies are
 * not stale (no `recoveryPoints` fault, newest copy younger than one interval) gets a new copy every
 * intervalMinutes, as its backup plan and cross-region copy rule would produce them (a standalone
 * sandbox runs for hours of simulated time). Per world: the next copy's index (-1, -2, …).
 */
const ongoing = new WeakMap<WorldCore, { res: ScenarioResource; firstMs: number; next: number }[]>();

/** Minutes from a backup's start until its cross-region copy is COMPLETED in the vault. */
const COPY_MINUTES = 4;

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
  const schedule: { res: ScenarioResource; firstMs: number; next: number }[] = [];
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
    if (s.primary.healthy && stale === undefined && nextInFlight) schedule.push({ res, firstMs, next: -1 });
  }
  r.recoveryPoints.sort((a, b) => b.createdAt - a.createdAt);
  ongoing.set(w, schedule);
}

/** Adds the copies whose backup (and cross-region copy) completed by `now` since the last call. */
export function settleRecoveryPoints(w: WorldCore, now: number): void {
  let added = false;
  for (const e of ongoing.get(w) ?? []) {
    for (;;) {
      const rp = newPoint(w, e.res, e.firstMs, e.next, Number.POSITIVE_INFINITY);
      if (rp.completedAt > now) break;
      w.recovery.recoveryPoints.push(rp);
      w.remember(rp.arn, e.res.name);
      e.next -= 1;
      added = true;
    }
  }
  if (added) w.recovery.recoveryPoints.sort((a, b) => b.createdAt - a.createdAt);
}

/** Restore metadata as GetRecoveryPointRestoreMetadata returns it: the source's settings, primary network. */
export function restoreMetadata(w: WorldCore, rp: RecoveryPoint): Record<string, string> {
  const s = w.scenario;
  const res = rp.resource;
  const pnet = w.primary.network;
  const paz = azOf(w.primary.name, 0);
  const sgs = JSON.stringify(pnet?.securityGroupIds ?? []);
  switch (res.type) {
    case "rds":
      return {
        DBInstanceIdentifier: res.name,
        DBInstanceClass: "db.r6g.large",
        Engine: "postgres",
        DBSubnetGroupName: pnet?.dbSubnetGroup ?? "default",
        VpcSecurityGroupIds: sgs,
        MultiAZ: "false",
        AvailabilityZone: paz,
        Port: "5432",
        PubliclyAccessible: "false",
        StorageType: "gp3",
        CopyTagsToSnapshot: "true",
        DeletionProtection: "false",
        AutoMinorVersionUpgrade: "true",
        LicenseModel: "postgresql-license",
      };
    case "aurora":
      return {
        DBClusterIdentifier: res.name,
        Engine: "aurora-postgresql",
        EngineVersion: "15.4",
        EngineMode: "provisioned",
        DBSubnetGroupName: pnet?.dbSubnetGroup ?? "default",
        VpcSecurityGroupIds: sgs,
        AvailabilityZones: JSON.stringify([
          azOf(w.primary.name, 0),
          azOf(w.primary.name, 1),
          azOf(w.primary.name, 2),
        ]),
        Port: "5432",
        StorageEncrypted: "true",
        DeletionProtection: "false",
        CopyTagsToSnapshot: "true",
        BackupRetentionPeriod: "7",
      };
    case "ec2":
      return {
        InstanceType: "t3.large",
        SubnetId: pnet?.subnetIds[0] ?? "",
        SecurityGroupIds: sgs,
        ImageId: `ami-0${hashHex(rp.arn).slice(0, 16)}`,
        EbsOptimized: "true",
        DisableApiTermination: "false",
        RequireIMDSv2: "true",
        Placement: JSON.stringify({ AvailabilityZone: paz, Tenancy: "default" }),
      };
    case "ebs":
      return {
        availabilityZone: paz,
        volumeType: "gp3",
        volumeSize: String(res.recoveryPoints.sizeGiB),
        encrypted: "true",
        iops: "3000",
        throughput: "125",
      };
    case "efs":
      return {
        "file-system-id": sourceId(s, res),
        newFileSystem: "true",
        Encrypted: "true",
        PerformanceMode: "generalPurpose",
        CreationToken: `${res.name}-${hashHex(rp.arn).slice(0, 8)}`,
      };
    case "dynamodb":
      return { targetTableName: res.name, encryptionType: "Default" };
  }
}

/** "[\"a\",\"b\"]" or "a,b" → [a, b]. */
function parseList(v: string | undefined): string[] {
  if (v === undefined || v.trim() === "") return [];
  const t = v.trim();
  if (t.startsWith("[")) {
    try {
      const parsed = JSON.parse(t) as unknown;
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      throw invalidValue(`Invalid restore metadata: ${v} is not a JSON list`);
    }
  }
  return t
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
}

/** The DR-network checks a restore must pass (and the name it creates, for conflicts). */
function validateRestore(
  w: WorldCore,
  region: Region,
  type: ResourceType,
  md: Record<string, string>,
): string | undefined {
  const net = region.network;
  const where = net ? `the DR network (${net.vpcId})` : `a network of ${region.name}`;
  const azs = region.azs;
  const need = (key: string): string => {
    const v = md[key];
    if (v === undefined || v === "")
      throw invalidValue(
        `Invalid restore metadata: ${key} is required for ${BACKUP_RESOURCE_TYPE[type]} restores`,
      );
    return v;
  };
  const subnetGroup = () => {
    const g = need("DBSubnetGroupName");
    if (!net || g !== net.dbSubnetGroup) {
      throw invalidValue(
        `Invalid restore metadata: DBSubnetGroupName "${g}" is not in ${where}; allowed: ${net?.dbSubnetGroup ?? "(none)"}`,
      );
    }
  };
  const groups = (key: string) => {
    const ids = parseList(md[key]);
    if (ids.length === 0) {
      throw invalidValue(
        `Invalid restore metadata: ${key} is required (without it the restore uses the default VPC's security group)`,
      );
    }
    for (const id of ids) {
      if (!net?.securityGroupIds.includes(id)) {
        throw invalidValue(
          `Invalid restore metadata: ${key} contains "${id}", which is not in ${where}; allowed: ${net?.securityGroupIds.join(", ") ?? "(none)"}`,
        );
      }
    }
  };
  const az = (key: string, value: string | undefined) => {
    if (value === undefined || value === "") return;
    if (!azs.includes(value)) {
      throw invalidValue(
        `Invalid restore metadata: ${key} "${value}" is not an availability zone of ${where}; allowed: ${azs.join(", ")}`,
      );
    }
  };
  const identifier = (key: string) => {
    const id = need(key);
    if (!/^[A-Za-z][A-Za-z0-9-]{0,62}$/.test(id) || id.endsWith("-") || id.includes("--")) {
      throw invalidValue(
        `Invalid restore metadata: ${key} "${id}" is not a valid identifier (1-63 letters, digits, hyphens; starts with a letter)`,
      );
    }
    return id.toLowerCase();
  };
  switch (type) {
    case "rds": {
      const id = identifier("DBInstanceIdentifier");
      subnetGroup();
      groups("VpcSecurityGroupIds");
      az("AvailabilityZone", md.AvailabilityZone);
      return `rds:${id}`;
    }
    case "aurora": {
      const id = identifier("DBClusterIdentifier");
      subnetGroup();
      groups("VpcSecurityGroupIds");
      for (const a of parseList(md.AvailabilityZones)) az("AvailabilityZones", a);
      return `aurora:${id}`;
    }
    case "ec2": {
      const subnet = md.SubnetId;
      if (!subnet)
        throw invalidValue(
          `Invalid restore metadata: SubnetId is required (without it the instance lands in the default VPC)`,
        );
      if (!net?.subnetIds.includes(subnet)) {
        throw invalidValue(
          `Invalid restore metadata: SubnetId "${subnet}" is not in ${where}; allowed: ${net?.subnetIds.join(", ") ?? "(none)"}`,
        );
      }
      groups("SecurityGroupIds");
      return undefined;
    }
    case "ebs":
      az("availabilityZone", need("availabilityZone"));
      return undefined;
    case "efs":
      if (md.newFileSystem !== "true") {
        throw invalidValue(
          'Invalid restore metadata: newFileSystem must be "true" to restore into another region',
        );
      }
      return undefined;
    case "dynamodb": {
      const name = need("targetTableName");
      if (!/^[A-Za-z0-9_.-]{3,255}$/.test(name))
        throw invalidValue(`Invalid restore metadata: targetTableName "${name}" is not a valid table name`);
      return `dynamodb:${name}`;
    }
  }
  void w;
}

function targetExists(region: Region, target: string): boolean {
  const [kind, id] = target.split(/:(.*)/s) as [string, string];
  if (kind === "rds") return region.dbInstances.has(id);
  if (kind === "aurora") return region.dbClusters.has(id);
  if (kind === "dynamodb") return region.tables.has(id);
  return false;
}

function jobTarget(j: RestoreJob): string | undefined {
  const md = j.metadata;
  if (j.resource.type === "rds") return `rds:${md.DBInstanceIdentifier?.toLowerCase()}`;
  if (j.resource.type === "aurora") return `aurora:${md.DBClusterIdentifier?.toLowerCase()}`;
  if (j.resource.type === "dynamodb") return `dynamodb:${md.targetTableName}`;
  return undefined;
}

function jobOut(w: WorldCore, j: RestoreJob, now: number) {
  const status = restoreStatus(j, now);
  const rp = w.recovery.recoveryPoints.find((r) => r.arn === j.recoveryPointArn);
  const message =
    status === "FAILED"
      ? (j.fateMessage ?? "Restore job failed")
      : status === "ABORTED"
        ? (j.fateMessage ?? "Restore job was aborted")
        : undefined;
  return {
    AccountId: w.account,
    RestoreJobId: j.id,
    RecoveryPointArn: j.recoveryPointArn,
    ...(rp ? { RecoveryPointCreationDate: new Date(rp.createdAt), SourceResourceArn: rp.resourceArn } : {}),
    CreationDate: new Date(j.createdAt),
    ...(now >= j.endsAt ? { CompletionDate: new Date(j.endsAt) } : {}),
    Status: status,
    ...(message !== undefined ? { StatusMessage: message } : {}),
    ...restoreProgressFields(j, now),
    IamRoleArn: j.roleArn,
    ...(status === "COMPLETED" && j.createdResourceArn ? { CreatedResourceArn: j.createdResourceArn } : {}),
    ResourceType: j.resourceType,
  };
}

function rpOut(w: WorldCore, region: Region, rp: RecoveryPoint) {
  return {
    RecoveryPointArn: rp.arn,
    BackupVaultName: rp.vault,
    BackupVaultArn: vaultArn(w, region.name, rp.vault),
    SourceBackupVaultArn: vaultArn(w, w.primary.name, PRIMARY_VAULT),
    ResourceArn: rp.resourceArn,
    ResourceType: BACKUP_RESOURCE_TYPE[rp.resource.type],
    ResourceName: rp.resource.name,
    CreatedBy: {
      BackupPlanId: hashHex(w.scenario.name, "plan").slice(0, 36),
      BackupPlanArn: `arn:aws:backup:${w.primary.name}:${w.account}:backup-plan:${hashHex(w.scenario.name, "plan").slice(0, 36)}`,
      BackupRuleId: hashHex(w.scenario.name, "rule").slice(0, 36),
    },
    IamRoleArn: `arn:aws:iam::${w.account}:role/service-role/AWSBackupDefaultServiceRole`,
    Status: "COMPLETED",
    CreationDate: new Date(rp.createdAt),
    CompletionDate: new Date(rp.completedAt),
    BackupSizeInBytes: rp.sizeBytes,
    Lifecycle: { DeleteAfterDays: 35 },
    CalculatedLifecycle: { DeleteAt: new Date(rp.createdAt + 35 * 86400_000) },
    EncryptionKeyArn: `arn:aws:kms:${region.name}:${w.account}:key/${hashHex(w.scenario.name, "kms").slice(0, 8)}-0000-4000-a000-${hashHex(w.scenario.name, "kms").slice(8, 20)}`,
    IsEncrypted: true,
    VaultType: "BACKUP_VAULT",
  };
}

function vaultOf(w: WorldCore, region: Region, name: string) {
  const v = region.vaults.get(name);
  if (!v) throw notFound(`Backup vault ${name} does not exist in ${region.name} (account ${w.account})`);
  return v;
}

function pointOf(region: Region, vault: string, arn: string): RecoveryPoint {
  const rp = region.recoveryPoints.find((r) => r.arn === arn && r.vault === vault);
  if (!rp) throw notFound(`Recovery point ${arn} not found in backup vault ${vault}`);
  return rp;
}

function maxResults(input: Record<string, unknown>): number | undefined {
  const m = optNumber(input, "MaxResults");
  if (m !== undefined && (m < 1 || m > 1000))
    throw invalidValue(`MaxResults must be between 1 and 1000, got ${m}`);
  return m;
}

/** Completed restores create their resources in the region (at the job's completion time). */
export function settleRestoreJobs(w: WorldCore, region: Region, now: number): void {
  for (const j of region.restoreJobs.values()) {
    if (j.materialized || j.fate !== "COMPLETED" || j.endsAt > now) continue;
    j.materialized = true;
    j.createdResourceArn = materialize(w, region, j);
  }
}

function materialize(w: WorldCore, region: Region, j: RestoreJob): string {
  const md = j.metadata;
  const at = j.endsAt;
  const res: ScenarioResource = j.resource;
  const tags = j.copyTags ? { ...res.tags } : {};
  const common = { tags, createdByJob: j.id };
  const remember = (...keys: string[]) => {
    for (const k of keys) w.remember(k, res.name);
  };
  switch (res.type) {
    case "rds": {
      const d = newDbInstance(w, region, at, at, {
        ...common,
        id: (md.DBInstanceIdentifier ?? res.name).toLowerCase(),
        instanceClass: md.DBInstanceClass ?? "db.r6g.large",
        engine: md.Engine ?? "postgres",
        subnetGroup: md.DBSubnetGroupName ?? "default",
        sgIds: parseList(md.VpcSecurityGroupIds),
        multiAz: md.MultiAZ === "true",
        port: Number(md.Port ?? 5432),
        storageGiB: res.recoveryPoints.sizeGiB,
        ...(md.AvailabilityZone ? { az: md.AvailabilityZone } : {}),
      });
      remember(d.id, d.arn);
      return d.arn;
    }
    case "aurora": {
      const c = newDbCluster(w, region, at, {
        ...common,
        id: (md.DBClusterIdentifier ?? res.name).toLowerCase(),
        engine: md.Engine ?? "aurora-postgresql",
        subnetGroup: md.DBSubnetGroupName ?? "default",
        sgIds: parseList(md.VpcSecurityGroupIds),
        port: Number(md.Port ?? 5432),
        ...(md.EngineVersion ? { engineVersion: md.EngineVersion } : {}),
      });
      remember(c.id, c.arn);
      return c.arn;
    }
    case "ebs": {
      const id = `vol-0${w.nextHex("volume", 16)}`;
      const v = {
        id,
        arn: resourceArn("ebs", region.name, w.account, id),
        az: md.availabilityZone ?? azOf(region.name, 0),
        sizeGiB: Number(md.volumeSize ?? res.recoveryPoints.sizeGiB),
        volumeType: md.volumeType ?? "gp3",
        encrypted: md.encrypted !== "false",
        iops: Number(md.iops ?? 3000),
        snapshotId: j.recoveryPointArn.split(":").pop() ?? "",
        createdAt: at,
        readyAt: at,
        ...common,
      };
      region.volumes.set(id, v);
      remember(id, v.arn);
      return v.arn;
    }
    case "ec2": {
      const inst = launchInstance(w, region, at, {
        subnetId: md.SubnetId ?? "",
        tags,
        instanceType: md.InstanceType ?? "t3.large",
        sgIds: parseList(md.SecurityGroupIds),
        ...(md.ImageId ? { imageId: md.ImageId } : {}),
      });
      inst.createdByJob = j.id;
      remember(inst.id, inst.arn);
      return inst.arn;
    }
    case "efs": {
      const f = newFileSystem(w, region, at, {
        ...common,
        creationToken: md.CreationToken ?? `${res.name}-${j.id.slice(0, 8).toLowerCase()}`,
        encrypted: md.Encrypted !== "false",
        performanceMode: md.PerformanceMode ?? "generalPurpose",
        sizeBytes: Math.floor(j.sizeBytes / 4),
      });
      remember(f.id, f.arn);
      return f.arn;
    }
    case "dynamodb": {
      const t = newTable(w, region, at, {
        ...common,
        name: md.targetTableName ?? res.name,
        sizeBytes: j.sizeBytes,
      });
      remember(t.name, t.arn);
      return t.arn;
    }
  }
}

export const backupHandlers: Handlers = {
  ListBackupVaults({ world, region }) {
    return {
      BackupVaultList: [...region.vaults.values()].map((v) => ({
        BackupVaultName: v.name,
        BackupVaultArn: v.arn,
        CreationDate: new Date(v.createdAt),
        NumberOfRecoveryPoints: region.recoveryPoints.filter((rp) => rp.vault === v.name).length,
        Locked: false,
        VaultType: "BACKUP_VAULT",
        VaultState: "AVAILABLE",
        EncryptionKeyArn: `arn:aws:kms:${region.name}:${world.account}:alias/aws/backup`,
      })),
    };
  },

  ListRecoveryPointsByBackupVault({ world, region, input }) {
    const vault = requireString("backup", input, "BackupVaultName");
    vaultOf(world, region, vault);
    const byArn = optString(input, "ByResourceArn");
    const byType = optString(input, "ByResourceType");
    const before = optDate(input, "ByCreatedBefore");
    const after = optDate(input, "ByCreatedAfter");
    const list = region.recoveryPoints.filter(
      (rp) =>
        rp.vault === vault &&
        (byArn === undefined || rp.resourceArn === byArn) &&
        (byType === undefined || BACKUP_RESOURCE_TYPE[rp.resource.type] === byType) &&
        (before === undefined || rp.createdAt < before) &&
        (after === undefined || rp.createdAt > after),
    );
    const page = paginate(
      list,
      {
        max: maxResults(input),
        token: optString(input, "NextToken"),
        defaultMax: 1000,
        scope: `backup:rp:${vault}`,
      },
      badToken,
    );
    return {
      RecoveryPoints: page.items.map((rp) => rpOut(world, region, rp)),
      ...(page.next ? { NextToken: page.next } : {}),
    };
  },

  DescribeRecoveryPoint({ world, region, input }) {
    const vault = requireString("backup", input, "BackupVaultName");
    vaultOf(world, region, vault);
    const rp = pointOf(region, vault, requireString("backup", input, "RecoveryPointArn"));
    return rpOut(world, region, rp);
  },

  GetRecoveryPointRestoreMetadata({ world, region, input }) {
    const vault = requireString("backup", input, "BackupVaultName");
    vaultOf(world, region, vault);
    const rp = pointOf(region, vault, requireString("backup", input, "RecoveryPointArn"));
    return {
      BackupVaultArn: vaultArn(world, region.name, vault),
      RecoveryPointArn: rp.arn,
      RestoreMetadata: restoreMetadata(world, rp),
      ResourceType: BACKUP_RESOURCE_TYPE[rp.resource.type],
    };
  },

  StartRestoreJob({ world, region, input, now }) {
    const rpArn = requireString("backup", input, "RecoveryPointArn");
    const token = optString(input, "IdempotencyToken");
    if (token !== undefined) {
      const existing = region.restoreTokens.get(token);
      if (existing) return { RestoreJobId: existing };
    }
    const roleArn = requireString("backup", input, "IamRoleArn");
    if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/.+/.test(roleArn)) {
      throw invalidValue(`IamRoleArn "${roleArn}" is not a valid IAM role ARN`);
    }
    const raw = input.Metadata;
    if (raw === null || typeof raw !== "object" || Object.keys(raw).length === 0) {
      throw new SandboxError("MissingParameterValueException", "Metadata is required", 400);
    }
    const metadata: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) metadata[k] = String(v);
    const rp = region.recoveryPoints.find((r) => r.arn === rpArn);
    if (!rp) throw notFound(`Recovery point ${rpArn} not found`);
    const type = rp.resource.type;
    const givenType = optString(input, "ResourceType");
    if (givenType !== undefined && givenType.toLowerCase() !== BACKUP_RESOURCE_TYPE[type].toLowerCase()) {
      throw invalidValue(
        `ResourceType ${givenType} does not match the recovery point's resource type ${BACKUP_RESOURCE_TYPE[type]}`,
      );
    }
    const target = validateRestore(world, region, type, metadata);
    const fault = world.faults.takeRestore(rp.resource.name);
    const id = world.nextUuid("restore-job").toUpperCase();
    const restoreMs = rp.resource.restoreSeconds * 1000;
    const runMs = restoreMs + fault.extraSeconds * 1000;
    const runningAt = now + TIMINGS.restorePendingSeconds * 1000;
    const conflict =
      target !== undefined &&
      (targetExists(region, target) ||
        [...region.restoreJobs.values()].some(
          (j) => j.fate === "COMPLETED" && !j.materialized && jobTarget(j) === target,
        ));
    let fate: RestoreJob["fate"] = "COMPLETED";
    let fateMessage: string | undefined;
    let endsAt = runningAt + runMs;
    if (conflict) {
      fate = "FAILED";
      fateMessage = `${target?.split(":")[1]} already exists in ${region.name}`;
      endsAt = runningAt + 1000;
    } else if (fault.status) {
      fate = fault.status;
      fateMessage =
        fault.message ?? (fault.status === "FAILED" ? "Restore job failed" : "Restore job was aborted");
      endsAt = runningAt + Math.max(1000, Math.floor(runMs / 2));
    }
    const job: RestoreJob = {
      id,
      recoveryPointArn: rp.arn,
      resource: rp.resource,
      resourceType: BACKUP_RESOURCE_TYPE[type],
      roleArn,
      metadata,
      createdAt: now,
      runningAt,
      endsAt,
      fate,
      expectedMinutes: Math.ceil((TIMINGS.restorePendingSeconds * 1000 + restoreMs) / MINUTE),
      sizeBytes: rp.sizeBytes,
      materialized: false,
      copyTags: optBool(input, "CopySourceTagsToRestoredResource") ?? false,
      ...(token !== undefined ? { token } : {}),
      ...(fateMessage !== undefined ? { fateMessage } : {}),
    };
    region.restoreJobs.set(id, job);
    if (token !== undefined) region.restoreTokens.set(token, id);
    world.remember(id, rp.resource.name);
    return { RestoreJobId: id };
  },

  DescribeRestoreJob({ world, region, input, now }) {
    const id = requireString("backup", input, "RestoreJobId");
    const j = region.restoreJobs.get(id);
    if (!j) throw notFound(`Restore job ${id} not found`);
    return jobOut(world, j, now);
  },

  ListRestoreJobs({ world, region, input, now }) {
    const after = optDate(input, "ByCreatedAfter");
    const before = optDate(input, "ByCreatedBefore");
    const completeAfter = optDate(input, "ByCompleteAfter");
    const completeBefore = optDate(input, "ByCompleteBefore");
    const status = optString(input, "ByStatus");
    const type = optString(input, "ByResourceType");
    const account = optString(input, "ByAccountId");
    const list = [...region.restoreJobs.values()]
      .filter((j) => {
        const done = now >= j.endsAt;
        return (
          (after === undefined || j.createdAt > after) &&
          (before === undefined || j.createdAt < before) &&
          (completeAfter === undefined || (done && j.endsAt > completeAfter)) &&
          (completeBefore === undefined || (done && j.endsAt < completeBefore)) &&
          (status === undefined || restoreStatus(j, now) === status) &&
          (type === undefined || j.resourceType === type) &&
          (account === undefined || account === world.account)
        );
      })
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1));
    const page = paginate(
      list,
      {
        max: maxResults(input),
        token: optString(input, "NextToken"),
        defaultMax: 1000,
        scope: "backup:restore-jobs",
      },
      badToken,
    );
    return {
      RestoreJobs: page.items.map((j) => jobOut(world, j, now)),
      ...(page.next ? { NextToken: page.next } : {}),
    };
  },

  ListBackupJobs({ world, region, input }) {
    // Backup jobs ran in the primary region; the recovery region only holds their copies.
    if (region !== world.primary) return { BackupJobs: [] };
    const byArn = optString(input, "ByResourceArn");
    const state = optString(input, "ByState");
    const after = optDate(input, "ByCreatedAfter");
    const before = optDate(input, "ByCreatedBefore");
    const list = world.recovery.recoveryPoints.filter(
      (rp) =>
        (byArn === undefined || rp.resourceArn === byArn) &&
        (state === undefined || state === "COMPLETED") &&
        (after === undefined || rp.createdAt > after) &&
        (before === undefined || rp.createdAt < before),
    );
    const page = paginate(
      list,
      {
        max: maxResults(input),
        token: optString(input, "NextToken"),
        defaultMax: 1000,
        scope: "backup:backup-jobs",
      },
      badToken,
    );
    return {
      BackupJobs: page.items.map((rp) => ({
        AccountId: world.account,
        BackupJobId: hashHex(rp.arn, "job").slice(0, 32).toUpperCase(),
        BackupVaultName: PRIMARY_VAULT,
        BackupVaultArn: vaultArn(world, region.name, PRIMARY_VAULT),
        RecoveryPointArn: rp.arn.replace(`:${world.recovery.name}:`, `:${region.name}:`),
        ResourceArn: rp.resourceArn,
        ResourceType: BACKUP_RESOURCE_TYPE[rp.resource.type],
        CreationDate: new Date(rp.createdAt),
        CompletionDate: new Date(rp.completedAt),
        State: "COMPLETED",
        PercentDone: "100.0",
        BackupSizeInBytes: rp.sizeBytes,
      })),
      ...(page.next ? { NextToken: page.next } : {}),
    };
  },

  ListTags({ world, region, input }) {
    const arn = requireString("backup", input, "ResourceArn");
    const rp = region.recoveryPoints.find((r) => r.arn === arn);
    if (rp) return { Tags: { ...rp.resource.tags } };
    if ([...region.vaults.values()].some((v) => v.arn === arn)) return { Tags: {} };
    throw notFound(`Resource ${arn} not found (account ${world.account})`);
  },
};
