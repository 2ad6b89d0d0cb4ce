/**
 * What a COMPLETED AWS Backup restore leaves in the recovery region, read back through each owning
 * service's real SDK client (services/backup/materialize.ts). Each test pins a row of
 * docs/fidelity.md ("EC2, EFS, RDS, DynamoDB: lifecycles, errors and limits").
 */
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DescribeInstancesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { DescribeFileSystemsCommand, DescribeMountTargetsCommand, EFSClient } from "@aws-sdk/client-efs";
import { DescribeDBClustersCommand, ListTagsForResourceCommand, RDSClient } from "@aws-sdk/client-rds";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type SdkWorld, sdkWorld } from "./sdk-world.js";

let s: SdkWorld;
beforeEach(async () => {
  s = await sdkWorld();
});
afterEach(() => s.close());

describe("restored resources", () => {
  it("each type becomes its service's resource, ready when the job completes; Aurora without instances, EFS without mount targets", async () => {
    // Act
    const clusterArn = await s.restore("ledger", "ledger-dr");
    const instanceId = (await s.restore("web-1", "unused")).split("/").pop() as string;
    const fsId = (await s.restore("shared-files", "files-dr")).split("/").pop() as string;
    const tableArn = await s.restore("carts", "carts-dr");
    const cluster = (
      await s.client(RDSClient).send(new DescribeDBClustersCommand({ DBClusterIdentifier: clusterArn }))
    ).DBClusters?.[0];
    const instance = (
      await s.client(EC2Client).send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))
    ).Reservations?.[0]?.Instances?.[0];
    const efs = s.client(EFSClient);
    const fs = (await efs.send(new DescribeFileSystemsCommand({ FileSystemId: fsId }))).FileSystems?.[0];
    const targets = await efs.send(new DescribeMountTargetsCommand({ FileSystemId: fsId }));
    const table = (await s.client(DynamoDBClient).send(new DescribeTableCommand({ TableName: "carts-dr" })))
      .Table;
    // Assess
    expect(cluster).toMatchObject({
      DBClusterIdentifier: "ledger-dr",
      Status: "available",
      DBClusterMembers: [],
    });
    expect(instance).toMatchObject({
      State: { Name: "running" },
      SubnetId: "subnet-0dra",
      Placement: { AvailabilityZone: "us-west-2a" },
      SecurityGroups: [{ GroupId: "sg-0drdb" }],
    });
    expect(fs).toMatchObject({
      LifeCycleState: "available",
      CreationToken: "files-dr",
      NumberOfMountTargets: 0,
    });
    expect(targets.MountTargets).toEqual([]);
    expect(table).toMatchObject({ TableArn: tableArn, TableStatus: "ACTIVE" });
  });

  it("source tags reach the restored resource only with CopySourceTagsToRestoredResource", async () => {
    // Act
    const copied = await s.restore("orders-db", "orders-tags", {}, true);
    const plain = await s.restore("orders-db", "orders-plain");
    const rds = s.client(RDSClient);
    const withTags = await rds.send(new ListTagsForResourceCommand({ ResourceName: copied }));
    const without = await rds.send(new ListTagsForResourceCommand({ ResourceName: plain }));
    // Assess
    expect(withTags.TagList).toEqual([{ Key: "app", Value: "shop" }]);
    expect(without.TagList).toEqual([]);
  });
});
