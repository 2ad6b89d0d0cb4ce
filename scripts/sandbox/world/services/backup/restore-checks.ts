/**
 * StartRestoreJob's checks, split as AWS splits them. Synchronous (the call fails): malformed
 * Metadata or identifiers, a key the type needs. Everything that depends on what exists in the
 * recovery region is the job's fate, not the call's: a DB subnet group, security group, subnet,
 * parameter/option group, key pair, KMS key or IAM role that does not exist there is accepted, and
 * the job goes FAILED after a short RUNNING with the owning service's error as StatusMessage, the
 * way AWS Backup reports the failing create call.
 */
import type { ResourceType } from "../../../../../functions/shared/config.js";
import { BACKUP_RESOURCE_TYPE } from "../../../../../functions/shared/naming.js";
import type { Region, RestoreJob, WorldCore } from "../../model.js";
import { uuidFrom } from "../../naming.js";
import { catalogOf, kmsKeyExists, rolesOf } from "./catalog.js";
import { invalidValue } from "./recovery-points.js";

/** Metadata value by key, case-insensitive (AWS Backup metadata keys are not case sensitive). */
export function mdValue(md: Record<string, string>, key: string): string | undefined {
  const lower = key.toLowerCase();
  const hit = Object.entries(md).find(([k]) => k.toLowerCase() === lower);
  return hit?.[1] === "" ? undefined : hit?.[1];
}

