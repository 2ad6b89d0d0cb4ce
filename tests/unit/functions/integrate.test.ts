import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  AttachVolumeCommand,
  CreateTagsCommand,
  DescribeInstancesCommand,
  DescribeSubnetsCommand,
  DescribeVolumesCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import {
  CreateMountTargetCommand,
  DescribeFileSystemsCommand,
  DescribeMountTargetsCommand,
  EFSClient,
  TagResourceCommand as EfsTagResourceCommand,
} from "@aws-sdk/client-efs";
import {
  AddTagsToResourceCommand,
  CreateDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  RDSClient,
} from "@aws-sdk/client-rds";
import {
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  GetParameterCommand,
  PutParameterCommand,
  SendCommandCommand,
  SSMClient,
} from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { handler } from "../../../functions/integrate/handler.js";
import {
  type IntegrateDeps,
  type IntegrateEvent,
  integrate,
} from "../../../functions/integrate/integrate.js";
import { dynamoDbApi } from "../../../functions/shared/aws/dynamodb.js";
import { ec2Api } from "../../../functions/shared/aws/ec2.js";
import { efsApi } from "../../../functions/shared/aws/efs.js";
import { rdsApi } from "../../../functions/shared/aws/rds.js";
import { ssmApi } from "../../../functions/shared/aws/ssm.js";
import { localContext } from "../../../functions/shared/middleware.js";
import { IntegrationDocument } from "../../../functions/shared/types.js";
import { appConfigInput, type MemoryS3, memoryS3, RUN_NAME, runContext } from "../../support/fixtures.js";
import {
  at,
  awsError,
  drillState,
  job,
  jobsDocument,
  planDocument,
  planned,
  RESTORED,
} from "../../support/fixtures-report.js";

const RUN = runContext();
const PREFIX = `/drctl-drill/${RUN_NAME}`;
const STACK_TAG = "aws:cloudformation:stack-name";

/** The AWS side as integrate sees it; tests change it between ticks. */
interface World {
  dbStatus: string;
  volume: { state: string; attachment?: { InstanceId: string; State: string } };
  instances: {
    InstanceId: string;
    State: { Name: string };
    Placement: { AvailabilityZone: string };
    Tags: { Key: string; Value: string }[];
  }[];
  mountTargets: { MountTargetId: string; SubnetId: string; LifeCycleState: string }[];
  commandStatus: string;
  parameters: Map<string, string>;
  /** PingStatus of the instances that are SSM managed instances (absent: not registered). */
  managed: Map<string, string>;
}

let s3: MemoryS3;
let world: World;
const rds = mockClient(new RDSClient({ region: "us-west-2" }));
const ec2 = mockClient(new EC2Client({ region: "us-west-2" }));
const efs = mockClient(new EFSClient({ region: "us-west-2" }));
const ssm = mockClient(new SSMClient({ region: "us-west-2" }));
const ddb = mockClient(new DynamoDBClient({ region: "us-west-2" }));

function deps(now = at(2116)): IntegrateDeps {
  return {
    config: s3.config(),
    store: s3.store,
    rds: rdsApi(rds as unknown as RDSClient),
    ec2: ec2Api(ec2 as unknown as EC2Client),
    efs: efsApi(efs as unknown as EFSClient),
    dynamodb: dynamoDbApi(ddb as unknown as DynamoDBClient),
    ssm: ssmApi(ssm as unknown as SSMClient),
    now: () => now,
  };
}

function event(run = RUN): IntegrateEvent {
  return { run, recovery: drillState(run).recovery } as IntegrateEvent;
}

const tags = (t: Record<string, string>) => Object.entries(t).map(([Key, Value]) => ({ Key, Value }));

