/** awsQuery (RDS, CloudFormation, SNS) and ec2Query (EC2) through the sandbox server with the SDK v3 clients. */
import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
} from "@aws-sdk/client-cloudformation";
import {
  AttachVolumeCommand,
  CreateTagsCommand,
  DeleteVolumeCommand,
  DescribeInstanceStatusCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVolumesCommand,
  DetachVolumeCommand,
  EC2Client,
  paginateDescribeInstances,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import {
  AddTagsToResourceCommand,
  CreateDBInstanceCommand,
  DeleteDBClusterCommand,
  DeleteDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  paginateDescribeDBInstances,
  RDSClient,
} from "@aws-sdk/client-rds";
import { CreateTopicCommand, PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { describe, expect, it } from "vitest";
import { SandboxError } from "../../../scripts/sandbox/types.js";
import { body, useFakeSandbox } from "./wire-fake.js";

const sb = useFakeSandbox();

const T0 = new Date("2026-03-01T09:00:00.000Z");
const T1 = new Date("2026-03-01T09:04:05.678Z");

describe("rds (awsQuery)", () => {
  const instance = {
    DBInstanceIdentifier: "orders-a1b2c3",
    DBInstanceArn: "arn:aws:rds:us-west-2:1:db:orders-a1b2c3",
    DBInstanceClass: "db.r6g.large",
    Engine: "postgres",
    DBInstanceStatus: "available",
    Endpoint: { Address: "orders-a1b2c3.rds.local", Port: 5432, HostedZoneId: "Z1" },
    AllocatedStorage: 100,
    InstanceCreateTime: T0,
    MultiAZ: false,
    VpcSecurityGroups: [{ VpcSecurityGroupId: "sg-1", Status: "active" }],
    TagList: [
      { Key: "drctl:execution", Value: "drill-shop-1" },
      { Key: "app", Value: "shop" },
    ],
  };

  it("DescribeDBInstances: Filters.Filter.N.Values.Value.M, DBInstance/Tag/VpcSecurityGroupMembership lists, paging", async () => {
    // Prepare
    sb.backend.on("rds", "DescribeDBInstances", (call) =>
      call.input.Marker ? { DBInstances: [] } : { DBInstances: [instance], Marker: "m&2" },
    );
    const client = new RDSClient(sb.config());
    // Act
    const pages = [];
    for await (const page of paginateDescribeDBInstances(
      { client },
      { Filters: [{ Name: "engine", Values: ["postgres", "aurora-postgresql"] }], MaxRecords: 20 },
    )) {
      pages.push(page);
    }
    // Assess
    expect(sb.backend.calls).toEqual([
      {
        service: "rds",
        operation: "DescribeDBInstances",
        region: "us-west-2",
        input: { Filters: [{ Name: "engine", Values: ["postgres", "aurora-postgresql"] }], MaxRecords: 20 },
      },
      {
        service: "rds",
        operation: "DescribeDBInstances",
        region: "us-west-2",
        input: {
          Filters: [{ Name: "engine", Values: ["postgres", "aurora-postgresql"] }],
          MaxRecords: 20,
          Marker: "m&2",
        },
      },
    ]);
    expect(body(pages[0] as object)).toEqual({ DBInstances: [instance], Marker: "m&2" });
    expect(pages[1]?.DBInstances).toEqual([]);
  });

  it("DescribeDBClusters, CreateDBInstance (Tags.Tag.N), AddTagsToResource, DeleteDBInstance, DeleteDBCluster", async () => {
    // Prepare
    const cluster = {
      DBClusterIdentifier: "catalog-a1b2c3",
      DBClusterArn: "arn:aws:rds:us-west-2:1:cluster:catalog-a1b2c3",
      Status: "available",
      Engine: "aurora-postgresql",
      Endpoint: "catalog.cluster.local",
      ReaderEndpoint: "catalog.cluster-ro.local",
      Port: 5432,
      DBClusterMembers: [{ DBInstanceIdentifier: "catalog-1", IsClusterWriter: true }],
      ClusterCreateTime: T1,
      TagList: [{ Key: "app", Value: "shop" }],
    };
    sb.backend.on("rds", "DescribeDBClusters", { DBClusters: [cluster] });
    sb.backend.on("rds", "CreateDBInstance", { DBInstance: { ...instance, DBInstanceStatus: "creating" } });
    sb.backend.on("rds", "AddTagsToResource", {});
    sb.backend.on("rds", "DeleteDBInstance", { DBInstance: { ...instance, DBInstanceStatus: "deleting" } });
    sb.backend.on("rds", "DeleteDBCluster", { DBCluster: { ...cluster, Status: "deleting" } });
    const client = new RDSClient(sb.config());
    // Act
    const clusters = await client.send(
      new DescribeDBClustersCommand({ DBClusterIdentifier: "catalog-a1b2c3" }),
    );
    const created = await client.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: "catalog-a1b2c3-1",
        DBClusterIdentifier: "catalog-a1b2c3",
        DBInstanceClass: "db.r6g.large",
        Engine: "aurora-postgresql",
        Tags: [{ Key: "drctl:mode", Value: "drill" }],
      }),
    );
    await client.send(
      new AddTagsToResourceCommand({ ResourceName: cluster.DBClusterArn, Tags: [{ Key: "a", Value: "b" }] }),
    );
    const deleted = await client.send(
      new DeleteDBInstanceCommand({
        DBInstanceIdentifier: "orders-a1b2c3",
        SkipFinalSnapshot: true,
        DeleteAutomatedBackups: true,
      }),
    );
    const deletedCluster = await client.send(
      new DeleteDBClusterCommand({ DBClusterIdentifier: "catalog-a1b2c3", SkipFinalSnapshot: true }),
    );
    // Assess
    expect(sb.backend.calls.map((c) => [c.operation, c.input])).toEqual([
      ["DescribeDBClusters", { DBClusterIdentifier: "catalog-a1b2c3" }],
      [
        "CreateDBInstance",
        {
          DBInstanceIdentifier: "catalog-a1b2c3-1",
          DBClusterIdentifier: "catalog-a1b2c3",
          DBInstanceClass: "db.r6g.large",
          Engine: "aurora-postgresql",
          Tags: [{ Key: "drctl:mode", Value: "drill" }],
        },
      ],
      ["AddTagsToResource", { ResourceName: cluster.DBClusterArn, Tags: [{ Key: "a", Value: "b" }] }],
      [
        "DeleteDBInstance",
        { DBInstanceIdentifier: "orders-a1b2c3", SkipFinalSnapshot: true, DeleteAutomatedBackups: true },
      ],
      ["DeleteDBCluster", { DBClusterIdentifier: "catalog-a1b2c3", SkipFinalSnapshot: true }],
    ]);
    expect(clusters.DBClusters).toEqual([cluster]);
    expect(created.DBInstance?.DBInstanceStatus).toBe("creating");
    expect(created.DBInstance?.TagList).toEqual(instance.TagList);
    expect(deleted.DBInstance).toEqual({ ...instance, DBInstanceStatus: "deleting" });
    expect(deletedCluster.DBCluster?.Status).toBe("deleting");
  });

  it("errors: DBInstanceNotFound → DBInstanceNotFoundFault (404), Throttling", async () => {
    // Prepare
    sb.backend.on("rds", "DescribeDBInstances", () => {
      throw new SandboxError("DBInstanceNotFound", "DBInstance orders-x not found.", 404);
    });
    sb.backend.on("rds", "DescribeDBClusters", () => {
      throw new SandboxError("Throttling", "Rate exceeded", 400);
    });
    const client = new RDSClient(sb.config());
    // Act
    const notFound = await client
      .send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: "orders-x" }))
      .catch((e) => e);
    const throttled = await client.send(new DescribeDBClustersCommand({})).catch((e) => e);
    // Assess
    expect(notFound.name).toBe("DBInstanceNotFoundFault");
    expect(notFound.message).toBe("DBInstance orders-x not found.");
    expect(notFound.$metadata.httpStatusCode).toBe(404);
    expect(notFound.Error).toMatchObject({ Code: "DBInstanceNotFound", Type: "Sender" });
    expect(throttled.name).toBe("Throttling");
  });
});

