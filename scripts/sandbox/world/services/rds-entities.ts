/**
 * Amazon RDS DB instances and Aurora clusters: created by restores or CreateDBInstance, their
 * states on the virtual clock, and their shapes in the API's outputs.
 */
import type { DBCluster, DBInstance } from "@aws-sdk/client-rds";
import { SandboxError } from "../../types.js";
import type { DbCluster, DbInstance, Region, Tags, WorldCore } from "../model.js";
import { hashHex, resourceArn } from "../naming.js";
import { AVAILABLE, lifecycleStatus } from "./lifecycle.js";
import { toTagList } from "./tags.js";

export const dbInstanceStatus = (d: DbInstance, now: number): string => lifecycleStatus(d, now, AVAILABLE);

export const dbClusterStatus = (c: DbCluster, now: number): string => lifecycleStatus(c, now, AVAILABLE);

/**
 * The map key of a DB instance or cluster identifier: RDS stores identifiers in lower case and
 * matches them case-insensitively; Describe calls also take the resource's ARN.
 */
export const rdsKey = (idOrArn: string): string =>
  (idOrArn.startsWith("arn:") ? (idOrArn.split(":").pop() ?? idOrArn) : idOrArn).toLowerCase();

export const notFoundInstance = (id: string) =>
  new SandboxError("DBInstanceNotFound", `DBInstance ${id} not found.`, 404);
export const notFoundCluster = (id: string) =>
  new SandboxError("DBClusterNotFoundFault", `DBCluster ${id} not found.`, 404);

const endpointHash = (w: WorldCore, region: string) =>
  hashHex(w.scenario.name, "rds-endpoint", region).slice(0, 12);

export function newDbInstance(
  w: WorldCore,
  region: Region,
  at: number,
  readyAt: number,
  o: {
    id: string;
    instanceClass: string;
    engine: string;
    engineVersion?: string;
    clusterId?: string;
    subnetGroup: string;
    sgIds: string[];
    az?: string;
    multiAz?: boolean;
    port?: number;
    storageGiB?: number;
    tags?: Tags;
    createdByJob?: string;
  },
): DbInstance {
  const d: DbInstance = {
    id: o.id,
    arn: resourceArn("rds", region.name, w.account, o.id),
    resourceId: `db-${hashHex(region.name, o.id, String(at)).slice(0, 26).toUpperCase()}`,
    instanceClass: o.instanceClass,
    engine: o.engine,
    engineVersion: o.engineVersion ?? (o.engine.startsWith("aurora") ? "15.4" : "16.3"),
    subnetGroup: o.subnetGroup,
    sgIds: o.sgIds,
    az: o.az ?? region.azs[0] ?? `${region.name}a`,
    multiAz: o.multiAz ?? false,
    port: o.port ?? 5432,
    endpoint: `${o.id}.c${endpointHash(w, region.name)}.${region.name}.rds.amazonaws.com`,
    storageGiB: o.storageGiB ?? 50,
    createdAt: at,
    readyAt,
    tags: { ...(o.tags ?? {}) },
    ...(o.clusterId ? { clusterId: o.clusterId } : {}),
    ...(o.createdByJob ? { createdByJob: o.createdByJob } : {}),
  };
  region.dbInstances.set(d.id, d);
  return d;
}

export function newDbCluster(
  w: WorldCore,
  region: Region,
  at: number,
  o: {
    id: string;
    engine: string;
    engineVersion?: string;
    subnetGroup: string;
    sgIds: string[];
    port?: number;
    tags?: Tags;
    createdByJob?: string;
  },
): DbCluster {
  const h = endpointHash(w, region.name);
  const c: DbCluster = {
    id: o.id,
    arn: resourceArn("aurora", region.name, w.account, o.id),
    resourceId: `cluster-${hashHex(region.name, o.id, String(at)).slice(0, 26).toUpperCase()}`,
    engine: o.engine,
    engineVersion: o.engineVersion ?? "15.4",
    subnetGroup: o.subnetGroup,
    sgIds: o.sgIds,
    azs: region.azs.slice(0, 3),
    port: o.port ?? 5432,
    endpoint: `${o.id}.cluster-c${h}.${region.name}.rds.amazonaws.com`,
    readerEndpoint: `${o.id}.cluster-ro-c${h}.${region.name}.rds.amazonaws.com`,
    createdAt: at,
    readyAt: at,
    tags: { ...(o.tags ?? {}) },
    ...(o.createdByJob ? { createdByJob: o.createdByJob } : {}),
  };
  region.dbClusters.set(c.id, c);
  return c;
}