beforeEach(() => {
  for (const m of [rds, ec2, efs, ssm, ddb]) m.reset();
  s3 = memoryS3();
  s3.putConfig(appConfigInput());
  s3.putJson(`${RUN.artifactsPrefix}plan.json`, planDocument());
  s3.putJson(`${RUN.artifactsPrefix}jobs.json`, jobsDocument());
  world = {
    dbStatus: "available",
    volume: { state: "available" },
    instances: [
      {
        InstanceId: "i-0web",
        State: { Name: "running" },
        Placement: { AvailabilityZone: "us-west-2a" },
        Tags: tags({ role: "web", [STACK_TAG]: RUN.stackName }),
      },
    ],
    mountTargets: [],
    commandStatus: "InProgress",
    parameters: new Map(),
    managed: new Map([["i-0web", "Online"]]),
  };
  rds.on(DescribeDBInstancesCommand).callsFake(() => ({
    DBInstances: [
      {
        DBInstanceIdentifier: "orders-db-3b5a1c",
        DBInstanceArn: RESTORED.ordersDb,
        DBInstanceStatus: world.dbStatus,
        Endpoint: { Address: "orders-db-3b5a1c.abc.us-west-2.rds.amazonaws.com", Port: 5432 },
      },
    ],
  }));
  rds.on(AddTagsToResourceCommand).resolves({});
  ec2.on(DescribeVolumesCommand).callsFake(() => ({
    Volumes: [
      {
        VolumeId: "vol-0dr00000000000001",
        State: world.volume.state,
        AvailabilityZone: "us-west-2a",
        Attachments: world.volume.attachment ? [{ ...world.volume.attachment, Device: "/dev/sdf" }] : [],
      },
    ],
  }));
  ec2.on(DescribeInstancesCommand).callsFake(() => ({ Reservations: [{ Instances: world.instances }] }));
  ec2.on(CreateTagsCommand).resolves({});
  ec2.on(AttachVolumeCommand).callsFake((input: { InstanceId: string }) => {
    world.volume = { state: "in-use", attachment: { InstanceId: input.InstanceId, State: "attaching" } };
    return {};
  });
  ec2.on(DescribeSubnetsCommand).resolves({
    Subnets: [
      { SubnetId: "subnet-0dra", VpcId: "vpc-0dr", AvailabilityZone: "us-west-2a" },
      { SubnetId: "subnet-0drb", VpcId: "vpc-0dr", AvailabilityZone: "us-west-2b" },
    ],
  });
  efs.on(DescribeFileSystemsCommand).resolves({
    FileSystems: [
      {
        FileSystemId: "fs-0dr0000000000001",
        FileSystemArn: RESTORED.sharedFiles,
        CreationToken: "shared-files-3b5a1c",
        LifeCycleState: "available",
      } as never,
    ],
  });
  efs.on(EfsTagResourceCommand).resolves({});
  efs.on(DescribeMountTargetsCommand).callsFake(() => ({ MountTargets: world.mountTargets }));
  efs.on(CreateMountTargetCommand).callsFake((input: { SubnetId: string }) => {
    const mt = {
      MountTargetId: `fsmt-${input.SubnetId}`,
      SubnetId: input.SubnetId,
      LifeCycleState: "creating",
    };
    world.mountTargets.push(mt);
    return mt;
  });
  ssm.on(PutParameterCommand).callsFake((input: { Name: string; Value: string; Overwrite?: boolean }) => {
    if (world.parameters.has(input.Name) && !input.Overwrite) {
      throw awsError("ParameterAlreadyExists", "The parameter already exists.");
    }
    world.parameters.set(input.Name, input.Value);
    return { Version: 1 };
  });
  ssm.on(GetParameterCommand).callsFake((input: { Name: string }) => ({
    Parameter: { Name: input.Name, Value: world.parameters.get(input.Name) },
  }));
  ssm.on(DescribeInstanceInformationCommand).callsFake((input: { Filters: { Values: string[] }[] }) => ({
    InstanceInformationList: (input.Filters[0]?.Values ?? [])
      .filter((id) => world.managed.has(id))
      .map((id) => ({ InstanceId: id, PingStatus: world.managed.get(id) })),
  }));
  ssm.on(SendCommandCommand).callsFake((input: { InstanceIds: string[] }) => {
    const bad = input.InstanceIds.filter((id) => world.managed.get(id) !== "Online");
    if (bad.length > 0) {
      throw awsError(
        "InvalidInstanceId",
        `Instances [[${bad.join(", ")}]] not in a valid state for account 111122223333`,
      );
    }
    return { Command: { CommandId: "cmd-1" } };
  });
  ssm.on(GetCommandInvocationCommand).callsFake((input: { CommandId: string; InstanceId: string }) => ({
    CommandId: input.CommandId,
    InstanceId: input.InstanceId,
    Status: world.commandStatus,
    StandardErrorContent: world.commandStatus === "Failed" ? "mount.nfs4: access denied by server\n" : "",
  }));
});

