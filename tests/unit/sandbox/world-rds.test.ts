/**
 * Amazon RDS in the sandbox, through the real SDK client: lifecycles of restored DB instances and
 * Aurora clusters, identifiers, filters, deletion (and its protection), tags. Each test pins a row
 * of docs/fidelity.md ("EC2, EFS, RDS, DynamoDB: lifecycles, errors and limits").
 */
import {
  CreateDBInstanceCommand,
  DeleteDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  RDSClient,
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

const member = (id: string, clusterId = "ledger-dr", engine = "aurora-postgresql") =>
  new CreateDBInstanceCommand({
    DBInstanceIdentifier: id,
    DBClusterIdentifier: clusterId,
    DBInstanceClass: "db.r6g.large",
    Engine: engine,
  });

describe("rds: lifecycles", () => {
  it("a restored DB instance is available with its endpoint; a cluster instance is creating, without one, for the sandbox's create time", async () => {
    // Prepare
    await s.restore("orders-db", "orders-dr");
    await s.restore("ledger", "ledger-dr");
    // Act
    const restored = (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: "orders-dr" })))
      .DBInstances?.[0];
    const created = (await rds.send(member("ledger-dr-1"))).DBInstance;
    s.clock.advanceBy(TIMINGS.rdsCreateInstanceSeconds);
    const later = (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: "ledger-dr-1" })))
      .DBInstances?.[0];
    const cluster = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: "ledger-dr" })))
      .DBClusters?.[0];
    // Assess
    expect(restored).toMatchObject({ DBInstanceStatus: "available", Endpoint: { Port: 5432 } });
    expect(restored?.Endpoint?.Address).toMatch(/^orders-dr\.c[0-9a-f]{12}\.us-west-2\.rds\.amazonaws\.com$/);
    expect(created).toMatchObject({ DBInstanceStatus: "creating", DBClusterIdentifier: "ledger-dr" });
    expect(created?.Endpoint).toBeUndefined();
    expect(later?.DBInstanceStatus).toBe("available");
    expect(cluster?.DBClusterMembers).toEqual([
      expect.objectContaining({ DBInstanceIdentifier: "ledger-dr-1", IsClusterWriter: true }),
    ]);
  });

  it("identifiers are stored in lower case and matched case-insensitively", async () => {
    // Prepare
    await s.restore("ledger", "ledger-dr");
    // Act
    const created = (await rds.send(member("Ledger-DR-1", "LEDGER-DR"))).DBInstance;
    const instance = await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: "LEDGER-DR-1" }));
    const cluster = await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: "Ledger-Dr" }));
    const deleted = await rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: "LEDGER-DR-1" }));
    // Assess
    expect(created?.DBInstanceIdentifier).toBe("ledger-dr-1");
    expect(instance.DBInstances?.[0]?.DBInstanceIdentifier).toBe("ledger-dr-1");
    expect(cluster.DBClusters?.[0]?.DBClusterIdentifier).toBe("ledger-dr");
    expect(deleted.DBInstance?.DBInstanceStatus).toBe("deleting");
  });
});

describe("rds: errors", () => {
  it("CreateDBInstance refuses an invalid identifier, one that exists, an unknown cluster and another engine", async () => {
    // Prepare
    await s.restore("ledger", "ledger-dr");
    await rds.send(member("ledger-dr-1"));
    // Act
    const invalid = await rejection(rds.send(member("ledger--1")));
    const exists = await rejection(rds.send(member("ledger-dr-1")));
    const noCluster = await rejection(rds.send(member("x-1", "nope")));
    const engine = await rejection(rds.send(member("x-2", "ledger-dr", "aurora-mysql")));
    const unknown = await rejection(
      rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: "nope" })),
    );
    // Assess
    expect(shape(invalid)).toEqual({
      name: "InvalidParameterValue",
      message:
        "The parameter DBInstanceIdentifier is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.",
      status: 400,
    });
    expect(shape(exists)).toEqual({
      name: "DBInstanceAlreadyExistsFault",
      message: "DB instance already exists",
      status: 400,
    });
    expect(shape(noCluster)).toEqual({
      name: "DBClusterNotFoundFault",
      message: "DBCluster nope not found.",
      status: 404,
    });
    expect(shape(engine)).toMatchObject({
      name: "InvalidParameterCombination",
      message:
        "The engine name requested for your DB instance (aurora-mysql) doesn't match the engine name of your DB cluster (aurora-postgresql).",
    });
    expect(shape(unknown)).toEqual({
      name: "DBInstanceNotFoundFault",
      message: "DBInstance nope not found.",
      status: 404,
    });
  });
});
