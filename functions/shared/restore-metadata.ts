/**
 * StartRestoreJob metadata: the recovery point's own (GetRecoveryPointRestoreMetadata) with the
 * overrides that name the restored resource and put it in the pre-deployed DR network (never a
 * default VPC), then the app config's per-resource overrides. AWS Backup metadata keys are not
 * case sensitive, so keys are replaced and removed case-insensitively.
 */
import type { Ec2Api } from "./aws/ec2.js";
import type { AppConfig, ResourceType } from "./config.js";
import { assertNever, ConfigInvalid } from "./errors.js";

export type Metadata = Record<string, string>;

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

/** KMS keys of another region cannot encrypt a resource here (the vault copy has its own key). */
function withoutForeignKmsKeys(meta: Metadata, region: string): Metadata {
  const foreign = Object.entries(meta)
    .filter(([k, v]) => /kms/i.test(k) && v.startsWith("arn:") && v.split(":")[3] !== region)
    .map(([k]) => k);
  return withoutKeys(meta, foreign);
}

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
 * The metadata for StartRestoreJob: recovery point metadata → DR placement and target name →
 * config overrides (which win).
 */
export function buildRestoreMetadata(input: {
  type: ResourceType;
  recoveryPointMetadata: Metadata;
  targetName: string;
  network: DrNetwork;
  recoveryRegion: string;
  overrides?: Metadata | undefined;
}): Metadata {
  const base = withoutForeignKmsKeys(input.recoveryPointMetadata, input.recoveryRegion);
  const placed = placement(input.type, base, input.targetName, input.network);
  return withKeys(placed, input.overrides ?? {});
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