const savedDocument = () => IntegrationDocument.parse(s3.getJson(`${RUN.artifactsPrefix}integration.json`));

describe("integrate", () => {
  it("integrates rds, ebs and efs over several ticks, in dependsOn order", async () => {
    // Act 1: first tick
    const first = await integrate(event(), deps(at(2116)));
    // Assess 1: orders-db done (endpoint written under the drill prefix), volume attaching, mount targets creating
    expect(first).toMatchObject({ total: 3, done: 1, pending: 2, allDone: false });
    expect(first.waitSeconds).toBeGreaterThanOrEqual(5);
    expect(world.parameters.get(`${PREFIX}/shop/db/endpoint`)).toBe(
      "orders-db-3b5a1c.abc.us-west-2.rds.amazonaws.com:5432",
    );
    expect(ssm.commandCalls(PutParameterCommand)[0]?.args[0].input).toMatchObject({ Overwrite: false });
    expect(rds.commandCalls(AddTagsToResourceCommand)[0]?.args[0].input).toEqual({
      ResourceName: RESTORED.ordersDb,
      Tags: tags({ "drctl:execution": RUN_NAME, "drctl:mode": "drill", "drctl:app": "shop" }),
    });
    expect(ec2.commandCalls(AttachVolumeCommand)[0]?.args[0].input).toEqual({
      VolumeId: "vol-0dr00000000000001",
      InstanceId: "i-0web",
      Device: "/dev/sdf",
    });
    const filters = ec2.commandCalls(DescribeInstancesCommand)[0]?.args[0].input.Filters;
    expect(filters).toEqual(
      expect.arrayContaining([
        { Name: "tag:role", Values: ["web"] },
        { Name: `tag:${STACK_TAG}`, Values: [RUN.stackName] },
      ]),
    );
    expect(efs.commandCalls(CreateMountTargetCommand).map((c) => c.args[0].input)).toEqual([
      { FileSystemId: "fs-0dr0000000000001", SubnetId: "subnet-0dra", SecurityGroups: ["sg-0drdb"] },
      { FileSystemId: "fs-0dr0000000000001", SubnetId: "subnet-0drb", SecurityGroups: ["sg-0drdb"] },
    ]);

    // Act 2: the volume is attached, the mount targets are available
    world.volume.attachment = { InstanceId: "i-0web", State: "attached" };
    for (const mt of world.mountTargets) mt.LifeCycleState = "available";
    const second = await integrate(event(), deps(at(2150)));
    // Assess 2: file system id written, mount command sent to the stack's instances
    expect(second).toMatchObject({ done: 2, pending: 1, allDone: false });
    expect(world.parameters.get(`${PREFIX}/shop/efs/id`)).toBe("fs-0dr0000000000001");
    const send = ssm.commandCalls(SendCommandCommand)[0]?.args[0].input;
    expect(send?.InstanceIds).toEqual(["i-0web"]);
    expect(send?.Parameters?.commands?.[0]).toContain(
      "mount -t efs -o tls fs-0dr0000000000001:/ /mnt/shared",
    );
    expect(send?.Parameters?.commands?.[0]).toMatch(/^mkdir -p \/mnt\/shared && /);
    expect(efs.commandCalls(CreateMountTargetCommand)).toHaveLength(2);

    // Act 3: the command succeeded
    world.commandStatus = "Success";
    const third = await integrate(event(), deps(at(2200)));
    // Assess 3
    expect(third).toMatchObject({ done: 3, pending: 0, allDone: true, completedAt: at(2200).toISOString() });
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(1);
    expect(ec2.commandCalls(AttachVolumeCommand)).toHaveLength(1);
    const doc = savedDocument();
    expect(doc.resources.find((r) => r.name === "shared-files")).toMatchObject({
      status: "DONE",
      restoredArn: RESTORED.sharedFiles,
      commandIds: ["cmd-1"],
      instanceIds: ["i-0web"],
      parameters: [`${PREFIX}/shop/efs/id`],
      startedAt: at(2116).toISOString(),
      integratedAt: at(2200).toISOString(),
    });
    expect(doc.resources.find((r) => r.name === "web-data")).toMatchObject({
      status: "DONE",
      instanceIds: ["i-0web"],
    });
  });

  it("does not start a resource before everything it depends on is DONE", async () => {
    // Prepare
    world.dbStatus = "modifying-not-ready";
    // Act
    const progress = await integrate(event(), deps());
    // Assess
    expect(progress.done).toBe(0);
    expect(efs.commandCalls(DescribeFileSystemsCommand)).toHaveLength(0);
    expect(savedDocument().resources.find((r) => r.name === "shared-files")?.status).toBe("PENDING");
    expect(savedDocument().resources.find((r) => r.name === "orders-db")?.status).toBe("IN_PROGRESS");
  });

  it("adds an instance to a restored Aurora cluster and writes the cluster endpoint once it is available", async () => {
    // Prepare
    const clusterArn = "arn:aws:rds:us-west-2:111122223333:cluster:ledger-3b5a1c";
    s3.putConfig(
      appConfigInput({
        resources: [
          {
            name: "ledger",
            type: "aurora",
            sourceArn: "arn:aws:rds:us-east-1:111122223333:cluster:ledger",
            integrate: { ssmParameter: "/shop/ledger/endpoint" },
          },
        ],
      }),
    );
    s3.putJson(
      `${RUN.artifactsPrefix}plan.json`,
      planDocument([
        planned({ name: "ledger", type: "aurora", metadata: { dbinstanceclass: "db.r6g.xlarge" } }),
      ]),
    );
    s3.putJson(
      `${RUN.artifactsPrefix}jobs.json`,
      jobsDocument([job({ name: "ledger", type: "aurora", createdResourceArn: clusterArn })]),
    );
    let members: { DBInstanceIdentifier: string }[] = [];
    let instanceStatus = "creating";
    rds.on(DescribeDBClustersCommand).callsFake(() => ({
      DBClusters: [
        {
          DBClusterIdentifier: "ledger-3b5a1c",
          DBClusterArn: clusterArn,
          Status: "available",
          Engine: "aurora-postgresql",
          Endpoint: "ledger-3b5a1c.cluster-abc.us-west-2.rds.amazonaws.com",
          Port: 5432,
          DBClusterMembers: members,
        },
      ],
    }));
    type Input = { DBInstanceIdentifier?: string; Filters?: { Values?: string[] }[] };
    rds.on(DescribeDBInstancesCommand).callsFake((input: Input) => {
      // A filtered describe of ids that do not exist answers an empty list; by identifier, NotFound.
      if (members.length === 0 && input.DBInstanceIdentifier === undefined) return { DBInstances: [] };
      if (members.length === 0)
        throw awsError("DBInstanceNotFound", `DBInstance ${input.DBInstanceIdentifier} not found.`, 404);
      return {
        DBInstances: [
          {
            DBInstanceIdentifier: input.DBInstanceIdentifier ?? input.Filters?.[0]?.Values?.[0],
            DBInstanceArn: "arn:i1",
            DBInstanceStatus: instanceStatus,
          },
        ],
      };
    });
    rds.on(CreateDBInstanceCommand).callsFake((input: { DBInstanceIdentifier: string }) => {
      members = [{ DBInstanceIdentifier: input.DBInstanceIdentifier }];
      return {
        DBInstance: { DBInstanceIdentifier: input.DBInstanceIdentifier, DBInstanceStatus: "creating" },
      };
    });
    // Act
    const first = await integrate(event(), deps(at(2116)));
    const second = await integrate(event(), deps(at(2400)));
    instanceStatus = "available";
    const third = await integrate(event(), deps(at(2800)));
    // Assess
    expect(first.allDone).toBe(false);
    expect(second.allDone).toBe(false);
    expect(third.allDone).toBe(true);
    expect(rds.commandCalls(CreateDBInstanceCommand)).toHaveLength(1);
    expect(rds.commandCalls(CreateDBInstanceCommand)[0]?.args[0].input).toMatchObject({
      DBInstanceIdentifier: "ledger-3b5a1c-i1",
      DBClusterIdentifier: "ledger-3b5a1c",
      DBInstanceClass: "db.r6g.xlarge",
      Engine: "aurora-postgresql",
    });
    expect(world.parameters.get(`${PREFIX}/shop/ledger/endpoint`)).toBe(
      "ledger-3b5a1c.cluster-abc.us-west-2.rds.amazonaws.com:5432",
    );
  });

  it("overwrites the production parameter (no prefix) in a failover", async () => {
    // Prepare
    const run = runContext({
      mode: "failover",
      parameterPrefix: "",
      stackName: "shop-dr",
      name: "failover-shop-x",
    });
    world.parameters.set("/shop/db/endpoint", "primary.us-east-1.rds.amazonaws.com:5432");
    s3.putJson(`${run.artifactsPrefix}plan.json`, planDocument());
    s3.putJson(`${run.artifactsPrefix}jobs.json`, jobsDocument());
    // Act
    await integrate(event(run), deps());
    // Assess
    expect(world.parameters.get("/shop/db/endpoint")).toBe(
      "orders-db-3b5a1c.abc.us-west-2.rds.amazonaws.com:5432",
    );
    expect(ssm.commandCalls(PutParameterCommand)[0]?.args[0].input).toMatchObject({
      Name: "/shop/db/endpoint",
      Overwrite: true,
    });
  });

  it("accepts a drill parameter that exists with our value (a retried tick)", async () => {
    // Prepare
    world.parameters.set(
      `${PREFIX}/shop/db/endpoint`,
      "orders-db-3b5a1c.abc.us-west-2.rds.amazonaws.com:5432",
    );
    // Act
    const progress = await integrate(event(), deps());
    // Assess
    expect(progress.done).toBe(1);
    expect(savedDocument().resources[0]?.parameters).toEqual([`${PREFIX}/shop/db/endpoint`]);
  });

  it("refuses a drill parameter that exists with another value", async () => {
    // Prepare
    world.parameters.set(`${PREFIX}/shop/db/endpoint`, "someone-else:5432");
    // Act
    const err = await integrate(event(), deps()).catch((e: unknown) => e);
    // Assess
    expect(err).toMatchObject({ name: "IntegrationFailed" });
    expect((err as Error).message).toContain("orders-db (rds): SSM parameter");
    expect((err as Error).message).toContain("exists with another value (someone-else:5432)");
  });

  it("fails with IntegrationFailed naming the resource when the mount command fails", async () => {
    // Prepare
    world.volume = { state: "in-use", attachment: { InstanceId: "i-0web", State: "attached" } };
    world.mountTargets = [{ MountTargetId: "fsmt-a", SubnetId: "subnet-0dra", LifeCycleState: "available" }];
    await integrate(event(), deps()); // sends the command (one mount target per AZ: creates the one for 2b)
    for (const mt of world.mountTargets) mt.LifeCycleState = "available";
    await integrate(event(), deps());
    world.commandStatus = "Failed";
    // Act
    const err = await integrate(event(), deps()).catch((e: unknown) => e);
    // Assess
    expect(err).toMatchObject({ name: "IntegrationFailed" });
    expect((err as Error).message).toBe(
      "shared-files (efs): mount command cmd-1 Failed on i-0web: mount.nfs4: access denied by server",
    );
    expect(efs.commandCalls(CreateMountTargetCommand).map((c) => c.args[0].input.SubnetId)).toEqual([
      "subnet-0drb",
    ]);
    expect(savedDocument().resources.find((r) => r.name === "orders-db")?.status).toBe("DONE");
  });

  it("waits for the instances to become SSM managed instances before it sends the mount command", async () => {
    // Prepare: everything ready but the instance's SSM Agent, launched at t=2000 s
    world.volume = { state: "in-use", attachment: { InstanceId: "i-0web", State: "attached" } };
    world.mountTargets = [
      { MountTargetId: "fsmt-a", SubnetId: "subnet-0dra", LifeCycleState: "available" },
      { MountTargetId: "fsmt-b", SubnetId: "subnet-0drb", LifeCycleState: "available" },
    ];
    world.managed.clear();
    for (const i of world.instances) Object.assign(i, { LaunchTime: at(2000) });

    // Act 1: not registered yet
    const first = await integrate(event(), deps(at(2100)));
    // Assess 1: waiting, no command sent, the record says why
    expect(first).toMatchObject({ done: 2, pending: 1, allDone: false });
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(0);
    expect(ssm.commandCalls(DescribeInstanceInformationCommand)[0]?.args[0].input).toMatchObject({
      Filters: [{ Key: "InstanceIds", Values: ["i-0web"] }],
    });

    // Act 2: registered
    world.managed.set("i-0web", "Online");
    const second = await integrate(event(), deps(at(2250)));
    // Assess 2: the command goes out once
    expect(second.pending).toBe(1);
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(1);
    expect(savedDocument().resources.find((r) => r.name === "shared-files")).toMatchObject({
      commandIds: ["cmd-1"],
      instanceIds: ["i-0web"],
    });
  });

  it("waits when SendCommand still answers InvalidInstanceId for an instance listed Online", async () => {
    // Prepare: DescribeInstanceInformation says Online, Run Command does not accept it yet
    world.volume = { state: "in-use", attachment: { InstanceId: "i-0web", State: "attached" } };
    world.mountTargets = [
      { MountTargetId: "fsmt-a", SubnetId: "subnet-0dra", LifeCycleState: "available" },
      { MountTargetId: "fsmt-b", SubnetId: "subnet-0drb", LifeCycleState: "available" },
    ];
    ssm
      .on(SendCommandCommand)
      .rejectsOnce(
        awsError("InvalidInstanceId", "Instances [[i-0web]] not in a valid state for account 111122223333"),
      )
      .resolves({ Command: { CommandId: "cmd-2" } });
    // Act
    const first = await integrate(event(), deps(at(2100)));
    const second = await integrate(event(), deps(at(2130)));
    // Assess
    expect(first.pending).toBe(1);
    expect(second.pending).toBe(1);
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(2);
    expect(savedDocument().resources.find((r) => r.name === "shared-files")?.commandIds).toEqual(["cmd-2"]);
  });

  it("fails with InstancesNotManaged once an instance is still not registered 15 minutes after launch", async () => {
    // Prepare
    world.volume = { state: "in-use", attachment: { InstanceId: "i-0web", State: "attached" } };
    world.mountTargets = [
      { MountTargetId: "fsmt-a", SubnetId: "subnet-0dra", LifeCycleState: "available" },
      { MountTargetId: "fsmt-b", SubnetId: "subnet-0drb", LifeCycleState: "available" },
    ];
    world.managed.clear();
    for (const i of world.instances) Object.assign(i, { LaunchTime: at(0) });
    // Act
    const inTime = await integrate(event(), deps(at(900)));
    const err = await integrate(event(), deps(at(901))).catch((e: unknown) => e);
    // Assess
    expect(inTime.pending).toBe(1);
    expect(err).toMatchObject({ name: "InstancesNotManaged" });
    expect((err as Error).message).toMatch(
      /^shared-files \(efs\): cannot mount: instance\(s\) of stack .* are not Systems Manager managed instances 15 minutes after launch: i-0web \(not registered\)/,
    );
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(0);
  });

  it("sends one mount command per 50 instances", async () => {
    // Prepare
    world.volume = { state: "in-use", attachment: { InstanceId: "i-0web", State: "attached" } };
    world.mountTargets = [
      { MountTargetId: "fsmt-a", SubnetId: "subnet-0dra", LifeCycleState: "available" },
      { MountTargetId: "fsmt-b", SubnetId: "subnet-0drb", LifeCycleState: "available" },
    ];
    const ids = Array.from({ length: 120 }, (_, i) => `i-0web${String(i).padStart(3, "0")}`);
    world.instances = ids.map((InstanceId) => ({
      InstanceId,
      State: { Name: "running" },
      Placement: { AvailabilityZone: "us-west-2a" },
      Tags: tags({ role: "web", [STACK_TAG]: RUN.stackName }),
    }));
    for (const id of ids) world.managed.set(id, "Online");
    let n = 0;
    ssm.on(SendCommandCommand).callsFake(() => ({ Command: { CommandId: `cmd-${++n}` } }));
    // Act
    await integrate(event(), deps(at(2100)));
    // Assess
    const sent = ssm.commandCalls(SendCommandCommand).map((c) => c.args[0].input.InstanceIds?.length);
    expect(sent).toEqual([50, 50, 20]);
    expect(
      ssm
        .commandCalls(DescribeInstanceInformationCommand)
        .map((c) => c.args[0].input.Filters?.[0]?.Values?.length),
    ).toEqual([100, 20]);
    expect(savedDocument().resources.find((r) => r.name === "shared-files")?.commandIds).toEqual([
      "cmd-1",
      "cmd-2",
      "cmd-3",
    ]);
  });

  it("turns an AWS refusal into IntegrationFailed naming the resource", async () => {
    // Prepare
    ec2
      .on(AttachVolumeCommand)
      .rejects(awsError("InvalidVolume.ZoneMismatch", "The volume is not in the same availability zone"));
    // Act
    const err = await integrate(event(), deps()).catch((e: unknown) => e);
    // Assess
    expect(err).toMatchObject({ name: "IntegrationFailed" });
    expect((err as Error).message).toMatch(
      /^web-data \(ebs\): ec2:AttachVolume failed .*InvalidVolume\.ZoneMismatch/,
    );
  });

  it("fails when the stack has no instance with the attach tag", async () => {
    // Prepare
    world.instances = [];
    // Act
    const err = await integrate(event(), deps()).catch((e: unknown) => e);
    // Assess
    expect(err).toMatchObject({ name: "IntegrationFailed" });
    expect((err as Error).message).toContain(
      `web-data (ebs): stack ${RUN.stackName} has no instance tagged role=web`,
    );
  });

  it("gives up on a resource still pending two hours after it started", async () => {
    // Prepare
    world.dbStatus = "modifying-not-ready";
    await integrate(event(), deps(at(2116)));
    // Act
    const err = await integrate(event(), deps(at(2116 + 7201))).catch((e: unknown) => e);
    // Assess
    expect(err).toMatchObject({ name: "IntegrationFailed" });
    expect((err as Error).message).toContain("orders-db (rds): not integrated 120 minutes after it started");
  });

  it("fails when a resource's restore job did not complete", async () => {
    // Prepare
    s3.putJson(
      `${RUN.artifactsPrefix}jobs.json`,
      jobsDocument([job({ name: "orders-db", type: "rds", status: "FAILED" })]),
    );
    // Act
    const err = await integrate(event(), deps()).catch((e: unknown) => e);
    // Assess
    expect((err as Error).message).toBe(
      "orders-db (rds): restore job job-orders-db is FAILED; nothing to integrate",
    );
  });
});

describe("integrate handler", () => {
  it("rejects a bad event with InputInvalid", async () => {
    // Prepare
    vi.stubEnv("ARTIFACTS_BUCKET", "drctl-artifacts-test");
    // Act
    const err = await handler({ run: { name: 1 } }, localContext("integrate")).catch((e: unknown) => e);
    // Assess
    expect(err).toMatchObject({ name: "InputInvalid" });
    expect((err as Error).message).toContain("integrate input: run.name");
    vi.unstubAllEnvs();
  });
});
