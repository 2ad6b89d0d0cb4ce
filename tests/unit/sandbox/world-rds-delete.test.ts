/**
 * Amazon RDS in the sandbox, through the real SDK client: deletion of DB instances and Aurora
 * clusters, deletion protection, Describe filters and tags. Each test pins a row of
 * docs/fidelity.md ("EC2, EFS, RDS, DynamoDB: lifecycles, errors and limits").
 */
import {
  AddTagsToResourceCommand,
  CreateDBInstanceCommand,
  DeleteDBClusterCommand,
  DeleteDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  ListTagsForResourceCommand,
  RDSClient,
  RemoveTagsFromResourceCommand,
} from "@aws-sdk/client-rds";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TIMINGS } from "../../../scripts/sandbox/world/index.js";
import { rejection, type SdkWorld, sdkWorld, shape } from "./sdk-world.js";

let s: SdkWorld;
let rds: RDSClient;
beforeEach(async () => {
  s = await sdkWorld();
  rds = s.client(RDSClient);
});
afterEach(() => s.close());

const member = (id: string) =>
  new CreateDBInstanceCommand({
    DBInstanceIdentifier: id,
    DBClusterIdentifier: "ledger-dr",
    DBInstanceClass: "db.r6g.large",
    Engine: "aurora-postgresql",
  });
const describeCluster = async (id: string) =>
  (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters?.[0];

describe("rds: deletion", () => {
  it("DeleteDBInstance needs SkipFinalSnapshot or a final snapshot; a second delete is InvalidDBInstanceState; the instance is gone after the sandbox's delete time", async () => {
    // Prepare
    await s.restore("orders-db", "orders-dr");
    // Act
    const noSnapshot = await rejection(
      rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: "orders-dr" })),
    );
    const deleting = await rds.send(
      new DeleteDBInstanceCommand({ DBInstanceIdentifier: "orders-dr", SkipFinalSnapshot: true }),
    );
    const again = await rejection(
      rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: "orders-dr", SkipFinalSnapshot: true })),
    );
    s.clock.advanceBy(TIMINGS.rdsDeleteSeconds);
    const gone = await rejection(
      rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: "orders-dr" })),
    );
    // Assess
    expect(shape(noSnapshot)).toEqual({
      name: "InvalidParameterCombination",
      message: "FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.",
      status: 400,
    });
    expect(deleting.DBInstance?.DBInstanceStatus).toBe("deleting");
    expect(shape(again)).toEqual({
      name: "InvalidDBInstanceStateFault",
      message: "Instance orders-dr is already being deleted.",
      status: 400,
    });
    expect(gone.name).toBe("DBInstanceNotFoundFault");
  });

  it("DeleteDBCluster waits for its instances to be deleting; its answer shows the status before, DescribeDBClusters deleting", async () => {
    // Prepare
    await s.restore("ledger", "ledger-dr");
    await rds.send(member("ledger-dr-1"));
    // Act
    const busy = await rejection(
      rds.send(new DeleteDBClusterCommand({ DBClusterIdentifier: "ledger-dr", SkipFinalSnapshot: true })),
    );
    await rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: "ledger-dr-1" }));
    const answer = await rds.send(
      new DeleteDBClusterCommand({ DBClusterIdentifier: "ledger-dr", SkipFinalSnapshot: true }),
    );
    const described = await describeCluster("ledger-dr");
    s.clock.advanceBy(TIMINGS.rdsDeleteSeconds);
    const gone = await rejection(describeCluster("ledger-dr"));
    // Assess
    expect(shape(busy)).toEqual({
      name: "InvalidDBClusterStateFault",
      message: "Cluster cannot be deleted, it still contains DB instances in non-deleting state.",
      status: 400,
    });
    expect(answer.DBCluster?.Status).toBe("available");
    expect(described?.Status).toBe("deleting");
    expect(shape(gone)).toMatchObject({ name: "DBClusterNotFoundFault", status: 404 });
  });

  it("a restore with deletion protection shows DeletionProtection and refuses the delete; the cluster's instances may be deleted", async () => {
    // Prepare
    const on = { DeletionProtection: "true" };
    await s.restore("orders-db", "orders-dr", on);
    await s.restore("ledger", "ledger-dr", on);
    await s.restore("ledger", "ledger-off");
    await rds.send(member("ledger-dr-1"));
    // Act
    const db = (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: "orders-dr" })))
      .DBInstances?.[0];
    const cluster = await describeCluster("ledger-dr");
    const off = await describeCluster("ledger-off");
    const refusedDb = await rejection(
      rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: "orders-dr", SkipFinalSnapshot: true })),
    );
    const memberDeleted = await rds.send(
      new DeleteDBInstanceCommand({ DBInstanceIdentifier: "ledger-dr-1" }),
    );
    const refusedCluster = await rejection(
      rds.send(new DeleteDBClusterCommand({ DBClusterIdentifier: "ledger-dr", SkipFinalSnapshot: true })),
    );
    // Assess
    expect(db?.DeletionProtection).toBe(true);
    expect(cluster?.DeletionProtection).toBe(true);
    expect(off?.DeletionProtection).toBe(false);
    expect(shape(refusedDb)).toEqual({
      name: "InvalidParameterCombination",
      message: "Cannot delete protected DB Instance, please disable deletion protection and try again.",
      status: 400,
    });
    expect(memberDeleted.DBInstance?.DBInstanceStatus).toBe("deleting");
    expect(shape(refusedCluster)).toEqual({
      name: "InvalidParameterCombination",
      message: "Cannot delete protected Cluster, please disable deletion protection and try again.",
      status: 400,
    });
  });
});

