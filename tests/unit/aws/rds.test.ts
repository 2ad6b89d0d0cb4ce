import {
  AddTagsToResourceCommand,
  CreateDBInstanceCommand,
  DBClusterNotFoundFault,
  DBInstanceNotFoundFault,
  DeleteDBClusterCommand,
  DeleteDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  InvalidDBInstanceStateFault,
  RDSClient,
} from "@aws-sdk/client-rds";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { rdsApi } from "../../../functions/shared/aws/rds.js";
import { awsError, pagesByToken } from "./helpers.js";

const rds = mockClient(RDSClient);
const api = rdsApi(new RDSClient({ region: "us-west-2" }));
const ARN = "arn:aws:rds:us-west-2:111122223333:db:shop-db-abc123";

beforeEach(() => rds.reset());

describe("rdsApi.describeInstance", () => {
  it("maps endpoint, port, cluster and tags", async () => {
    rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: "shop-db-abc123" }).resolves({
      DBInstances: [
        {
          DBInstanceIdentifier: "shop-db-abc123",
          DBInstanceArn: ARN,
          DBInstanceStatus: "available",
          Endpoint: { Address: "shop-db.x.rds.amazonaws.com", Port: 5432 },
          DBClusterIdentifier: "shop-aurora",
          TagList: [{ Key: "drctl:app", Value: "shop" }],
        },
      ],
    });
    await expect(api.describeInstance("shop-db-abc123")).resolves.toEqual({
      id: "shop-db-abc123",
      arn: ARN,
      status: "available",
      endpoint: "shop-db.x.rds.amazonaws.com",
      port: 5432,
      clusterId: "shop-aurora",
      tags: { "drctl:app": "shop" },
    });
  });

  it("returns undefined on DBInstanceNotFound (modelled or wire code)", async () => {
    rds
      .on(DescribeDBInstancesCommand)
      .rejectsOnce(
        new DBInstanceNotFoundFault({
          message: "DBInstance x not found.",
          $metadata: { httpStatusCode: 404 },
        }),
      )
      .rejects(awsError("DBInstanceNotFound", "DBInstance x not found.", 404));
    await expect(api.describeInstance("x")).resolves.toBeUndefined();
    await expect(api.describeInstance("x")).resolves.toBeUndefined();
  });
});

describe("rdsApi.describeCluster", () => {
  it("maps the cluster", async () => {
    rds.on(DescribeDBClustersCommand).resolves({
      DBClusters: [
        {
          DBClusterIdentifier: "c1",
          DBClusterArn: "arn:c1",
          Status: "available",
          Endpoint: "w.example",
          ReaderEndpoint: "r.example",
          Port: 3306,
          Engine: "aurora-mysql",
          DBClusterMembers: [{ DBInstanceIdentifier: "c1-i1" }],
        },
      ],
    });
    await expect(api.describeCluster("c1")).resolves.toEqual({
      id: "c1",
      arn: "arn:c1",
      status: "available",
      endpoint: "w.example",
      readerEndpoint: "r.example",
      port: 3306,
      engine: "aurora-mysql",
      members: ["c1-i1"],
      tags: {},
    });
  });

  it("returns undefined on DBClusterNotFoundFault", async () => {
    rds
      .on(DescribeDBClustersCommand)
      .rejects(new DBClusterNotFoundFault({ message: "not found", $metadata: {} }));
    await expect(api.describeCluster("c1")).resolves.toBeUndefined();
  });
});

describe("rdsApi.listInstances / listClusters", () => {
  it("follows Marker across pages", async () => {
    const paged = pagesByToken(
      {
        "": { DBInstances: [{ DBInstanceIdentifier: "a" }], Marker: "m1" },
        m1: { DBInstances: [{ DBInstanceIdentifier: "b" }] },
      },
      "Marker",
    );
    rds.on(DescribeDBInstancesCommand).callsFake(paged.fake);
    const all = await api.listInstances();
    expect(all.map((i) => i.id)).toEqual(["a", "b"]);
    expect(paged.sent).toEqual([{ MaxRecords: 100 }, { MaxRecords: 100, Marker: "m1" }]);
  });

  it("follows Marker for clusters", async () => {
    rds
      .on(DescribeDBClustersCommand, { Marker: undefined })
      .resolves({ DBClusters: [{ DBClusterIdentifier: "a" }], Marker: "m1" })
      .on(DescribeDBClustersCommand, { Marker: "m1" })
      .resolves({ DBClusters: [{ DBClusterIdentifier: "b" }] });
    expect((await api.listClusters()).map((c) => c.id)).toEqual(["a", "b"]);
  });
});

