/** Amazon RDS: DB instances and Aurora clusters (restored by AWS Backup, or created in a cluster). */
import type { Filter as RdsFilter } from "@aws-sdk/client-rds";
import { SandboxError } from "../../types.js";
import { invalid, optBool, optNumber, optString, requireString, stringList } from "../errors.js";
import { type Rds, serviceHandlers } from "../handlers.js";
import { type DbInstance, TIMINGS } from "../model.js";
import { resourceArn } from "../naming.js";
import { paginate } from "../paging.js";
import { fromTagList, toTagList } from "./ec2.js";
import {
  byArn,
  clusterOut,
  dbClusterStatus,
  dbInstanceStatus,
  instanceOut,
  newDbInstance,
  notFoundCluster,
  notFoundInstance,
} from "./rds-entities.js";

export { dbClusterStatus, dbInstanceStatus, newDbCluster, newDbInstance } from "./rds-entities.js";

const badMarker = (m: string) => invalid("rds", `The marker ${m} is not valid`);

function maxRecords(input: { MaxRecords?: number | undefined }): number | undefined {
  const m = optNumber(input, "MaxRecords");
  if (m !== undefined && (m < 20 || m > 100)) {
    throw invalid("rds", `Invalid value ${m} for MaxRecords. Must be between 20 and 100`);
  }
  return m;
}

type Filter = { Name: string; Values: string[] };
function filters(input: { Filters?: RdsFilter[] | undefined }): Filter[] {
  return (input.Filters ?? []).map((f) => ({ Name: String(f.Name), Values: (f.Values ?? []).map(String) }));
}

export const rdsHandlers = serviceHandlers<Rds>()({
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
    let sgIds = stringList(input, "VpcSecurityGroupIds");
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
    for (const k of stringList(input, "TagKeys")) delete target.tags[k];
    return {};
  },
});