describe("rds: filters and tags", () => {
  it("DescribeDBInstances and DescribeDBClusters filter by id, ARN, resource id and engine", async () => {
    // Prepare
    await s.restore("orders-db", "orders-dr");
    const clusterArn = await s.restore("ledger", "ledger-dr");
    await s.restore("ledger", "ledger-two");
    await rds.send(member("ledger-dr-1"));
    const orders = (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: "orders-dr" })))
      .DBInstances?.[0];
    const ids = (
      list:
        | { DBInstanceIdentifier?: string | undefined; DBClusterIdentifier?: string | undefined }[]
        | undefined,
    ) => (list ?? []).map((x) => x.DBInstanceIdentifier ?? x.DBClusterIdentifier);
    // Act
    const byCluster = await rds.send(
      new DescribeDBInstancesCommand({ Filters: [{ Name: "db-cluster-id", Values: [clusterArn] }] }),
    );
    const byResource = await rds.send(
      new DescribeDBInstancesCommand({
        Filters: [{ Name: "dbi-resource-id", Values: [orders?.DbiResourceId ?? ""] }],
      }),
    );
    const clusters = await rds.send(
      new DescribeDBClustersCommand({ Filters: [{ Name: "db-cluster-id", Values: ["ledger-two"] }] }),
    );
    const byEngine = await rds.send(
      new DescribeDBClustersCommand({ Filters: [{ Name: "engine", Values: ["aurora-mysql"] }] }),
    );
    const unknown = await rejection(
      rds.send(new DescribeDBClustersCommand({ Filters: [{ Name: "nope", Values: ["x"] }] })),
    );
    // Assess
    expect(ids(byCluster.DBInstances)).toEqual(["ledger-dr-1"]);
    expect(ids(byResource.DBInstances)).toEqual(["orders-dr"]);
    expect(ids(clusters.DBClusters)).toEqual(["ledger-two"]);
    expect(byEngine.DBClusters).toEqual([]);
    expect(unknown.name).toBe("InvalidParameterValue");
  });

  it("tags of instances and clusters by ARN; an ARN of nothing is the type's not-found error", async () => {
    // Prepare
    const dbArn = await s.restore("orders-db", "orders-dr");
    const clusterArn = await s.restore("ledger", "ledger-dr");
    const tags = [{ Key: "drctl:execution", Value: "run-1" }];
    // Act
    await rds.send(new AddTagsToResourceCommand({ ResourceName: dbArn, Tags: tags }));
    await rds.send(new AddTagsToResourceCommand({ ResourceName: clusterArn, Tags: tags }));
    await rds.send(new RemoveTagsFromResourceCommand({ ResourceName: dbArn, TagKeys: ["app"] }));
    const dbTags = await rds.send(new ListTagsForResourceCommand({ ResourceName: dbArn }));
    const clusterTags = await rds.send(new ListTagsForResourceCommand({ ResourceName: clusterArn }));
    const noDb = await rejection(
      rds.send(new ListTagsForResourceCommand({ ResourceName: dbArn.replace("orders-dr", "nope") })),
    );
    const noCluster = await rejection(
      rds.send(new ListTagsForResourceCommand({ ResourceName: clusterArn.replace("ledger-dr", "nope") })),
    );
    // Assess
    expect(dbTags.TagList).toEqual(tags);
    expect(clusterTags.TagList).toEqual(tags);
    expect(noDb.name).toBe("DBInstanceNotFoundFault");
    expect(noCluster.name).toBe("DBClusterNotFoundFault");
  });
});
