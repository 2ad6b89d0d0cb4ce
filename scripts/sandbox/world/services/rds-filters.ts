/**
 * The Filters of DescribeDBInstances and DescribeDBClusters, as the RDS API reference lists them
 * (model: DescribeDBInstancesMessage.Filters, DescribeDBClustersMessage.Filters). Identifiers and
 * ARNs both match, case-insensitively; no AD domains or clone groups exist in the sandbox.
 */
import type { Filter } from "@aws-sdk/client-rds";
import { invalid } from "../errors.js";
import type { DbCluster, DbInstance, Region } from "../model.js";

type Fields = Record<string, string[]>;

function filtered<T>(list: T[], filters: Filter[] | undefined, fields: (x: T) => Fields): T[] {
  let out = list;
  for (const f of filters ?? []) {
    const name = String(f.Name ?? "");
    const values = new Set((f.Values ?? []).map((v) => v.toLowerCase()));
    out = out.filter((x) => (fields(x)[name] ?? []).some((v) => values.has(v.toLowerCase())));
  }
  return out;
}

/** A filter name the operation does not support is refused (the wording is the sandbox's). */
function checkNames(filters: Filter[] | undefined, known: readonly string[]): void {
  for (const f of filters ?? []) {
    const name = String(f.Name ?? "");
    if (!known.includes(name)) throw invalid("rds", `Unrecognized filter name: ${name}`);
  }
}

const INSTANCE_FILTERS = ["db-cluster-id", "db-instance-id", "dbi-resource-id", "domain", "engine"] as const;
const CLUSTER_FILTERS = [
  "clone-group-id",
  "db-cluster-id",
  "db-cluster-resource-id",
  "domain",
  "engine",
] as const;

export function filterInstances(
  region: Region,
  list: DbInstance[],
  filters: Filter[] | undefined,
): DbInstance[] {
  checkNames(filters, INSTANCE_FILTERS);
  return filtered(list, filters, (d) => {
    const cluster = d.clusterId ? region.dbClusters.get(d.clusterId) : undefined;
    return {
      "db-cluster-id": d.clusterId ? [d.clusterId, ...(cluster ? [cluster.arn] : [])] : [],
      "db-instance-id": [d.id, d.arn],
      "dbi-resource-id": [d.resourceId],
      domain: [],
      engine: [d.engine],
    };
  });
}

export function filterClusters(list: DbCluster[], filters: Filter[] | undefined): DbCluster[] {
  checkNames(filters, CLUSTER_FILTERS);
  return filtered(list, filters, (c) => ({
    "clone-group-id": [],
    "db-cluster-id": [c.id, c.arn],
    "db-cluster-resource-id": [c.resourceId],
    domain: [],
    engine: [c.engine],
  }));
}
