/**
 * Describes in batches what one invocation (Integrate, a Cleanup round) will look at: the restored
 * DB instances in DescribeDBInstances calls filtered by db-instance-id, the clusters by
 * db-cluster-id and, for clusters with members outside the id batch, their member instances by
 * the instances' db-cluster-id filter (100 identifiers per call), the volumes in DescribeVolumes by volume-id, and, when
 * there are several, the file systems in one paged DescribeFileSystems. The step then asks the
 * returned APIs as before: an id described here is answered from the batch (absent = does not
 * exist), any other id by its own call. DynamoDB has no batch describe (DescribeTable takes one
 * table). The answers are as old as the invocation (seconds), like a describe at its start.
 */
import type { Ec2Api } from "./aws/ec2.js";
import type { EfsApi } from "./aws/efs.js";
import type { DbCluster, DbInstance, RdsApi } from "./aws/rds.js";
import { logger } from "./logger.js";
import type { RestoredKind } from "./restored.js";

interface DescribeApis {
  rds: RdsApi;
  ec2: Ec2Api;
  efs: EfsApi;
}

/** Below this many file systems, one DescribeFileSystems each is cheaper than listing them all. */
const FILE_SYSTEM_LIST_MIN = 3;

/** RDS identifiers are case-insensitive (stored lowercase). */
const key = (id: string) => id.toLowerCase();

/** `refs`: the resources to describe; `moreInstanceIds`: DB instances known by id only (e.g. cluster members). */
export async function withObserved<T extends DescribeApis>(
  apis: T,
  refs: { kind: RestoredKind; id: string }[],
  moreInstanceIds: string[] = [],
): Promise<T> {
  const ids = (kind: RestoredKind) => refs.filter((r) => r.kind === kind).map((r) => r.id);
  const clusterIds = ids("rds-cluster");
  const instanceIds = [...ids("rds-instance"), ...moreInstanceIds];
  const volumeIds = ids("ec2-volume");
  const fsIds = ids("efs");
  const listFs = fsIds.length >= FILE_SYSTEM_LIST_MIN;
  const [dbs, clusters, volumes, fileSystems] = await Promise.all([
    instanceIds.length > 0 ? apis.rds.listInstances(instanceIds) : [],
    clusterIds.length > 0 ? apis.rds.listClusters(clusterIds) : [],
    volumeIds.length > 0 ? apis.ec2.describeVolumes({ ids: volumeIds }) : [],
    listFs ? apis.efs.listFileSystems() : [],
  ]);
  // Members the id batch did not cover (drctl's own cluster instance is in it): by their clusters.
  const asked = new Set(instanceIds.map(key));
  const others = clusters.filter((c) => c.members.some((m) => !asked.has(key(m)))).map((c) => c.id);
  const members = others.length > 0 ? await apis.rds.listInstances(others, "db-cluster-id") : [];
  const dbById = new Map<string, DbInstance>([...dbs, ...members].map((d) => [key(d.id), d]));
  const clusterById = new Map<string, DbCluster>(clusters.map((c) => [key(c.id), c]));
  const volumeById = new Map(volumes.map((v) => [v.id, v]));
  const fsById = new Map(fileSystems.map((f) => [f.id, f]));
  // Every member of a described cluster was described too (by the db-cluster-id filter).
  const knownDb = new Set([...instanceIds, ...clusters.flatMap((c) => c.members)].map(key));
  const knownCluster = new Set(clusterIds.map(key));
  const knownFs = new Set(listFs ? fsIds : []);
  return {
    ...apis,
    rds: {
      ...apis.rds,
      describeInstance: async (id) =>
        knownDb.has(key(id)) ? dbById.get(key(id)) : apis.rds.describeInstance(id),
      describeCluster: async (id) =>
        knownCluster.has(key(id)) ? clusterById.get(key(id)) : apis.rds.describeCluster(id),
    },
    ec2: {
      ...apis.ec2,
      describeVolumes: async (query) => {
        const only = query.ids?.length === 1 && !query.tags && !query.states ? query.ids[0] : undefined;
        if (only === undefined || !volumeIds.includes(only)) return apis.ec2.describeVolumes(query);
        const v = volumeById.get(only);
        return v ? [v] : [];
      },
    },
    efs: {
      ...apis.efs,
      describeFileSystem: async (id) => (knownFs.has(id) ? fsById.get(id) : apis.efs.describeFileSystem(id)),
    },
  };
}

/**
 * withObserved, or the plain APIs when a batch describe fails: each resource's own describe then
 * meets (and reports) the error, so one refused or throttled batch never stops the others.
 */
export async function withObservedOrPlain<T extends DescribeApis>(
  apis: T,
  refs: { kind: RestoredKind; id: string }[],
  moreInstanceIds: string[] = [],
): Promise<T> {
  try {
    return await withObserved(apis, refs, moreInstanceIds);
  } catch (err) {
    logger.warn("batch describe failed: describing each resource on its own", { error: String(err) });
    return apis;
  }
}