describe("rdsApi.createClusterInstance", () => {
  const input = {
    id: "c1-i1",
    clusterId: "c1",
    instanceClass: "db.r6g.large",
    engine: "aurora-mysql",
    tags: { a: "1" },
  };

  it("creates the instance in the cluster", async () => {
    rds.on(CreateDBInstanceCommand).resolves({
      DBInstance: {
        DBInstanceIdentifier: "c1-i1",
        DBClusterIdentifier: "c1",
        DBInstanceStatus: "creating",
      },
    });
    await expect(api.createClusterInstance(input)).resolves.toMatchObject({
      id: "c1-i1",
      status: "creating",
      clusterId: "c1",
    });
    expect(rds.commandCalls(CreateDBInstanceCommand)[0]?.args[0].input).toEqual({
      DBInstanceIdentifier: "c1-i1",
      DBClusterIdentifier: "c1",
      DBInstanceClass: "db.r6g.large",
      Engine: "aurora-mysql",
      Tags: [{ Key: "a", Value: "1" }],
    });
  });

  it("returns the existing instance of the same cluster on DBInstanceAlreadyExists", async () => {
    rds.on(CreateDBInstanceCommand).rejects(awsError("DBInstanceAlreadyExists", "exists"));
    rds.on(DescribeDBInstancesCommand).resolves({
      DBInstances: [
        { DBInstanceIdentifier: "c1-i1", DBClusterIdentifier: "c1", DBInstanceStatus: "available" },
      ],
    });
    await expect(api.createClusterInstance(input)).resolves.toMatchObject({
      id: "c1-i1",
      status: "available",
    });
  });
});

describe("rdsApi.addTags", () => {
  it("tags by ARN", async () => {
    rds.on(AddTagsToResourceCommand).resolves({});
    await api.addTags(ARN, { k: "v" });
    expect(rds.commandCalls(AddTagsToResourceCommand)[0]?.args[0].input).toEqual({
      ResourceName: ARN,
      Tags: [{ Key: "k", Value: "v" }],
    });
  });
});

describe("rdsApi deletes", () => {
  it("deletes an instance without final snapshot or automated backups", async () => {
    rds.on(DeleteDBInstanceCommand).resolves({});
    await api.deleteInstance("shop-db-abc123");
    expect(rds.commandCalls(DeleteDBInstanceCommand)[0]?.args[0].input).toEqual({
      DBInstanceIdentifier: "shop-db-abc123",
      SkipFinalSnapshot: true,
      DeleteAutomatedBackups: true,
    });
  });

  it("is a no-op when the instance is gone or already being deleted", async () => {
    rds
      .on(DeleteDBInstanceCommand)
      .rejectsOnce(new DBInstanceNotFoundFault({ message: "not found", $metadata: {} }))
      .rejects(
        new InvalidDBInstanceStateFault({
          message: "Instance shop-db is already being deleted.",
          $metadata: {},
        }),
      );
    await expect(api.deleteInstance("shop-db")).resolves.toBeUndefined();
    await expect(api.deleteInstance("shop-db")).resolves.toBeUndefined();
  });

  it("fails on other invalid states", async () => {
    rds
      .on(DeleteDBInstanceCommand)
      .rejects(new InvalidDBInstanceStateFault({ message: "Instance is in state creating", $metadata: {} }));
    await expect(api.deleteInstance("shop-db")).rejects.toMatchObject({
      name: "AwsCallFailed",
      message:
        "rds:DeleteDBInstance failed for shop-db: InvalidDBInstanceStateFault: Instance is in state creating",
    });
  });

  it("deletes a cluster without final snapshot; gone is a no-op", async () => {
    rds
      .on(DeleteDBClusterCommand)
      .resolvesOnce({})
      .rejects(new DBClusterNotFoundFault({ message: "gone", $metadata: {} }));
    await api.deleteCluster("c1");
    await expect(api.deleteCluster("c1")).resolves.toBeUndefined();
    expect(rds.commandCalls(DeleteDBClusterCommand)[0]?.args[0].input).toEqual({
      DBClusterIdentifier: "c1",
      SkipFinalSnapshot: true,
    });
  });
});