describe("cloudformation (awsQuery)", () => {
  it("CreateStack (Parameters.member.N, Capabilities, Tags), DescribeStacks (Outputs/member), DescribeStackEvents, DeleteStack", async () => {
    // Prepare
    const stack = {
      StackId: "arn:aws:cloudformation:us-west-2:1:stack/shop-drill-a1b2c3/uuid",
      StackName: "shop-drill-a1b2c3",
      StackStatus: "CREATE_COMPLETE",
      CreationTime: T0,
      Parameters: [{ ParameterKey: "ParameterPrefix", ParameterValue: "/drctl-drill/run" }],
      Outputs: [
        { OutputKey: "HealthUrl", OutputValue: "http://127.0.0.1:1/_sandbox/health/us-west-2/shop" },
        { OutputKey: "AppSubnetIds", OutputValue: "subnet-1,subnet-2", Description: "subnets" },
      ],
      Tags: [{ Key: "drctl:execution", Value: "drill-shop-1" }],
      Capabilities: ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"],
    };
    sb.backend.on("cloudformation", "CreateStack", { StackId: stack.StackId });
    sb.backend.on("cloudformation", "DescribeStacks", { Stacks: [stack] });
    sb.backend.on("cloudformation", "DescribeStackEvents", {
      StackEvents: [
        {
          StackId: stack.StackId,
          EventId: "e1",
          StackName: stack.StackName,
          LogicalResourceId: "Alb",
          ResourceStatus: "CREATE_FAILED",
          ResourceStatusReason: "quota",
          Timestamp: T1,
        },
      ],
    });
    sb.backend.on("cloudformation", "DeleteStack", {});
    const client = new CloudFormationClient(sb.config());
    const createInput = {
      StackName: "shop-drill-a1b2c3",
      TemplateURL: "https://bucket.s3.amazonaws.com/dr.yaml",
      Parameters: [{ ParameterKey: "ParameterPrefix", ParameterValue: "/drctl-drill/run" }],
      Capabilities: ["CAPABILITY_IAM" as const, "CAPABILITY_NAMED_IAM" as const],
      OnFailure: "ROLLBACK" as const,
      Tags: [{ Key: "drctl:execution", Value: "drill-shop-1" }],
      ClientRequestToken: "drill-shop-1",
    };
    // Act
    const created = await client.send(new CreateStackCommand(createInput));
    const described = await client.send(new DescribeStacksCommand({ StackName: stack.StackName }));
    const events = await client.send(new DescribeStackEventsCommand({ StackName: stack.StackName }));
    await client.send(new DeleteStackCommand({ StackName: stack.StackName, ClientRequestToken: "del-1" }));
    // Assess
    expect(sb.backend.calls.map((c) => [c.service, c.operation, c.input])).toEqual([
      ["cloudformation", "CreateStack", createInput],
      ["cloudformation", "DescribeStacks", { StackName: stack.StackName }],
      ["cloudformation", "DescribeStackEvents", { StackName: stack.StackName }],
      ["cloudformation", "DeleteStack", { StackName: stack.StackName, ClientRequestToken: "del-1" }],
    ]);
    expect(body(created)).toEqual({ StackId: stack.StackId });
    expect(body(described)).toEqual({ Stacks: [stack] });
    expect(events.StackEvents?.[0]?.Timestamp).toEqual(T1);
    expect(events.StackEvents?.[0]?.ResourceStatusReason).toBe("quota");
  });

  it("errors: ValidationError (unmodeled code) surfaces by name", async () => {
    // Prepare
    sb.backend.on("cloudformation", "DescribeStacks", () => {
      throw new SandboxError("ValidationError", "Stack with id nope does not exist");
    });
    // Act
    const err = await new CloudFormationClient(sb.config())
      .send(new DescribeStacksCommand({ StackName: "nope" }))
      .catch((e) => e);
    // Assess
    expect(err.name).toBe("ValidationError");
    expect(err.message).toBe("Stack with id nope does not exist");
    expect(err.$metadata.httpStatusCode).toBe(400);
  });
});

