/**
 * StartRestoreJob metadata: the recovery point's own (GetRecoveryPointRestoreMetadata) with the
 * primary region's names replaced or dropped (regional-metadata.ts), the overrides that name the
 * restored resource and put it in the pre-deployed DR network (never a default VPC), deletion
 * protection off for drills (as AWS Backup restore testing infers it), then the app config's
 * per-resource overrides. AWS Backup metadata keys are not case sensitive, so keys are replaced
 * and removed case-insensitively.
 */
import type { Ec2Api } from "./aws/ec2.js";
import type { AppConfig, RegionalNames, ResourceType } from "./config.js";
import { assertNever, ConfigInvalid } from "./errors.js";
import { localizeMetadata, type Metadata } from "./regional-metadata.js";
import type { Mode } from "./types.js";

export type { Metadata };

/** The DR network a restore lands in, with the availability zone of its first subnet. */
export interface DrNetwork {
  subnetIds: string[];
  securityGroupIds: string[];
  dbSubnetGroup: string;
  /** AZ of subnetIds[0] (EBS volumes are created there; EC2 instances launch there). */
  availabilityZone: string;
}

/** Removes keys (case-insensitive). */
export function withoutKeys(meta: Metadata, keys: readonly string[]): Metadata {
  const drop = new Set(keys.map((k) => k.toLowerCase()));
  return Object.fromEntries(Object.entries(meta).filter(([k]) => !drop.has(k.toLowerCase())));
}

/** Sets keys, replacing any existing key of the same name in another case. */
export function withKeys(meta: Metadata, values: Metadata): Metadata {
  return { ...withoutKeys(meta, Object.keys(values)), ...values };
}

/** Value of a key, case-insensitive. */
export function metadataValue(meta: Metadata, key: string): string | undefined {
  const lower = key.toLowerCase();
  return Object.entries(meta).find(([k]) => k.toLowerCase() === lower)?.[1];
}

/**
 * The key that keeps the restored resource from being deleted, per type. A drill's restores must
 * be deletable by cleanup, so they get it false (restore testing infers deletionProtection=false for
 * DynamoDB and RDS, disableApiTermination=false for EC2); a failover keeps the source's setting.
 */
const PROTECTION: Partial<Record<ResourceType, string>> = {
  rds: "DeletionProtection",
  aurora: "DeletionProtection",
  dynamodb: "deletionProtection",
  ec2: "DisableApiTermination",
};

/** Overrides that name the restored resource and place it in the DR network, per type. */
function placement(type: ResourceType, base: Metadata, targetName: string, net: DrNetwork): Metadata {
  const sgs = JSON.stringify(net.securityGroupIds);
  switch (type) {
    case "rds":
      return withKeys(withoutKeys(base, ["AvailabilityZone"]), {
        DBInstanceIdentifier: targetName,
        DBSubnetGroupName: net.dbSubnetGroup,
        VpcSecurityGroupIds: sgs,
      });
    case "aurora":
      return withKeys(withoutKeys(base, ["AvailabilityZones", "AvailabilityZone"]), {
        DBClusterIdentifier: targetName,
        DBSubnetGroupName: net.dbSubnetGroup,
        VpcSecurityGroupIds: sgs,
      });
    case "ec2":
      return withKeys(withoutKeys(base, ["NetworkInterfaces", "Placement", "AvailabilityZone", "VpcId"]), {
        SubnetId: net.subnetIds[0] ?? "",
        SecurityGroupIds: sgs,
      });
    case "ebs":
      return withKeys(base, { availabilityZone: net.availabilityZone });
    case "efs":
      return withKeys(base, {
        newFileSystem: "true",
        CreationToken: targetName,
        Encrypted: "true",
        PerformanceMode: metadataValue(base, "PerformanceMode") ?? "generalPurpose",
      });
    case "dynamodb":
      return withKeys(base, { targetTableName: targetName });
    default:
      return assertNever(type, "resource type");
  }
}

/**
 * The metadata for StartRestoreJob: recovery point metadata → regional names → DR placement and
 * target name → drill protection off → config overrides (which win).
 */
export function buildRestoreMetadata(input: {
  type: ResourceType;
  mode: Mode;
  recoveryPointMetadata: Metadata;
  targetName: string;
  network: DrNetwork;
  recoveryRegion: string;
  regionalNames?: RegionalNames | undefined;
  overrides?: Metadata | undefined;
}): Metadata {
  const base = localizeMetadata(input.recoveryPointMetadata, input.recoveryRegion, input.regionalNames);
  const placed = placement(input.type, base, input.targetName, input.network);
  const protection = PROTECTION[input.type];
  const unprotected =
    input.mode === "drill" && protection ? withKeys(placed, { [protection]: "false" }) : placed;
  return withKeys(unprotected, input.overrides ?? {});
}

/**
 * Checks that the configured subnets and security groups exist and belong to the DR VPC
 * (ConfigInvalid otherwise) and returns the network with the first subnet's AZ.
 */
export async function resolveDrNetwork(ec2: Ec2Api, network: AppConfig["network"]): Promise<DrNetwork> {
  const [subnets, groups] = await Promise.all([
    ec2.describeSubnets(network.subnetIds),
    ec2.describeSecurityGroups(network.securityGroupIds),
  ]);
  const problems: string[] = [];
  for (const id of network.subnetIds) {
    const s = subnets.find((x) => x.id === id);
    if (!s) problems.push(`subnet ${id} does not exist`);
    else if (s.vpcId !== network.vpcId) problems.push(`subnet ${id} is in ${s.vpcId}, not ${network.vpcId}`);
  }
  for (const id of network.securityGroupIds) {
    const g = groups.find((x) => x.id === id);
    if (!g) problems.push(`security group ${id} does not exist`);
    else if (g.vpcId !== network.vpcId) {
      problems.push(`security group ${id} is in ${g.vpcId}, not ${network.vpcId}`);
    }
  }
  if (problems.length > 0) throw new ConfigInvalid(`network: ${problems.join("; ")}`);
  const first = subnets.find((x) => x.id === network.subnetIds[0]);
  return {
    subnetIds: network.subnetIds,
    securityGroupIds: network.securityGroupIds,
    dbSubnetGroup: network.dbSubnetGroup,
    availabilityZone: first?.availabilityZone ?? "",
  };
}
