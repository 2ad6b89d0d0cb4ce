/** Amazon RDS: DB instances and Aurora clusters (restored by AWS Backup, or created in a cluster). */
import { SandboxError } from "../../types.js";
import { invalid, optBool, optNumber, optString, requireString, stringList } from "../errors.js";
import { type Rds, serviceHandlers } from "../handlers.js";
import { TIMINGS } from "../model.js";
import { paginate } from "../paging.js";
import { removeWhenGone } from "../schedule.js";
import {
  byArn,
  clusterOut,
  dbClusterStatus,
  dbInstanceStatus,
  instanceOut,
  newDbInstance,
  notFoundCluster,
  notFoundInstance,
  rdsKey,
} from "./rds-entities.js";
import { filterClusters, filterInstances } from "./rds-filters.js";
import { fromTagList, toTagList } from "./tags.js";

export { dbClusterStatus, dbInstanceStatus, newDbCluster, newDbInstance } from "./rds-entities.js";

const badMarker = (m: string) => invalid("rds", `The marker ${m} is not valid`);

function maxRecords(input: { MaxRecords?: number | undefined }): number | undefined {
  const m = optNumber(input, "MaxRecords");
  if (m !== undefined && (m < 20 || m > 100)) {
    throw invalid("rds", `Invalid value ${m} for MaxRecords. Must be between 20 and 100`);
  }
  return m;
}

/** DBInstanceIdentifier rules of CreateDBInstance (model): 1-63 letters, digits, hyphens; a letter first; no trailing or double hyphen. */
const VALID_IDENTIFIER = /^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,62}$/;
const INVALID_IDENTIFIER =
  "The parameter DBInstanceIdentifier is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.";

export const rdsHandlers = serviceHandlers<Rds>()({
  DescribeDBInstances({ region, input, now }) {
    const id = optString(input, "DBInstanceIdentifier");
    let list = [...region.dbInstances.values()];
    if (id !== undefined) {
      const d = region.dbInstances.get(rdsKey(id));
      if (!d) throw notFoundInstance(id);
      list = [d];
    }
    list = filterInstances(region, list, input.Filters);
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
      const c = region.dbClusters.get(rdsKey(id));
      if (!c) throw notFoundCluster(id);
      list = [c];
    }
    list = filterClusters(list, input.Filters);
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
    if (!VALID_IDENTIFIER.test(id) || id.endsWith("-")) throw invalid("rds", INVALID_IDENTIFIER);
    if (region.dbInstances.has(rdsKey(id))) {
      throw new SandboxError("DBInstanceAlreadyExists", "DB instance already exists", 400);
    }
    const clusterId = optString(input, "DBClusterIdentifier");
    let clusterKey: string | undefined;
    const tags = fromTagList(input.Tags);
    let subnetGroup = optString(input, "DBSubnetGroupName") ?? "default";
    let sgIds = stringList(input, "VpcSecurityGroupIds");
    if (clusterId !== undefined) {
      const c = region.dbClusters.get(rdsKey(clusterId));
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
      clusterKey = c.id;
    } else if (!region.dbSubnetGroups.has(subnetGroup)) {
      throw new SandboxError("DBSubnetGroupNotFoundFault", `DBSubnetGroup ${subnetGroup} not found.`, 404);
    }
    const readyAt = now + TIMINGS.rdsCreateInstanceSeconds * 1000;
    const d = newDbInstance(world, region, now, readyAt, {
      id: rdsKey(id),
      instanceClass,
      engine,
      subnetGroup,
      sgIds,
      tags,
      ...(clusterKey ? { clusterId: clusterKey } : {}),
      ...(optString(input, "AvailabilityZone") ? { az: optString(input, "AvailabilityZone") as string } : {}),
    });
    return { DBInstance: instanceOut(region, d, now) };
  },

  DeleteDBInstance({ world, region, input, now }) {
    const id = requireString("rds", input, "DBInstanceIdentifier");
    const d = region.dbInstances.get(rdsKey(id));
    if (!d) throw notFoundInstance(id);
    if (dbInstanceStatus(d, now) === "deleting") {
      throw new SandboxError("InvalidDBInstanceState", `Instance ${d.id} is already being deleted.`, 400);
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
    removeWhenGone(world, region.dbInstances, d.id, d);
    return { DBInstance: instanceOut(region, d, now) };
  },

  DeleteDBCluster({ world, region, input, now }) {
    const id = requireString("rds", input, "DBClusterIdentifier");
    const c = region.dbClusters.get(rdsKey(id));
    if (!c) throw notFoundCluster(id);
    const before = dbClusterStatus(c, now);
    if (before === "deleting") {
      throw new SandboxError("InvalidDBClusterStateFault", `Cluster ${c.id} is already being deleted.`, 400);
    }
    const live = [...region.dbInstances.values()].filter(
      (i) => i.clusterId === c.id && dbInstanceStatus(i, now) !== "deleting",
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
    const members = [...region.dbInstances.values()].filter((i) => i.clusterId === c.id);
    const last = members.reduce((acc, m) => Math.max(acc, m.goneAt ?? now), now);
    c.deletingAt = now;
    c.goneAt = Math.max(now + TIMINGS.rdsDeleteSeconds * 1000, last);
    removeWhenGone(world, region.dbClusters, c.id, c);
    // The answer shows the cluster as it was (the Aurora user guide's examples: "available").
    return { DBCluster: clusterOut(region, c, now, before) };
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