describe("sns (awsQuery)", () => {
  it("Publish (MessageAttributes.entry.N.Name/Value) and CreateTopic (Attributes map, Tags)", async () => {
    // Prepare
    sb.backend.on("sns", "Publish", { MessageId: "msg-1" });
    sb.backend.on("sns", "CreateTopic", { TopicArn: "arn:aws:sns:us-west-2:1:drctl" });
    const client = new SNSClient(sb.config());
    // Act
    const published = await client.send(
      new PublishCommand({
        TopicArn: "arn:aws:sns:us-west-2:1:drctl",
        Subject: "drctl drill succeeded",
        Message: "RTO 42 min <ok> & done",
        MessageAttributes: { run: { DataType: "String", StringValue: "drill-shop-1" } },
      }),
    );
    const topic = await client.send(
      new CreateTopicCommand({
        Name: "drctl",
        Attributes: { DisplayName: "drctl", FifoTopic: "false" },
        Tags: [{ Key: "app", Value: "shop" }],
      }),
    );
    // Assess
    expect(sb.backend.calls.map((c) => [c.operation, c.input])).toEqual([
      [
        "Publish",
        {
          TopicArn: "arn:aws:sns:us-west-2:1:drctl",
          Subject: "drctl drill succeeded",
          Message: "RTO 42 min <ok> & done",
          MessageAttributes: { run: { DataType: "String", StringValue: "drill-shop-1" } },
        },
      ],
      [
        "CreateTopic",
        {
          Name: "drctl",
          Attributes: { DisplayName: "drctl", FifoTopic: "false" },
          Tags: [{ Key: "app", Value: "shop" }],
        },
      ],
    ]);
    expect(body(published)).toEqual({ MessageId: "msg-1" });
    expect(body(topic)).toEqual({ TopicArn: "arn:aws:sns:us-west-2:1:drctl" });
  });

  it("errors: NotFound → NotFoundException (404)", async () => {
    // Prepare
    sb.backend.on("sns", "Publish", () => {
      throw new SandboxError("NotFound", "Topic does not exist", 404);
    });
    // Act
    const err = await new SNSClient(sb.config())
      .send(new PublishCommand({ TopicArn: "arn:nope", Message: "x" }))
      .catch((e) => e);
    // Assess
    expect(err.name).toBe("NotFoundException");
    expect(err.message).toBe("Topic does not exist");
    expect(err.$metadata.httpStatusCode).toBe(404);
  });
});

