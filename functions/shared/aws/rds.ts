import {
  AddTagsToResourceCommand,
  CreateDBInstanceCommand,
  type DBCluster,
  type DBInstance,
  DeleteDBClusterCommand,
  DeleteDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  paginateDescribeDBClusters,
  paginateDescribeDBInstances,
  RDSClient,
} from "@aws-sdk/client-rds";
import { AwsCallFailed } from "../errors.js";
import { clientConfig, memoClient } from "./clients.js";
import { type AwsErrorInfo, callAws, hasCode } from "./errors.js";
import { noteTagged } from "./fresh-tags.js";
import { describeAll } from "./rds-describe.js";
import { fromTagList, toTagList } from "./util.js";

export interface DbInstance {
  id: string;
  arn: string;
  status: string;
  endpoint?: string;
  port?: number;
  clusterId?: string;
  tags: Record<string, string>;
}

export interface DbCluster {
  id: string;
  arn: string;
  status: string;
  endpoint?: string;
  readerEndpoint?: string;
  port?: number;
  engine: string;
  members: string[];
  tags: Record<string, string>;
}

/** The Amazon RDS operations drctl uses. Pagination happens inside. */
export interface RdsApi {
  /** DescribeDBInstances for one id; undefined when DBInstanceNotFound. */
  describeInstance(id: string): Promise<DbInstance | undefined>;
  /** DescribeDBClusters for one id; undefined when DBClusterNotFoundFault. */
  describeCluster(id: string): Promise<DbCluster | undefined>;
  /** Every instance in the region (all pages), with tags (TagList); or only `ids` (db-instance-id, or db-cluster-id: their members). */
  listInstances(ids?: string[], by?: "db-instance-id" | "db-cluster-id"): Promise<DbInstance[]>;
  /** Every cluster in the region (all pages), with tags; or only `ids` (db-cluster-id filter). */
  listClusters(ids?: string[]): Promise<DbCluster[]>;
  /** CreateDBInstance in an Aurora cluster (a cluster restored by AWS Backup has no instances). */
  createClusterInstance(input: {
    id: string;
    clusterId: string;
    instanceClass: string;
    engine: string;
    tags: Record<string, string>;
  }): Promise<DbInstance>;
  /** AddTagsToResource. */
  addTags(arn: string, tags: Record<string, string>): Promise<void>;
  /** DeleteDBInstance with SkipFinalSnapshot and DeleteAutomatedBackups; no-op when already gone. */
  deleteInstance(id: string): Promise<void>;
  /** DeleteDBCluster with SkipFinalSnapshot; no-op when already gone. */
  deleteCluster(id: string): Promise<void>;
}

const SERVICE = "rds";
/** The SDK names modelled errors after their shape (…Fault); unmodelled ones keep the wire code. */
const INSTANCE_NOT_FOUND = ["DBInstanceNotFound", "DBInstanceNotFoundFault"];
const CLUSTER_NOT_FOUND = ["DBClusterNotFound", "DBClusterNotFoundFault"];
const INSTANCE_EXISTS = ["DBInstanceAlreadyExists", "DBInstanceAlreadyExistsFault"];

const alreadyDeleting = (err: AwsErrorInfo, ...codes: string[]) =>
  hasCode(err, ...codes) && /already being deleted/i.test(err.message);

function toInstance(i: DBInstance): DbInstance {
  const out: DbInstance = {
    id: i.DBInstanceIdentifier ?? "",
    arn: i.DBInstanceArn ?? "",
    status: i.DBInstanceStatus ?? "",
    tags: fromTagList(i.TagList),
  };
  if (i.Endpoint?.Address) out.endpoint = i.Endpoint.Address;
  if (i.Endpoint?.Port !== undefined) out.port = i.Endpoint.Port;
  if (i.DBClusterIdentifier) out.clusterId = i.DBClusterIdentifier;
  return out;
}

function toCluster(c: DBCluster): DbCluster {
  const out: DbCluster = {
    id: c.DBClusterIdentifier ?? "",
    arn: c.DBClusterArn ?? "",
    status: c.Status ?? "",
    engine: c.Engine ?? "",
    members: (c.DBClusterMembers ?? []).flatMap((m) =>
      m.DBInstanceIdentifier ? [m.DBInstanceIdentifier] : [],
    ),
    tags: fromTagList(c.TagList),
  };
  if (c.Endpoint) out.endpoint = c.Endpoint;
  if (c.ReaderEndpoint) out.readerEndpoint = c.ReaderEndpoint;
  if (c.Port !== undefined) out.port = c.Port;
  return out;
}