/** "[\"a\",\"b\"]" or "a,b" → [a, b]. */
export function parseList(v: string | undefined): string[] {
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

/** The name a restore creates (for conflicts with what exists), checked synchronously. */
export function checkRequest(type: ResourceType, md: Record<string, string>): string | undefined {
  const need = (key: string): string => {
    const v = mdValue(md, key);
    if (v === undefined)
      throw invalidValue(
        `Invalid restore metadata: ${key} is required for ${BACKUP_RESOURCE_TYPE[type]} restores`,
      );
    return v;
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
  for (const key of ["VpcSecurityGroupIds", "SecurityGroupIds", "AvailabilityZones"])
    parseList(mdValue(md, key));
  switch (type) {
    case "rds":
      return `rds:${identifier("DBInstanceIdentifier")}`;
    case "aurora":
      return `aurora:${identifier("DBClusterIdentifier")}`;
    case "efs":
      if (mdValue(md, "newFileSystem") !== "true") {
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
    default:
      return undefined;
  }
}

/** A failure of the owning service's create call, as the job's StatusMessage reports it. */
export interface RestoreFault {
  service: "AmazonRDS" | "AmazonEC2" | "AmazonElasticFileSystem" | "AmazonDynamoDBv2" | "AWSBackup";
  status: number;
  code: string;
  message: string;
}

export function faultMessage(w: WorldCore, f: RestoreFault, seed: string): string {
  if (f.service === "AWSBackup") return f.message;
  const requestId = uuidFrom(w.scenario.name, "restore-fault", seed);
  return `${f.message} (Service: ${f.service}; Status Code: ${f.status}; Error Code: ${f.code}; Request ID: ${requestId}; Proxy: null)`;
}

/** KMS key references anywhere in the metadata, nested JSON values included. */
function kmsRefs(md: Record<string, string>): string[] {
  const out: string[] = [];
  const walk = (v: unknown, key: string) => {
    if (typeof v === "string") {
      if (/kms/i.test(key) && v !== "") out.push(v);
      const t = v.trim();
      if (t.startsWith("[") || t.startsWith("{")) {
        try {
          walk(JSON.parse(t), "");
        } catch {
          // not JSON: a plain value
        }
      }
    } else if (Array.isArray(v)) {
      for (const x of v) walk(x, key);
    } else if (v !== null && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) walk(x, k);
    }
  };
  for (const [k, v] of Object.entries(md)) walk(v, k);
  return out;
}

/** What makes the job fail in the recovery region, if anything (first problem wins). */
export function restoreFault(
  w: WorldCore,
  region: Region,
  type: ResourceType,
  md: Record<string, string>,
  roleArn: string,
): RestoreFault | undefined {
  if (!rolesOf(w).has(roleArn.replace(/^arn:aws[a-z-]*:/, "arn:aws:"))) {
    return {
      service: "AWSBackup",
      status: 400,
      code: "AccessDenied",
      message: `The provided role ${roleArn} cannot be assumed by AWS Backup.`,
    };
  }
  const cat = catalogOf(w, region);
  const rds = (status: number, code: string, message: string): RestoreFault => ({
    service: "AmazonRDS",
    status,
    code,
    message,
  });
  const ec2 = (code: string, message: string): RestoreFault => ({
    service: "AmazonEC2",
    status: 400,
    code,
    message,
  });
  const v = (key: string) => mdValue(md, key);
  const kms = kmsRefs(md).find((ref) => !kmsKeyExists(w, region, ref));
  const kmsFault = (service: RestoreFault["service"], code: string): RestoreFault | undefined =>
    kms === undefined
      ? undefined
      : {
          service,
          status: 400,
          code,
          message: `The specified KMS key [${kms}] does not exist, is not enabled or you do not have permissions to access it.`,
        };
  if (type === "rds" || type === "aurora") {
    const groupName = v("DBSubnetGroupName");
    const group = groupName ? region.dbSubnetGroups.get(groupName) : undefined;
    if (!groupName) {
      return rds(
        400,
        "InvalidSubnet",
        "No default subnet detected in VPC. Please contact AWS Support to recreate default Subnets.",
      );
    }
    if (!group)
      return rds(404, "DBSubnetGroupNotFoundFault", `DB subnet group '${groupName}' does not exist.`);
    for (const id of parseList(v("VpcSecurityGroupIds"))) {
      const sg = region.securityGroups.get(id);
      if (!sg || sg.vpcId !== group.vpcId) {
        return rds(400, "InvalidParameterValue", `Invalid security group , groupId= ${id}, groupName=.`);
      }
    }
    const groupAzs = new Set(group.subnetIds.map((s) => region.subnets.get(s)?.az));
    const azs = [
      ...parseList(v("AvailabilityZones")),
      ...(v("AvailabilityZone") ? [v("AvailabilityZone") as string] : []),
    ];
    const badAz = azs.find((az) => !groupAzs.has(az));
    if (badAz) {
      return rds(
        400,
        "InvalidParameterCombination",
        `No subnets found for the DB subnet group '${groupName}' in availability zone ${badAz}.`,
      );
    }
    const pg = v("DBParameterGroupName");
    if (pg && !cat.dbParameterGroups.has(pg))
      return rds(404, "DBParameterGroupNotFound", `DBParameterGroup not found: ${pg}`);
    const cpg = v("DBClusterParameterGroupName");
    if (cpg && !cat.dbClusterParameterGroups.has(cpg)) {
      return rds(404, "DBParameterGroupNotFound", `DBClusterParameterGroup not found: ${cpg}`);
    }
    const og = v("OptionGroupName");
    if (og && !cat.optionGroups.has(og))
      return rds(404, "OptionGroupNotFoundFault", `Specified OptionGroupName: ${og} not found.`);
    return kmsFault("AmazonRDS", "KMSKeyNotAccessibleFault");
  }
  if (type === "ec2") {
    const subnetId = v("SubnetId");
    if (!subnetId) return ec2("VPCIdNotSpecified", "No default VPC for this user");
    const subnet = region.subnets.get(subnetId);
    if (!subnet) return ec2("InvalidSubnetID.NotFound", `The subnet ID '${subnetId}' does not exist`);
    for (const id of parseList(v("SecurityGroupIds"))) {
      const sg = region.securityGroups.get(id);
      if (!sg) return ec2("InvalidGroup.NotFound", `The security group '${id}' does not exist`);
      if (sg.vpcId !== subnet.vpcId) {
        return ec2(
          "InvalidParameter",
          `Security group ${id} and subnet ${subnetId} belong to different networks.`,
        );
      }
    }
    const key = v("KeyName");
    if (key && !cat.keyPairs.has(key))
      return ec2("InvalidKeyPair.NotFound", `The key pair '${key}' does not exist`);
    return kmsFault("AmazonEC2", "InvalidParameterValue");
  }
  if (type === "ebs") {
    const az = v("availabilityZone");
    if (az && !region.azs.includes(az))
      return ec2("InvalidParameterValue", `Invalid availability zone: [${az}]`);
    return kmsFault("AmazonEC2", "InvalidParameterValue");
  }
  if (type === "efs") return kmsFault("AmazonElasticFileSystem", "BadRequest");
  return kmsFault("AmazonDynamoDBv2", "ValidationException");
}

export function targetExists(region: Region, target: string): boolean {
  const [kind, id] = target.split(/:(.*)/s) as [string, string];
  if (kind === "rds") return region.dbInstances.has(id);
  if (kind === "aurora") return region.dbClusters.has(id);
  if (kind === "dynamodb") return region.tables.has(id);
  return false;
}

export function jobTarget(j: RestoreJob): string | undefined {
  const md = j.metadata;
  if (j.resource.type === "rds") return `rds:${mdValue(md, "DBInstanceIdentifier")?.toLowerCase()}`;
  if (j.resource.type === "aurora") return `aurora:${mdValue(md, "DBClusterIdentifier")?.toLowerCase()}`;
  if (j.resource.type === "dynamodb") return `dynamodb:${mdValue(md, "targetTableName")}`;
  return undefined;
}