export function instanceOut(region: Region, d: DbInstance, now: number): DBInstance {
  const status = dbInstanceStatus(d, now);
  const group = region.dbSubnetGroups.get(d.subnetGroup);
  return {
    DBInstanceIdentifier: d.id,
    DBInstanceArn: d.arn,
    DbiResourceId: d.resourceId,
    DBInstanceClass: d.instanceClass,
    Engine: d.engine,
    EngineVersion: d.engineVersion,
    DBInstanceStatus: status,
    ...(status !== "creating"
      ? { Endpoint: { Address: d.endpoint, Port: d.port, HostedZoneId: "Z1PVIF0B656C1W" } }
      : {}),
    ...(d.clusterId ? { DBClusterIdentifier: d.clusterId } : {}),
    AvailabilityZone: d.az,
    MultiAZ: d.multiAz,
    AllocatedStorage: d.clusterId ? 1 : d.storageGiB,
    StorageType: d.clusterId ? "aurora" : "gp3",
    StorageEncrypted: true,
    PubliclyAccessible: false,
    InstanceCreateTime: new Date(d.createdAt),
    DBSubnetGroup: {
      DBSubnetGroupName: d.subnetGroup,
      VpcId: group?.vpcId,
      SubnetGroupStatus: "Complete",
      Subnets: (group?.subnetIds ?? []).map((id) => ({
        SubnetIdentifier: id,
        SubnetAvailabilityZone: { Name: region.subnets.get(id)?.az },
        SubnetStatus: "Active",
      })),
    },
    VpcSecurityGroups: d.sgIds.map((id) => ({ VpcSecurityGroupId: id, Status: "active" })),
    DeletionProtection: d.deletionProtection ?? false,
    TagList: toTagList(d.tags),
  };
}

/** A cluster as the API shows it; `status` overrides its current one (DeleteDBCluster's answer). */
export function clusterOut(region: Region, c: DbCluster, now: number, status?: string): DBCluster {
  const members = [...region.dbInstances.values()].filter((i) => i.clusterId === c.id);
  return {
    DBClusterIdentifier: c.id,
    DBClusterArn: c.arn,
    DbClusterResourceId: c.resourceId,
    Status: status ?? dbClusterStatus(c, now),
    Engine: c.engine,
    EngineVersion: c.engineVersion,
    EngineMode: "provisioned",
    Endpoint: c.endpoint,
    ReaderEndpoint: c.readerEndpoint,
    Port: c.port,
    MultiAZ: members.length > 1,
    AvailabilityZones: c.azs,
    DBSubnetGroup: c.subnetGroup,
    VpcSecurityGroups: c.sgIds.map((id) => ({ VpcSecurityGroupId: id, Status: "active" })),
    ClusterCreateTime: new Date(c.createdAt),
    StorageEncrypted: true,
    DeletionProtection: c.deletionProtection ?? false,
    DBClusterMembers: members.map((m, i) => ({
      DBInstanceIdentifier: m.id,
      IsClusterWriter: i === 0,
      DBClusterParameterGroupStatus: "in-sync",
      PromotionTier: 1,
    })),
    TagList: toTagList(c.tags),
  };
}

export function byArn(region: Region, arn: string): { tags: Tags } {
  const id = rdsKey(arn);
  if (arn.includes(":cluster:")) {
    const c = region.dbClusters.get(id);
    if (!c) throw notFoundCluster(id);
    return c;
  }
  const d = region.dbInstances.get(id);
  if (!d) throw notFoundInstance(id);
  return d;
}