export function rdsApi(client: RDSClient): RdsApi {
  const describeInstance = (id: string) =>
    callAws<DbInstance | undefined>(
      SERVICE,
      "DescribeDBInstances",
      id,
      async () => {
        const out = await client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }));
        const found = out.DBInstances?.[0];
        return found ? toInstance(found) : undefined;
      },
      (err) => (hasCode(err, ...INSTANCE_NOT_FOUND) ? { value: undefined } : undefined),
    );

  return {
    describeInstance,

    describeCluster: (id) =>
      callAws<DbCluster | undefined>(
        SERVICE,
        "DescribeDBClusters",
        id,
        async () => {
          const out = await client.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }));
          const found = out.DBClusters?.[0];
          return found ? toCluster(found) : undefined;
        },
        (err) => (hasCode(err, ...CLUSTER_NOT_FOUND) ? { value: undefined } : undefined),
      ),

    listInstances: async (ids, by = "db-instance-id") =>
      (
        await describeAll(
          client,
          paginateDescribeDBInstances,
          ["DescribeDBInstances", by],
          ids,
          (out) => out.DBInstances,
        )
      ).map(toInstance),

    listClusters: async (ids) =>
      (
        await describeAll(
          client,
          paginateDescribeDBClusters,
          ["DescribeDBClusters", "db-cluster-id"],
          ids,
          (out) => out.DBClusters,
        )
      ).map(toCluster),

    createClusterInstance: async (input) => {
      const created = await callAws<DbInstance | undefined>(
        SERVICE,
        "CreateDBInstance",
        input.id,
        async () => {
          const out = await client.send(
            new CreateDBInstanceCommand({
              DBInstanceIdentifier: input.id,
              DBClusterIdentifier: input.clusterId,
              DBInstanceClass: input.instanceClass,
              Engine: input.engine,
              Tags: toTagList(input.tags),
            }),
          );
          if (!out.DBInstance) throw new Error("CreateDBInstance returned no DBInstance");
          return toInstance(out.DBInstance);
        },
        // A retried create: the instance exists already; return it when it belongs to the cluster.
        (err) => (hasCode(err, ...INSTANCE_EXISTS) ? { value: undefined } : undefined),
      );
      if (created) return created;
      const existing = await describeInstance(input.id);
      if (!existing || existing.clusterId !== input.clusterId) {
        throw new AwsCallFailed(
          `rds:CreateDBInstance failed for ${input.id}: DBInstanceAlreadyExists` +
            (existing ? ` in cluster ${existing.clusterId ?? "(none)"}, not ${input.clusterId}` : ""),
        );
      }
      return existing;
    },

    addTags: (arn, tags) =>
      callAws(SERVICE, "AddTagsToResource", arn, async () => {
        await client.send(new AddTagsToResourceCommand({ ResourceName: arn, Tags: toTagList(tags) }));
        noteTagged([arn]);
      }),

    deleteInstance: (id) =>
      callAws<void>(
        SERVICE,
        "DeleteDBInstance",
        id,
        async () => {
          await client.send(
            new DeleteDBInstanceCommand({
              DBInstanceIdentifier: id,
              SkipFinalSnapshot: true,
              DeleteAutomatedBackups: true,
            }),
          );
        },
        (err) =>
          hasCode(err, ...INSTANCE_NOT_FOUND) ||
          alreadyDeleting(err, "InvalidDBInstanceState", "InvalidDBInstanceStateFault")
            ? { value: undefined }
            : undefined,
      ),

    deleteCluster: (id) =>
      callAws<void>(
        SERVICE,
        "DeleteDBCluster",
        id,
        async () => {
          await client.send(new DeleteDBClusterCommand({ DBClusterIdentifier: id, SkipFinalSnapshot: true }));
        },
        (err) =>
          hasCode(err, ...CLUSTER_NOT_FOUND) ||
          alreadyDeleting(err, "InvalidDBClusterStateFault", "InvalidDBClusterState")
            ? { value: undefined }
            : undefined,
      ),
  };
}

/** The wrapper for this container and region (one client per service and region). */
export const rdsFor = (region: string): RdsApi =>
  memoClient(`rds:${region}`, () => rdsApi(new RDSClient(clientConfig("RDS", region))));
