/**
 * Deterministic names, ids and ARNs of a scenario's world. configFromScenario uses the same
 * functions, so the app configuration and the sandbox always agree on source ARNs and zone ids.
 */
import { createHash } from "node:crypto";
import type { ResourceType } from "../../../functions/shared/config.js";
import type { Scenario, ScenarioResource } from "../scenario.js";

export function hashHex(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex");
}

/** A UUID-shaped deterministic id. */
export function uuidFrom(...parts: string[]): string {
  const h = hashHex(...parts);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Availability zones of a region: <region>a, <region>b, ... */
export const azOf = (region: string, index: number): string => `${region}${"abcdef"[index % 6]}`;

const DIRECTION: Record<string, string> = {
  northeast: "ne",
  northwest: "nw",
  southeast: "se",
  southwest: "sw",
};

/**
 * The AZ ID of a zone name, as AWS forms it: the Region code shortened (us-west-2 → usw2,
 * ap-northeast-1 → apne1), `-az`, a number (us-west-2a → usw2-az1). The sandbox numbers zones in
 * letter order; in AWS's oldest Regions the name-to-ID mapping differs per account.
 */
export function azIdOf(az: string): string {
  const m = /^([a-z]+)((?:-[a-z]+)+)-(\d+)([a-z])$/.exec(az);
  if (!m) return az;
  const [, geo, words = "", number, letter = "a"] = m;
  const short = words
    .slice(1)
    .split("-")
    .map((w) => DIRECTION[w] ?? w.charAt(0))
    .join("");
  return `${geo}${short}${number}-az${letter.charCodeAt(0) - 96}`;
}

type Ctx = Pick<Scenario, "name" | "account" | "regions">;

/** The protected resource's own id in the primary region (volume/instance/file system id, or its name). */
export function sourceId(s: Ctx, r: Pick<ScenarioResource, "name" | "type">): string {
  const h = hashHex(s.name, "source", r.type, r.name);
  switch (r.type) {
    case "ebs":
      return `vol-0${h.slice(0, 16)}`;
    case "ec2":
      return `i-0${h.slice(0, 16)}`;
    case "efs":
      return `fs-0${h.slice(0, 16)}`;
    default:
      return r.name;
  }
}

/** ARN of a resource of `type` with id `id` in `region`. */
export function resourceArn(type: ResourceType, region: string, account: string, id: string): string {
  switch (type) {
    case "rds":
      return `arn:aws:rds:${region}:${account}:db:${id}`;
    case "aurora":
      return `arn:aws:rds:${region}:${account}:cluster:${id}`;
    case "ebs":
      return `arn:aws:ec2:${region}:${account}:volume/${id}`;
    case "ec2":
      return `arn:aws:ec2:${region}:${account}:instance/${id}`;
    case "efs":
      return `arn:aws:elasticfilesystem:${region}:${account}:file-system/${id}`;
    case "dynamodb":
      return `arn:aws:dynamodb:${region}:${account}:table/${id}`;
  }
}

/** ARN of the protected resource in the primary region (what its recovery points carry as ResourceArn). */
export function sourceArn(s: Ctx, r: Pick<ScenarioResource, "name" | "type">): string {
  return resourceArn(r.type, s.regions.primary, s.account, sourceId(s, r));
}

/**
 * ARN of a recovery point of a resource, as AWS Backup names it: only resource types under full
 * AWS Backup management (EFS, DynamoDB with advanced backup) get `arn:aws:backup:…:recovery-point:`;
 * the others are the owning service's own snapshot or image. In the primary vault the backup job
 * names RDS snapshots `awsbackup:job-<id>`; the cross-region copy in the recovery vault is
 * `awsbackup:copyjob-<id>` (docs/fidelity.md, "AWS Backup: recovery points and restore metadata").
 */
export function recoveryPointArnIn(
  region: string,
  account: string,
  type: ResourceType,
  seed: string,
  copy: boolean,
): string {
  const h = hashHex(seed);
  const job = `awsbackup:${copy ? "copyjob" : "job"}-${uuidFrom(h)}`;
  switch (type) {
    case "rds":
      return `arn:aws:rds:${region}:${account}:snapshot:${job}`;
    case "aurora":
      return `arn:aws:rds:${region}:${account}:cluster-snapshot:${job}`;
    case "ebs":
      return `arn:aws:ec2:${region}::snapshot/snap-0${h.slice(0, 16)}`;
    case "ec2":
      return `arn:aws:ec2:${region}::image/ami-0${h.slice(0, 16)}`;
    default:
      return `arn:aws:backup:${region}:${account}:recovery-point:${uuidFrom(h)}`;
  }
}

/** Recovery point ARN of copy `index` (0 = newest) of a resource, in the recovery-region vault. */
export function recoveryPointArn(s: Ctx, r: Pick<ScenarioResource, "name" | "type">, index: number): string {
  return recoveryPointArnIn(
    s.regions.recovery,
    s.account,
    r.type,
    hashHex(s.name, "rp", r.name, String(index)),
    true,
  );
}

/** The primary-vault recovery point a copy was made from (what ListBackupJobs reports). */
export function primaryRecoveryPointArn(s: Ctx, r: Pick<ScenarioResource, "name" | "type">, copyArn: string) {
  return recoveryPointArnIn(s.regions.primary, s.account, r.type, hashHex(copyArn, "source"), false);
}

/** The snapshot, image or recovery point id at the end of a recovery point ARN. */
export const recoveryPointId = (arn: string): string => arn.split(/[:/]/).pop() ?? arn;

/** Route 53 hosted zone id of the scenario's zone: "Z" + 13 uppercase hex chars. */
export function hostedZoneId(s: Pick<Scenario, "name" | "dns">): string {
  return `Z${hashHex("zone", s.dns.hostedZone.toLowerCase()).slice(0, 13).toUpperCase()}`;
}

export interface NetworkShape {
  vpcId: string;
  subnetIds: string[];
  securityGroupIds: string[];
  dbSubnetGroup: string;
}

/** The primary region's own network (the protected resources' metadata points here). */
export function primaryNetwork(s: Pick<Scenario, "name">): NetworkShape {
  const h = hashHex(s.name, "primary-network");
  return {
    vpcId: `vpc-0${h.slice(0, 16)}`,
    subnetIds: [`subnet-0${h.slice(16, 32)}`, `subnet-0${h.slice(32, 48)}`],
    securityGroupIds: [`sg-0${h.slice(48, 64)}`],
    dbSubnetGroup: "default",
  };
}

/** Tag KEY=VALUE the primary app instances carry, which the app config's detect step looks for. */
export const primaryInstanceTag = (app: string): string => `app=${app}`;

export function splitTag(filter: string): [string, string] {
  const i = filter.indexOf("=");
  return [filter.slice(0, i), filter.slice(i + 1)];
}
