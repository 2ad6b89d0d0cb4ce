/** Amazon RDS: DB instances and Aurora clusters (restored by AWS Backup, or created in a cluster). */
import { SandboxError } from "../../types.js";
import { invalid, optBool, optNumber, optString, requireString } from "../errors.js";
import {
  type DbCluster,
  type DbInstance,
  type Handlers,
  type Region,
  type Tags,
  TIMINGS,
  type WorldCore,
} from "../model.js";
import { hashHex, resourceArn } from "../naming.js";
import { paginate } from "../paging.js";
import { fromTagList, toTagList } from "./ec2.js";

export function dbInstanceStatus(d: DbInstance, now: number): string {
  if (d.deletingAt !== undefined && d.deletingAt <= now) return "deleting";
  return d.readyAt <= now ? "available" : "creating";
}

export function dbClusterStatus(c: DbCluster, now: number): string {
  if (c.deletingAt !== undefined && c.deletingAt <= now) return "deleting";
  return c.readyAt <= now ? "available" : "creating";
}

const notFoundInstance = (id: string) =>
  new SandboxError("DBInstanceNotFound", `DBInstance ${id} not found.`, 404);
const notFoundCluster = (id: string) =>
  new SandboxError("DBClusterNotFoundFault", `DBCluster ${id} not found.`, 404);
const badMarker = (m: string) => invalid("rds", `The marker ${m} is not valid`);

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

function instanceOut(region: Region, d: DbInstance, now: number) {
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
    DeletionProtection: false,
    TagList: toTagList(d.tags),
  };
}

function clusterOut(region: Region, c: DbCluster, now: number) {
  const members = [...region.dbInstances.values()].filter((i) => i.clusterId === c.id);
  return {
    DBClusterIdentifier: c.id,
    DBClusterArn: c.arn,
    DbClusterResourceId: c.resourceId,
    Status: dbClusterStatus(c, now),
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
    DeletionProtection: false,
    DBClusterMembers: members.map((m, i) => ({
      DBInstanceIdentifier: m.id,
      IsClusterWriter: i === 0,
      DBClusterParameterGroupStatus: "in-sync",
      PromotionTier: 1,
    })),
    TagList: toTagList(c.tags),
  };
}

function maxRecords(input: Record<string, unknown>): number | undefined {
  const m = optNumber(input, "MaxRecords");
  if (m !== undefined && (m < 20 || m > 100)) {
    throw invalid("rds", `Invalid value ${m} for MaxRecords. Must be between 20 and 100`);
  }
  return m;
}

type Filter = { Name: string; Values: string[] };
function filters(input: Record<string, unknown>): Filter[] {
  return Array.isArray(input.Filters)
    ? (input.Filters as { Name?: unknown; Values?: unknown }[]).map((f) => ({
        Name: String(f.Name),
        Values: Array.isArray(f.Values) ? (f.Values as unknown[]).map(String) : [],
      }))
    : [];
}

function byArn(region: Region, arn: string): { tags: Tags } {
  const id = arn.split(":").pop() ?? arn;
  if (arn.includes(":cluster:")) {
    const c = region.dbClusters.get(id);
    if (!c) throw notFoundCluster(id);
    return c;
  }
  const d = region.dbInstances.get(id);
  if (!d) throw notFoundInstance(id);
  return d;
}

