import { DescribeSecurityGroupsCommand, DescribeSubnetsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { ec2Api } from "../../../functions/shared/aws/ec2.js";
import { ConfigInvalid } from "../../../functions/shared/errors.js";
import {
  buildRestoreMetadata,
  type DrNetwork,
  resolveDrNetwork,
} from "../../../functions/shared/restore-metadata.js";
import { appConfig } from "../../support/fixtures.js";

const network: DrNetwork = {
  subnetIds: ["subnet-0dra", "subnet-0drb"],
  securityGroupIds: ["sg-0drdb", "sg-0drweb"],
  dbSubnetGroup: "dr-db-subnets",
  availabilityZone: "us-west-2a",
};
type BuildInput = Parameters<typeof buildRestoreMetadata>[0];
const build = (
  type: BuildInput["type"],
  meta: Record<string, string>,
  overrides = {},
  more: Partial<BuildInput> = {},
) =>
  buildRestoreMetadata({
    type,
    mode: "failover",
    ...more,
    recoveryPointMetadata: meta,
    targetName: "orders-db-abc123",
    network,
    recoveryRegion: "us-west-2",
    overrides,
  });

const PRIMARY_KEY = "arn:aws:kms:us-east-1:111122223333:key/1111aaaa-0000-4000-a000-000000000001";
const DR_KEY = "arn:aws:kms:us-west-2:111122223333:key/2222bbbb-0000-4000-a000-000000000002";
const mappings = (kms: string | undefined) =>
  JSON.stringify([
    {
      DeviceName: "/dev/xvda",
      Ebs: { DeleteOnTermination: true, Encrypted: true, ...(kms ? { KmsKeyId: kms } : {}), VolumeSize: 50 },
    },
  ]);

describe("buildRestoreMetadata: a production source in another region", () => {
  it("a drill turns deletion protection off (RDS, Aurora, DynamoDB, EC2); a failover keeps the source's", () => {
    // Prepare
    const drill: Partial<BuildInput> = { mode: "drill" };
    // Act
    const rds = build("rds", { DeletionProtection: "true" }, {}, drill);
    const aurora = build("aurora", { deletionprotection: "true" }, {}, drill);
    const table = build("dynamodb", { deletionProtection: "true" }, {}, drill);
    const ec2 = build("ec2", { DisableApiTermination: "true" }, {}, drill);
    const failover = build("rds", { DeletionProtection: "true" });
    // Assess
    expect(rds.DeletionProtection).toBe("false");
    expect(aurora).toMatchObject({ DeletionProtection: "false" });
    expect(aurora).not.toHaveProperty("deletionprotection");
    expect(table.deletionProtection).toBe("false");
    expect(ec2.DisableApiTermination).toBe("false");
    expect(failover.DeletionProtection).toBe("true");
  });

  it("drops the primary's parameter/option groups, key pair and KMS keys, nested ones too", () => {
    // Act
    const rds = build("rds", {
      DBInstanceIdentifier: "orders-db",
      DBParameterGroupName: "orders-db-params",
      OptionGroupName: "orders-db-options",
      KmsKeyId: PRIMARY_KEY,
    });
    const aurora = build("aurora", {
      DBClusterParameterGroupName: "ledger-cluster-params",
      kmsKeyId: PRIMARY_KEY,
    });
    const ec2 = build("ec2", { KeyName: "shop-ops", BlockDeviceMappings: mappings(PRIMARY_KEY) });
    const ebs = build("ebs", { kmsKeyId: "1111aaaa-0000-4000-a000-000000000001", encrypted: "true" });
    const table = build("dynamodb", { encryptionType: "KMS", kmsMasterKeyArn: PRIMARY_KEY });
    // Assess
    expect(Object.keys(rds).sort()).toEqual([
      "DBInstanceIdentifier",
      "DBSubnetGroupName",
      "VpcSecurityGroupIds",
    ]);
    expect(Object.keys(aurora).sort()).toEqual([
      "DBClusterIdentifier",
      "DBSubnetGroupName",
      "VpcSecurityGroupIds",
    ]);
    expect(ec2).not.toHaveProperty("KeyName");
    expect(JSON.parse(ec2.BlockDeviceMappings as string)).toEqual(JSON.parse(mappings(undefined)));
    expect(ebs).toEqual({ encrypted: "true", availabilityZone: "us-west-2a" });
    expect(table).toEqual({ encryptionType: "KMS", targetTableName: "orders-db-abc123" });
  });

  it("replaces them through regionalNames, keeps a recovery-region key, and lets overrides win", () => {
    // Prepare
    const regionalNames = {
      dbParameterGroups: { "orders-db-params": "orders-db-params-dr" },
      dbClusterParameterGroups: {},
      optionGroups: {},
      keyPairs: { "shop-ops": "shop-ops-dr" },
      kmsKeys: { [PRIMARY_KEY]: DR_KEY },
    };
    // Act
    const rds = build(
      "rds",
      {
        DBParameterGroupName: "orders-db-params",
        OptionGroupName: "orders-db-options",
        KmsKeyId: PRIMARY_KEY,
      },
      { OptionGroupName: "default:postgres-15" },
      { regionalNames },
    );
    const ec2 = build(
      "ec2",
      { KeyName: "shop-ops", BlockDeviceMappings: mappings(PRIMARY_KEY) },
      {},
      { regionalNames },
    );
    const kept = build("efs", { KmsKeyId: DR_KEY, Encrypted: "true" });
    // Assess
    expect(rds).toMatchObject({
      DBParameterGroupName: "orders-db-params-dr",
      OptionGroupName: "default:postgres-15",
      KmsKeyId: DR_KEY,
    });
    expect(ec2.KeyName).toBe("shop-ops-dr");
    expect(JSON.parse(ec2.BlockDeviceMappings as string)).toEqual(JSON.parse(mappings(DR_KEY)));
    expect(kept.KmsKeyId).toBe(DR_KEY);
  });
});

describe("buildRestoreMetadata", () => {
  it("rds: names the instance, puts it in the DR subnet group and security groups, drops the AZ", () => {
    // Act
    const meta = build("rds", {
      DBInstanceIdentifier: "orders-db",
      AvailabilityZone: "us-east-1a",
      MultiAZ: "false",
      DBSubnetGroupName: "default",
      vpcSecurityGroupIds: '["sg-primary"]',
      KmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/abc",
      DBInstanceClass: "db.r6g.large",
    });
    // Assess
    expect(meta).toEqual({
      DBInstanceIdentifier: "orders-db-abc123",
      DBSubnetGroupName: "dr-db-subnets",
      VpcSecurityGroupIds: '["sg-0drdb","sg-0drweb"]',
      MultiAZ: "false",
      DBInstanceClass: "db.r6g.large",
    });
  });

  it("aurora: cluster identifier, subnet group, security groups, no AZ list", () => {
    const meta = build("aurora", {
      DBClusterIdentifier: "x",
      AvailabilityZones: '["us-east-1a"]',
      Engine: "aurora-postgresql",
    });
    expect(meta).toEqual({
      DBClusterIdentifier: "orders-db-abc123",
      DBSubnetGroupName: "dr-db-subnets",
      VpcSecurityGroupIds: '["sg-0drdb","sg-0drweb"]',
      Engine: "aurora-postgresql",
    });
  });

  it("ec2: first DR subnet and security groups, no network interfaces or placement", () => {
    const meta = build("ec2", {
      InstanceType: "t3.large",
      NetworkInterfaces: "[{}]",
      Placement: '{"AvailabilityZone":"us-east-1a"}',
      SubnetId: "subnet-primary",
    });
    expect(meta).toEqual({
      InstanceType: "t3.large",
      SubnetId: "subnet-0dra",
      SecurityGroupIds: '["sg-0drdb","sg-0drweb"]',
    });
  });

  it("ebs: the first DR subnet's AZ", () => {
    expect(build("ebs", { availabilityZone: "us-east-1a", volumeType: "gp3" })).toEqual({
      availabilityZone: "us-west-2a",
      volumeType: "gp3",
    });
  });

  it("efs: a new encrypted file system named by creation token, performance mode kept", () => {
    expect(
      build("efs", { "file-system-id": "fs-1", PerformanceMode: "maxIO", newFileSystem: "false" }),
    ).toEqual({
      "file-system-id": "fs-1",
      PerformanceMode: "maxIO",
      newFileSystem: "true",
      CreationToken: "orders-db-abc123",
      Encrypted: "true",
    });
  });

  it("dynamodb: the target table name; config overrides win", () => {
    expect(build("dynamodb", { encryptionType: "Default" }, { targetTableName: "carts-fixed" })).toEqual({
      encryptionType: "Default",
      targetTableName: "carts-fixed",
    });
  });
});

describe("resolveDrNetwork", () => {
  const ec2 = () => {
    const client = new EC2Client({ region: "us-west-2" });
    return { mock: mockClient(client), api: ec2Api(client) };
  };

  it("returns the first subnet's AZ when everything is in the DR VPC", async () => {
    // Prepare
    const { mock, api } = ec2();
    mock.on(DescribeSubnetsCommand).resolves({
      Subnets: [
        { SubnetId: "subnet-0drb", VpcId: "vpc-0dr", AvailabilityZone: "us-west-2b" },
        { SubnetId: "subnet-0dra", VpcId: "vpc-0dr", AvailabilityZone: "us-west-2a" },
      ],
    });
    mock
      .on(DescribeSecurityGroupsCommand)
      .resolves({ SecurityGroups: [{ GroupId: "sg-0drdb", VpcId: "vpc-0dr" }] });
    // Act
    const net = await resolveDrNetwork(api, appConfig().network);
    // Assess
    expect(net.availabilityZone).toBe("us-west-2a");
    expect(net.dbSubnetGroup).toBe("dr-db-subnets");
  });

  it("rejects subnets or security groups outside the DR VPC", async () => {
    const { mock, api } = ec2();
    mock.on(DescribeSubnetsCommand).resolves({
      Subnets: [
        { SubnetId: "subnet-0dra", VpcId: "vpc-default", AvailabilityZone: "us-west-2a" },
        { SubnetId: "subnet-0drb", VpcId: "vpc-0dr", AvailabilityZone: "us-west-2b" },
      ],
    });
    mock.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });
    const err = await resolveDrNetwork(api, appConfig().network).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigInvalid);
    expect((err as Error).message).toMatch(/subnet-0dra is in vpc-default, not vpc-0dr/);
    expect((err as Error).message).toMatch(/security group sg-0drdb does not exist/);
  });
});