describe("ec2 (ec2Query)", () => {
  const instance = {
    InstanceId: "i-0abc",
    InstanceType: "m6i.large",
    LaunchTime: T0,
    State: { Code: 16, Name: "running" as const },
    Placement: { AvailabilityZone: "us-west-2a" },
    SubnetId: "subnet-1",
    VpcId: "vpc-1",
    SecurityGroups: [{ GroupId: "sg-1", GroupName: "app" }],
    Tags: [
      { Key: "app", Value: "shop" },
      { Key: "Name", Value: "web-1" },
    ],
    BlockDeviceMappings: [
      {
        DeviceName: "/dev/xvda",
        Ebs: { VolumeId: "vol-root", Status: "attached" as const, AttachTime: T0, DeleteOnTermination: true },
      },
    ],
  };

  it("DescribeInstances: Filter.N.Name/Value.M, InstanceId.N, reservationSet/instancesSet/tagSet items, paging", async () => {
    // Prepare
    sb.backend.on("ec2", "DescribeInstances", (call) =>
      call.input.NextToken
        ? { Reservations: [] }
        : { Reservations: [{ ReservationId: "r-1", OwnerId: "1", Instances: [instance] }], NextToken: "nt2" },
    );
    const client = new EC2Client(sb.config());
    // Act
    const pages = [];
    for await (const page of paginateDescribeInstances(
      { client },
      {
        InstanceIds: ["i-0abc", "i-0def"],
        Filters: [
          { Name: "tag:app", Values: ["shop"] },
          { Name: "instance-state-name", Values: ["running", "stopped"] },
        ],
      },
    )) {
      pages.push(page);
    }
    // Assess
    const query = {
      InstanceIds: ["i-0abc", "i-0def"],
      Filters: [
        { Name: "tag:app", Values: ["shop"] },
        { Name: "instance-state-name", Values: ["running", "stopped"] },
      ],
    };
    expect(sb.backend.calls).toEqual([
      { service: "ec2", operation: "DescribeInstances", region: "us-west-2", input: query },
      {
        service: "ec2",
        operation: "DescribeInstances",
        region: "us-west-2",
        input: { ...query, NextToken: "nt2" },
      },
    ]);
    expect(body(pages[0] as object)).toEqual({
      Reservations: [{ ReservationId: "r-1", OwnerId: "1", Instances: [instance] }],
      NextToken: "nt2",
    });
  });

  it("DescribeInstanceStatus, DescribeVolumes (attachmentSet), DescribeSubnets, DescribeSecurityGroups", async () => {
    // Prepare
    const status = {
      InstanceId: "i-0abc",
      AvailabilityZone: "us-west-2a",
      InstanceState: { Code: 16, Name: "running" as const },
      InstanceStatus: {
        Status: "ok" as const,
        Details: [{ Name: "reachability" as const, Status: "passed" as const }],
      },
      SystemStatus: {
        Status: "ok" as const,
        Details: [{ Name: "reachability" as const, Status: "passed" as const }],
      },
    };
    const volume = {
      VolumeId: "vol-1",
      Size: 100,
      AvailabilityZone: "us-west-2a",
      State: "in-use" as const,
      CreateTime: T0,
      Encrypted: true,
      VolumeType: "gp3" as const,
      Attachments: [
        {
          VolumeId: "vol-1",
          InstanceId: "i-0abc",
          Device: "/dev/sdf",
          State: "attached" as const,
          AttachTime: T1,
          DeleteOnTermination: false,
        },
      ],
      Tags: [{ Key: "drctl:execution", Value: "drill-shop-1" }],
    };
    sb.backend.on("ec2", "DescribeInstanceStatus", { InstanceStatuses: [status] });
    sb.backend.on("ec2", "DescribeVolumes", { Volumes: [volume] });
    sb.backend.on("ec2", "DescribeSubnets", {
      Subnets: [
        {
          SubnetId: "subnet-1",
          VpcId: "vpc-1",
          AvailabilityZone: "us-west-2a",
          CidrBlock: "10.1.0.0/24",
          AvailableIpAddressCount: 250,
        },
      ],
    });
    sb.backend.on("ec2", "DescribeSecurityGroups", {
      SecurityGroups: [
        { GroupId: "sg-1", GroupName: "app", VpcId: "vpc-1", Description: "app", OwnerId: "1" },
      ],
    });
    const client = new EC2Client(sb.config());
    // Act
    const statuses = await client.send(
      new DescribeInstanceStatusCommand({ InstanceIds: ["i-0abc"], IncludeAllInstances: true }),
    );
    const volumes = await client.send(
      new DescribeVolumesCommand({ Filters: [{ Name: "tag:drctl:execution", Values: ["drill-shop-1"] }] }),
    );
    const subnets = await client.send(new DescribeSubnetsCommand({ SubnetIds: ["subnet-1"] }));
    const groups = await client.send(new DescribeSecurityGroupsCommand({ GroupIds: ["sg-1"] }));
    // Assess
    expect(sb.backend.calls.map((c) => [c.operation, c.input])).toEqual([
      ["DescribeInstanceStatus", { InstanceIds: ["i-0abc"], IncludeAllInstances: true }],
      ["DescribeVolumes", { Filters: [{ Name: "tag:drctl:execution", Values: ["drill-shop-1"] }] }],
      ["DescribeSubnets", { SubnetIds: ["subnet-1"] }],
      ["DescribeSecurityGroups", { GroupIds: ["sg-1"] }],
    ]);
    expect(statuses.InstanceStatuses).toEqual([status]);
    expect(volumes.Volumes).toEqual([volume]);
    expect(subnets.Subnets?.[0]).toEqual({
      SubnetId: "subnet-1",
      VpcId: "vpc-1",
      AvailabilityZone: "us-west-2a",
      CidrBlock: "10.1.0.0/24",
      AvailableIpAddressCount: 250,
    });
    expect(groups.SecurityGroups?.[0]).toEqual({
      GroupId: "sg-1",
      GroupName: "app",
      VpcId: "vpc-1",
      Description: "app",
      OwnerId: "1",
    });
  });

  it("AttachVolume, DetachVolume, DeleteVolume (unit), TerminateInstances, CreateTags (ResourceId.N, Tag.N.Key)", async () => {
    // Prepare
    sb.backend.on("ec2", "AttachVolume", {
      VolumeId: "vol-1",
      InstanceId: "i-0abc",
      Device: "/dev/sdf",
      State: "attaching",
      AttachTime: T1,
    });
    sb.backend.on("ec2", "DetachVolume", {
      VolumeId: "vol-1",
      InstanceId: "i-0abc",
      Device: "/dev/sdf",
      State: "detaching",
    });
    sb.backend.on("ec2", "DeleteVolume", {});
    sb.backend.on("ec2", "TerminateInstances", {
      TerminatingInstances: [
        {
          InstanceId: "i-0abc",
          CurrentState: { Code: 32, Name: "shutting-down" },
          PreviousState: { Code: 16, Name: "running" },
        },
      ],
    });
    sb.backend.on("ec2", "CreateTags", {});
    const client = new EC2Client(sb.config("us-east-1"));
    // Act
    const attached = await client.send(
      new AttachVolumeCommand({ VolumeId: "vol-1", InstanceId: "i-0abc", Device: "/dev/sdf" }),
    );
    const detached = await client.send(new DetachVolumeCommand({ VolumeId: "vol-1", Force: true }));
    const deleted = await client.send(new DeleteVolumeCommand({ VolumeId: "vol-1" }));
    const terminated = await client.send(new TerminateInstancesCommand({ InstanceIds: ["i-0abc"] }));
    await client.send(
      new CreateTagsCommand({
        Resources: ["vol-1", "i-0abc"],
        Tags: [
          { Key: "drctl:execution", Value: "drill-shop-1" },
          { Key: "empty", Value: "" },
        ],
      }),
    );
    // Assess
    expect(sb.backend.calls.map((c) => [c.region, c.operation, c.input])).toEqual([
      ["us-east-1", "AttachVolume", { VolumeId: "vol-1", InstanceId: "i-0abc", Device: "/dev/sdf" }],
      ["us-east-1", "DetachVolume", { VolumeId: "vol-1", Force: true }],
      ["us-east-1", "DeleteVolume", { VolumeId: "vol-1" }],
      ["us-east-1", "TerminateInstances", { InstanceIds: ["i-0abc"] }],
      [
        "us-east-1",
        "CreateTags",
        {
          Resources: ["vol-1", "i-0abc"],
          Tags: [
            { Key: "drctl:execution", Value: "drill-shop-1" },
            { Key: "empty", Value: "" },
          ],
        },
      ],
    ]);
    expect(body(attached)).toEqual({
      VolumeId: "vol-1",
      InstanceId: "i-0abc",
      Device: "/dev/sdf",
      State: "attaching",
      AttachTime: T1,
    });
    expect(detached.State).toBe("detaching");
    expect(deleted.$metadata.httpStatusCode).toBe(200);
    expect(terminated.TerminatingInstances).toEqual([
      {
        InstanceId: "i-0abc",
        CurrentState: { Code: 32, Name: "shutting-down" },
        PreviousState: { Code: 16, Name: "running" },
      },
    ]);
  });

  it("errors: InvalidInstanceID.NotFound and RequestLimitExceeded", async () => {
    // Prepare
    sb.backend.on("ec2", "DescribeInstances", () => {
      throw new SandboxError("InvalidInstanceID.NotFound", "The instance ID 'i-9' does not exist");
    });
    sb.backend.on("ec2", "DeleteVolume", () => {
      throw new SandboxError("RequestLimitExceeded", "Request limit exceeded.", 503);
    });
    const client = new EC2Client(sb.config());
    // Act
    const notFound = await client
      .send(new DescribeInstancesCommand({ InstanceIds: ["i-9"] }))
      .catch((e) => e);
    const limited = await client.send(new DeleteVolumeCommand({ VolumeId: "vol-1" })).catch((e) => e);
    // Assess
    expect(notFound.name).toBe("InvalidInstanceID.NotFound");
    expect(notFound.message).toBe("The instance ID 'i-9' does not exist");
    expect(notFound.$metadata.httpStatusCode).toBe(400);
    expect(limited.name).toBe("RequestLimitExceeded");
    expect(limited.$metadata.httpStatusCode).toBe(503);
  });
});
