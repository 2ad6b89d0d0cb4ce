/**
 * What a sweep listed in full (every DB instance, cluster and file system of the region, all
 * pages, with their tags): the same round answers its describes of those kinds from it instead of
 * asking AWS again (a batch describe would return a subset of the same listing, moments later).
 * A kind whose listing failed is not answered here: its describes go to AWS as usual.
 */
import type { FileSystem } from "../shared/aws/efs.js";
import type { DbCluster, DbInstance } from "../shared/aws/rds.js";
import type { CleanupApis } from "./guards.js";

export interface Listing {
  dbs?: DbInstance[];
  clusters?: DbCluster[];
  fileSystems?: FileSystem[];
}

/** RDS identifiers are case-insensitive; the filters take identifiers or ARNs. */
const named = (ids: readonly string[], id: string | undefined, arn?: string): boolean =>
  id !== undefined && ids.some((i) => i.toLowerCase() === id.toLowerCase() || i === arn);

export function fromListing<T extends CleanupApis>(apis: T, listing: Listing): T {
  const { dbs, clusters, fileSystems } = listing;
  return {
    ...apis,
    rds: {
      ...apis.rds,
      ...(dbs && {
        describeInstance: async (id: string) => dbs.find((d) => named([id], d.id, d.arn)),
        listInstances: async (ids?: string[], by?: "db-instance-id" | "db-cluster-id") =>
          ids === undefined
            ? dbs
            : dbs.filter((d) => (by === "db-cluster-id" ? named(ids, d.clusterId) : named(ids, d.id, d.arn))),
      }),
      ...(clusters && {
        describeCluster: async (id: string) => clusters.find((c) => named([id], c.id, c.arn)),
        listClusters: async (ids?: string[]) =>
          ids === undefined ? clusters : clusters.filter((c) => named(ids, c.id, c.arn)),
      }),
    },
    efs: {
      ...apis.efs,
      ...(fileSystems && {
        describeFileSystem: async (id: string) => fileSystems.find((f) => f.id === id),
        listFileSystems: async () => fileSystems,
      }),
    },
  };
}