export const rdsHandlers: Handlers = {
  DescribeDBInstances({ region, input, now }) {
    const id = optString(input, "DBInstanceIdentifier");
    let list = [...region.dbInstances.values()];
    if (id !== undefined) {
      const key = id.startsWith("arn:") ? (id.split(":").pop() ?? id) : id;
      const d = region.dbInstances.get(key);
      if (!d) throw notFoundInstance(id);
      list = [d];
    }
    for (const f of filters(input)) {
      const field = (d: DbInstance): string[] =>
        f.Name === "db-cluster-id"
          ? d.clusterId
            ? [d.clusterId, resourceArn("aurora", region.name, "", d.clusterId)]
            : []
          : f.Name === "db-instance-id"
            ? [d.id, d.arn]
            : f.Name === "engine"
              ? [d.engine]
              : [];
      if (!["db-cluster-id", "db-instance-id", "engine"].includes(f.Name)) {
        throw invalid("rds", `Unrecognized filter name: ${f.Name}`);
      }
      list = list.filter((d) =>
        field(d).some((v) => f.Values.includes(v) || f.Values.includes(v.split(":").pop() ?? v)),
      );
    }
    const page = paginate(
      list,
      { max: maxRecords(input), token: optString(input, "Marker"), defaultMax: 100, scope: "rds:db" },
      badMarker,
    );
    return {
      DBInstances: page.items.map((d) => instanceOut(region, d, now)),
      ...(page.next ? { Marker: page.next } : {}),
    };
  },

  DescribeDBClusters({ region, input, now }) {
    const id = optString(input, "DBClusterIdentifier");
    let list = [...region.dbClusters.values()];
    if (id !== undefined) {
      const key = id.startsWith("arn:") ? (id.split(":").pop() ?? id) : id;
      const c = region.dbClusters.get(key);
      if (!c) throw notFoundCluster(id);
      list = [c];
    }
    const page = paginate(
      list,
      { max: maxRecords(input), token: optString(input, "Marker"), defaultMax: 100, scope: "rds:cluster" },
      badMarker,
    );
    return {
      DBClusters: page.items.map((c) => clusterOut(region, c, now)),
      ...(page.next ? { Marker: page.next } : {}),
    };
  },

  CreateDBInstance(ctx) {
    const { region, input, now, world } = ctx;
    const id = requireString("rds", input, "DBInstanceIdentifier");
    const instanceClass = requireString("rds", input, "DBInstanceClass");
    const engine = requireString("rds", input, "Engine");
    if (!/^[A-Za-z][A-Za-z0-9-]{0,62}$/.test(id) || id.endsWith("-") || id.includes("--")) {
      throw invalid("rds", `The parameter DBInstanceIdentifier is not a valid identifier: ${id}`);
    }
    if (region.dbInstances.has(id.toLowerCase())) {
      throw new SandboxError("DBInstanceAlreadyExists", "DB instance already exists", 400);
    }
    const clusterId = optString(input, "DBClusterIdentifier");
    const tags = fromTagList(input.Tags);
    let subnetGroup = optString(input, "DBSubnetGroupName") ?? "default";
    let sgIds = Array.isArray(input.VpcSecurityGroupIds) ? (input.VpcSecurityGroupIds as string[]) : [];
    if (clusterId !== undefined) {
      const c = region.dbClusters.get(clusterId);
      if (!c) throw notFoundCluster(clusterId);
      if (c.engine !== engine) {
        throw new SandboxError(
          "InvalidParameterCombination",
          `The engine name requested for your DB instance (${engine}) doesn't match the engine name of your DB cluster (${c.engine}).`,
          400,
        );
      }
      if (dbClusterStatus(c, now) === "deleting") {
        throw new SandboxError(
          "InvalidDBClusterStateFault",
          `DB cluster ${clusterId} is not in the available state.`,
          400,
        );
      }
      subnetGroup = c.subnetGroup;
      sgIds = c.sgIds;
    } else if (!region.dbSubnetGroups.has(subnetGroup)) {
      throw new SandboxError("DBSubnetGroupNotFoundFault", `DBSubnetGroup ${subnetGroup} not found.`, 404);
    }
    const readyAt = now + TIMINGS.rdsCreateInstanceSeconds * 1000;
    const d = newDbInstance(world, region, now, readyAt, {
      id: id.toLowerCase(),
      instanceClass,
      engine,
      subnetGroup,
      sgIds,
      tags,
      ...(clusterId ? { clusterId } : {}),
      ...(optString(input, "AvailabilityZone") ? { az: optString(input, "AvailabilityZone") as string } : {}),
    });
    return { DBInstance: instanceOut(region, d, now) };
  },

  DeleteDBInstance({ region, input, now }) {
    const id = requireString("rds", input, "DBInstanceIdentifier");
    const d = region.dbInstances.get(id);
    if (!d) throw notFoundInstance(id);
    if (dbInstanceStatus(d, now) === "deleting") {
      throw new SandboxError("InvalidDBInstanceState", `Instance ${id} is already being deleted.`, 400);
    }
    if (
      !d.clusterId &&
      !optBool(input, "SkipFinalSnapshot") &&
      !optString(input, "FinalDBSnapshotIdentifier")
    ) {
      throw new SandboxError(
        "InvalidParameterCombination",
        "FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.",
        400,
      );
    }
    d.deletingAt = now;
    d.goneAt = now + TIMINGS.rdsDeleteSeconds * 1000;
    return { DBInstance: instanceOut(region, d, now) };
  },

  DeleteDBCluster({ region, input, now }) {
    const id = requireString("rds", input, "DBClusterIdentifier");
    const c = region.dbClusters.get(id);
    if (!c) throw notFoundCluster(id);
    if (dbClusterStatus(c, now) === "deleting") {
      throw new SandboxError("InvalidDBClusterStateFault", `Cluster ${id} is already being deleted.`, 400);
    }
    const live = [...region.dbInstances.values()].filter(
      (i) => i.clusterId === id && dbInstanceStatus(i, now) !== "deleting",
    );
    if (live.length > 0) {
      throw new SandboxError(
        "InvalidDBClusterStateFault",
        "Cluster cannot be deleted, it still contains DB instances in non-deleting state.",
        400,
      );
    }
    if (!optBool(input, "SkipFinalSnapshot") && !optString(input, "FinalDBSnapshotIdentifier")) {
      throw new SandboxError(
        "InvalidParameterCombination",
        "FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.",
        400,
      );
    }
    const members = [...region.dbInstances.values()].filter((i) => i.clusterId === id);
    const last = members.reduce((acc, m) => Math.max(acc, m.goneAt ?? now), now);
    c.deletingAt = now;
    c.goneAt = Math.max(now + TIMINGS.rdsDeleteSeconds * 1000, last);
    return { DBCluster: clusterOut(region, c, now) };
  },

  ListTagsForResource({ region, input }) {
    const arn = requireString("rds", input, "ResourceName");
    return { TagList: toTagList(byArn(region, arn).tags) };
  },

  AddTagsToResource({ region, input }) {
    const arn = requireString("rds", input, "ResourceName");
    const target = byArn(region, arn);
    target.tags = { ...target.tags, ...fromTagList(input.Tags) };
    return {};
  },

  RemoveTagsFromResource({ region, input }) {
    const arn = requireString("rds", input, "ResourceName");
    const target = byArn(region, arn);
    for (const k of Array.isArray(input.TagKeys) ? (input.TagKeys as string[]) : []) delete target.tags[k];
    return {};
  },
};
