import { BackupClient, DescribeRestoreJobCommand, ListRestoreJobsCommand } from "@aws-sdk/client-backup";
import {
  CloudFormationClient,
  DeleteStackCommand,
  DescribeStacksCommand,
} from "@aws-sdk/client-cloudformation";
import {
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  TagResourceCommand as DynamoTagResourceCommand,
  ListTagsOfResourceCommand,
} from "@aws-sdk/client-dynamodb";
import {
  CreateTagsCommand,
  DeleteVolumeCommand,
  DescribeInstancesCommand,
  DescribeVolumesCommand,
  DetachVolumeCommand,
  EC2Client,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import {
  DeleteFileSystemCommand,
  DeleteMountTargetCommand,
  DescribeFileSystemsCommand,
  DescribeMountTargetsCommand,
  EFSClient,
  TagResourceCommand as EfsTagResourceCommand,
} from "@aws-sdk/client-efs";
import {
  AddTagsToResourceCommand,
  DeleteDBClusterCommand,
  DeleteDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  RDSClient,
} from "@aws-sdk/client-rds";
import { DeleteParameterCommand, GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { type CleanupDeps, cleanup } from "../../../functions/cleanup/cleanup.js";
import { handler } from "../../../functions/cleanup/handler.js";
import { backupApi } from "../../../functions/shared/aws/backup.js";
import { resetApis } from "../../../functions/shared/aws/clients.js";
import { cloudFormationApi } from "../../../functions/shared/aws/cloudformation.js";
import { dynamoDbApi } from "../../../functions/shared/aws/dynamodb.js";
import { ec2Api } from "../../../functions/shared/aws/ec2.js";
import { efsApi } from "../../../functions/shared/aws/efs.js";
import { rdsApi } from "../../../functions/shared/aws/rds.js";
import { ssmApi } from "../../../functions/shared/aws/ssm.js";
import { useClock } from "../../../functions/shared/clock.js";
import { localContext } from "../../../functions/shared/middleware.js";
import { CleanupDocument } from "../../../functions/shared/types.js";
import { type MemoryS3, memoryS3, runContext } from "../../support/fixtures.js";
import {
  at,
  awsError,
  integrationDocument,
  iso,
  job,
  jobsDocument,
  planDocument,
  RESTORED,
} from "../../support/fixtures-report.js";

const RUN = runContext();
const PREFIX = RUN.parameterPrefix;
const STACK_TAG = "aws:cloudformation:stack-name";
const OURS = { "drctl:execution": RUN.name, "drctl:mode": "drill", "drctl:app": "shop" };
type Tags = Record<string, string>;
const tagList = (t: Tags) => Object.entries(t).map(([Key, Value]) => ({ Key, Value }));

/** A small AWS region: what cleanup sees and changes. `settle()` lets deletions finish. */
interface World {
  jobs: Map<string, { Status: string; CreatedResourceArn?: string }>;
  dbs: Map<string, { arn: string; status: string; tags: Tags; clusterId?: string }>;
  clusters: Map<string, { arn: string; status: string; members: string[]; tags: Tags }>;
  volumes: Map<string, { state: string; attachedTo?: string; attachState?: string; tags: Tags }>;
  instances: Map<string, { state: string; tags: Tags }>;
  fileSystems: Map<string, { arn: string; state: string; tags: Tags }>;
  mountTargets: Map<string, { fs: string; state: string }>;
  tables: Map<string, { arn: string; status: string; tags: Tags }>;
  parameters: Map<string, string>;
  stack?: { status: string; tags: Tags } | undefined;
  /** Every tagging and deleting call that AWS accepted, in order ("tag <id>", "delete <id>"). */
  log: string[];
}

let world: World;
let s3: MemoryS3;
const backup = mockClient(new BackupClient({ region: "us-west-2" }));
const rds = mockClient(new RDSClient({ region: "us-west-2" }));
const ec2 = mockClient(new EC2Client({ region: "us-west-2" }));
const efs = mockClient(new EFSClient({ region: "us-west-2" }));
const ddb = mockClient(new DynamoDBClient({ region: "us-west-2" }));
const ssm = mockClient(new SSMClient({ region: "us-west-2" }));
const cfn = mockClient(new CloudFormationClient({ region: "us-west-2" }));
const STACK_ID = `arn:aws:cloudformation:us-west-2:111122223333:stack/${RUN.stackName}/1`;

function settle(): void {
  for (const [id, db] of world.dbs) if (db.status === "deleting") world.dbs.delete(id);
  for (const [id, c] of world.clusters) if (c.status === "deleting") world.clusters.delete(id);
  for (const c of world.clusters.values()) c.members = c.members.filter((m) => world.dbs.has(m));
  for (const [id, v] of world.volumes) {
    if (v.state === "deleting") world.volumes.delete(id);
    if (v.attachState === "detaching") world.volumes.set(id, { state: "available", tags: v.tags });
  }
  for (const i of world.instances.values()) if (i.state === "shutting-down") i.state = "terminated";
  for (const [id, mt] of world.mountTargets) if (mt.state === "deleting") world.mountTargets.delete(id);
  for (const [id, fs] of world.fileSystems) if (fs.state === "deleting") world.fileSystems.delete(id);
  for (const [id, t] of world.tables) if (t.status === "DELETING") world.tables.delete(id);
  if (world.stack?.status === "DELETE_IN_PROGRESS") world.stack.status = "DELETE_COMPLETE";
}

/**
 * The cleanup role's IAM (infra/permissions.ts), as AWS would apply it: deletes need
 * drctl:app=shop and drctl:mode=drill on the resource; tagging may add only drctl's keys, with this
 * app and mode, to a resource that has no other app or mode.
 */
function mayDelete(id: string, tags: Tags): void {
  if (tags["drctl:app"] !== "shop" || tags["drctl:mode"] !== "drill") {
    throw awsError("AccessDenied", `not authorized to delete ${id}: no identity-based policy allows it`, 403);
  }
  world.log.push(`delete ${id}`);
}
function tagged(id: string, tags: Tags, added: { Key?: string; Value?: string }[] = []): Tags {
  const request = Object.fromEntries(added.map((t) => [t.Key ?? "", t.Value ?? ""]));
  const ok =
    request["drctl:app"] === "shop" &&
    request["drctl:mode"] === "drill" &&
    Object.keys(request).every((k) => ["drctl:execution", "drctl:mode", "drctl:app"].includes(k)) &&
    (tags["drctl:app"] ?? "shop") === "shop" &&
    (tags["drctl:mode"] ?? "drill") === "drill";
  if (!ok) throw awsError("AccessDenied", `not authorized to tag ${id}`, 403);
  world.log.push(`tag ${id}`);
  return { ...tags, ...request };
}

/** EC2 filters: tag:KEY, and the id filter. */
function matches(
  id: string,
  tags: Tags,
  filters: { Name?: string; Values?: string[] }[] = [],
  idFilter: string,
) {
  return filters.every((f) => {
    const values = f.Values ?? [];
    if (f.Name === idFilter) return values.includes(id);
    if (f.Name?.startsWith("tag:")) return values.includes(tags[f.Name.slice(4)] ?? "\u0000");
    return true;
  });
}

function installWorld(): void {
  // The list answers nothing: every job is then described on its own.
  backup.on(ListRestoreJobsCommand).resolves({ RestoreJobs: [] });
  backup.on(DescribeRestoreJobCommand).callsFake((input: { RestoreJobId: string }) => {
    const j = world.jobs.get(input.RestoreJobId);
    if (!j) throw awsError("ResourceNotFoundException", "no such job");
    return { RestoreJobId: input.RestoreJobId, CreationDate: at(10), ...j };
  });
  const dbOut = (id: string) => {
    const d = world.dbs.get(id);
    return (
      d && {
        DBInstanceIdentifier: id,
        DBInstanceArn: d.arn,
        DBInstanceStatus: d.status,
        TagList: tagList(d.tags),
        DBClusterIdentifier: d.clusterId,
      }
    );
  };
  rds.on(DescribeDBInstancesCommand).callsFake((input: { DBInstanceIdentifier?: string }) => {
    if (!input.DBInstanceIdentifier) return { DBInstances: [...world.dbs.keys()].map(dbOut) };
    const d = dbOut(input.DBInstanceIdentifier);
    if (!d) throw awsError("DBInstanceNotFound", `DBInstance ${input.DBInstanceIdentifier} not found.`, 404);
    return { DBInstances: [d] };
  });
  rds.on(DeleteDBInstanceCommand).callsFake((input: { DBInstanceIdentifier: string }) => {
    const d = world.dbs.get(input.DBInstanceIdentifier);
    if (d) mayDelete(input.DBInstanceIdentifier, d.tags);
    if (d) d.status = "deleting";
    return {};
  });
  rds
    .on(AddTagsToResourceCommand)
    .callsFake((input: { ResourceName: string; Tags?: { Key?: string; Value?: string }[] }) => {
      const target = [...world.dbs.values(), ...world.clusters.values()].find(
        (r) => r.arn === input.ResourceName,
      );
      if (!target) throw awsError("DBInstanceNotFound", `${input.ResourceName} not found`, 404);
      target.tags = tagged(input.ResourceName, target.tags, input.Tags);
      return {};
    });
  const clusterOut = (id: string) => {
    const c = world.clusters.get(id);
    return (
      c && {
        DBClusterIdentifier: id,
        DBClusterArn: c.arn,
        Status: c.status,
        Engine: "aurora-postgresql",
        DBClusterMembers: c.members.map((m) => ({ DBInstanceIdentifier: m })),
        TagList: tagList(c.tags),
      }
    );
  };
  rds.on(DescribeDBClustersCommand).callsFake((input: { DBClusterIdentifier?: string }) => {
    if (!input.DBClusterIdentifier) return { DBClusters: [...world.clusters.keys()].map(clusterOut) };
    const c = clusterOut(input.DBClusterIdentifier);
    if (!c) throw awsError("DBClusterNotFoundFault", "not found", 404);
    return { DBClusters: [c] };
  });
  rds.on(DeleteDBClusterCommand).callsFake((input: { DBClusterIdentifier: string }) => {
    const c = world.clusters.get(input.DBClusterIdentifier);
    if (c?.members.length) throw awsError("InvalidDBClusterStateFault", "Cluster has instances");
    if (c) mayDelete(input.DBClusterIdentifier, c.tags);
    if (c) c.status = "deleting";
    return {};
  });
  ec2.on(DescribeVolumesCommand).callsFake((input: { Filters?: { Name?: string; Values?: string[] }[] }) => ({
    Volumes: [...world.volumes]
      .filter(([id, v]) => matches(id, v.tags, input.Filters, "volume-id"))
      .map(([id, v]) => ({
        VolumeId: id,
        State: v.state,
        AvailabilityZone: "us-west-2a",
        Tags: tagList(v.tags),
        Attachments: v.attachedTo
          ? [{ InstanceId: v.attachedTo, State: v.attachState, Device: "/dev/sdf" }]
          : [],
      })),
  }));
  ec2.on(DetachVolumeCommand).callsFake((input: { VolumeId: string }) => {
    const v = world.volumes.get(input.VolumeId);
    if (v) mayDelete(`detach ${input.VolumeId}`, v.tags);
    if (v) v.attachState = "detaching";
    return {};
  });
  ec2.on(DeleteVolumeCommand).callsFake((input: { VolumeId: string }) => {
    const v = world.volumes.get(input.VolumeId);
    if (v?.attachedTo) throw awsError("VolumeInUse", "Volume is in use");
    if (v) mayDelete(input.VolumeId, v.tags);
    if (v) v.state = "deleting";
    return {};
  });
  ec2
    .on(CreateTagsCommand)
    .callsFake((input: { Resources: string[]; Tags?: { Key?: string; Value?: string }[] }) => {
      for (const id of input.Resources) {
        const target = world.volumes.get(id) ?? world.instances.get(id);
        if (!target) throw awsError("InvalidID", `The ID '${id}' is not valid`);
        target.tags = tagged(id, target.tags, input.Tags);
      }
      return {};
    });
  ec2
    .on(DescribeInstancesCommand)
    .callsFake((input: { Filters?: { Name?: string; Values?: string[] }[] }) => ({
      Reservations: [
        {
          Instances: [...world.instances]
            .filter(([id, i]) => matches(id, i.tags, input.Filters, "instance-id"))
            .map(([id, i]) => ({ InstanceId: id, State: { Name: i.state }, Tags: tagList(i.tags) })),
        },
      ],
    }));
  ec2.on(TerminateInstancesCommand).callsFake((input: { InstanceIds: string[] }) => {
    for (const id of input.InstanceIds) {
      const i = world.instances.get(id);
      if (i) mayDelete(id, i.tags);
      if (i) i.state = "shutting-down";
    }
    return {};
  });
  const fsOut = (id: string) => {
    const f = world.fileSystems.get(id);
    return (
      f && {
        FileSystemId: id,
        FileSystemArn: f.arn,
        CreationToken: id,
        LifeCycleState: f.state,
        Tags: tagList(f.tags),
      }
    );
  };
  efs.on(DescribeFileSystemsCommand).callsFake((input: { FileSystemId?: string }) => {
    if (!input.FileSystemId) return { FileSystems: [...world.fileSystems.keys()].map(fsOut) };
    const f = fsOut(input.FileSystemId);
    if (!f) throw awsError("FileSystemNotFound", "File system does not exist.", 404);
    return { FileSystems: [f] };
  });
  efs.on(DescribeMountTargetsCommand).callsFake((input: { FileSystemId: string }) => ({
    MountTargets: [...world.mountTargets]
      .filter(([, mt]) => mt.fs === input.FileSystemId)
      .map(([id, mt]) => ({
        MountTargetId: id,
        FileSystemId: mt.fs,
        SubnetId: "subnet-0dra",
        LifeCycleState: mt.state,
      })),
  }));
  efs.on(DeleteMountTargetCommand).callsFake((input: { MountTargetId: string }) => {
    const mt = world.mountTargets.get(input.MountTargetId);
    if (mt) mayDelete(input.MountTargetId, world.fileSystems.get(mt.fs)?.tags ?? {});
    if (mt) mt.state = "deleting";
    return {};
  });
  efs.on(DeleteFileSystemCommand).callsFake((input: { FileSystemId: string }) => {
    if ([...world.mountTargets.values()].some((m) => m.fs === input.FileSystemId)) {
      throw awsError("FileSystemInUse", "File system has mount targets");
    }
    const f = world.fileSystems.get(input.FileSystemId);
    if (f) mayDelete(input.FileSystemId, f.tags);
    if (f) f.state = "deleting";
    return {};
  });
  efs
    .on(EfsTagResourceCommand)
    .callsFake((input: { ResourceId: string; Tags?: { Key?: string; Value?: string }[] }) => {
      const f = world.fileSystems.get(input.ResourceId);
      if (!f) throw awsError("FileSystemNotFound", "File system does not exist.", 404);
      f.tags = tagged(input.ResourceId, f.tags, input.Tags);
      return {};
    });
  ddb.on(DescribeTableCommand).callsFake((input: { TableName: string }) => {
    const t = world.tables.get(input.TableName);
    if (!t) throw awsError("ResourceNotFoundException", "Requested resource not found");
    return { Table: { TableName: input.TableName, TableArn: t.arn, TableStatus: t.status } };
  });
  ddb.on(DeleteTableCommand).callsFake((input: { TableName: string }) => {
    const t = world.tables.get(input.TableName);
    if (t) mayDelete(input.TableName, t.tags);
    if (t) t.status = "DELETING";
    return {};
  });
  const tableByArn = (arn: string) => {
    const t = [...world.tables.values()].find((x) => x.arn === arn);
    if (!t) throw awsError("ResourceNotFoundException", "Requested resource not found");
    return t;
  };
  ddb
    .on(ListTagsOfResourceCommand)
    .callsFake((input: { ResourceArn: string }) => ({ Tags: tagList(tableByArn(input.ResourceArn).tags) }));
  ddb
    .on(DynamoTagResourceCommand)
    .callsFake((input: { ResourceArn: string; Tags?: { Key?: string; Value?: string }[] }) => {
      const t = tableByArn(input.ResourceArn);
      t.tags = tagged(input.ResourceArn, t.tags, input.Tags);
      return {};
    });
  ssm.on(GetParameterCommand).callsFake((input: { Name: string }) => {
    const value = world.parameters.get(input.Name);
    if (value === undefined) throw awsError("ParameterNotFound", "not found");
    return { Parameter: { Name: input.Name, Value: value } };
  });
  ssm.on(DeleteParameterCommand).callsFake((input: { Name: string }) => {
    if (!world.parameters.delete(input.Name)) throw awsError("ParameterNotFound", "not found");
    return {};
  });
  cfn.on(DescribeStacksCommand).callsFake(() => {
    if (!world.stack || world.stack.status === "DELETE_COMPLETE") {
      throw awsError("ValidationError", `Stack with id ${RUN.stackName} does not exist`);
    }
    return {
      Stacks: [
        {
          StackName: RUN.stackName,
          StackId: STACK_ID,
          StackStatus: world.stack.status,
          CreationTime: at(3),
          Tags: tagList(world.stack.tags),
        },
      ],
    };
  });
  cfn.on(DeleteStackCommand).callsFake(() => {
    if (world.stack) world.stack.status = "DELETE_IN_PROGRESS";
    return {};
  });
}

const deps = (): CleanupDeps => ({
  store: s3.store,
  backup: backupApi(backup as unknown as BackupClient),
  rds: rdsApi(rds as unknown as RDSClient),
  ec2: ec2Api(ec2 as unknown as EC2Client),
  efs: efsApi(efs as unknown as EFSClient),
  dynamodb: dynamoDbApi(ddb as unknown as DynamoDBClient),
  ssm: ssmApi(ssm as unknown as SSMClient),
  cloudformation: cloudFormationApi(cfn as unknown as CloudFormationClient),
  now: () => at(4000),
});
const cleanupDocument = () => CleanupDocument.parse(s3.getJson(`${RUN.artifactsPrefix}cleanup.json`));

beforeEach(() => {
  resetApis(); // also forgets what earlier tests tagged (fresh-tags.ts)
  for (const m of [backup, rds, ec2, efs, ddb, ssm, cfn]) m.reset();
  s3 = memoryS3();
  s3.putConfig();
  s3.putJson(`${RUN.artifactsPrefix}plan.json`, planDocument());
  world = {
    jobs: new Map(),
    dbs: new Map(),
    clusters: new Map(),
    volumes: new Map(),
    instances: new Map([
      ["i-0web", { state: "running", tags: { ...OURS, [STACK_TAG]: RUN.stackName, role: "web" } }],
    ]),
    fileSystems: new Map(),
    mountTargets: new Map(),
    tables: new Map(),
    parameters: new Map(),
    stack: { status: "CREATE_COMPLETE", tags: OURS },
    log: [],
  };
  installWorld();
});

describe("cleanup", () => {
  it("waits for a running restore, deletes everything in order, and is done with nothing left", async () => {
    // Prepare: a drill that failed mid-way: orders-db still restoring, web-data attached, shared-files mounted
    s3.putJson(
      `${RUN.artifactsPrefix}jobs.json`,
      jobsDocument([
        job({ name: "orders-db", type: "rds", status: "RUNNING", completedAt: undefined as never }),
        job({ name: "web-data", type: "ebs", createdResourceArn: RESTORED.webData }),
        job({ name: "shared-files", type: "efs", createdResourceArn: RESTORED.sharedFiles }),
      ]),
    );
    s3.putJson(`${RUN.artifactsPrefix}integration.json`, integrationDocument());
    world.jobs.set("job-orders-db", { Status: "RUNNING" });
    world.jobs.set("job-web-data", { Status: "COMPLETED", CreatedResourceArn: RESTORED.webData });
    world.jobs.set("job-shared-files", { Status: "COMPLETED", CreatedResourceArn: RESTORED.sharedFiles });
    world.volumes.set("vol-0dr00000000000001", {
      state: "in-use",
      attachedTo: "i-0web",
      attachState: "attached",
      tags: OURS,
    });
    world.volumes.set("vol-0root", {
      state: "in-use",
      attachedTo: "i-0web",
      attachState: "attached",
      tags: { ...OURS, [STACK_TAG]: RUN.stackName },
    });
    world.fileSystems.set("fs-0dr0000000000001", {
      arn: RESTORED.sharedFiles,
      state: "available",
      tags: OURS,
    });
    world.mountTargets.set("fsmt-a", { fs: "fs-0dr0000000000001", state: "available" });
    world.parameters.set(`${PREFIX}/shop/efs/id`, "fs-0dr0000000000001");
    world.parameters.set("/shop/efs/id", "fs-production");

    // Act 1
    const first = await cleanup({ run: RUN }, deps());
    // Assess 1: detaching, mount targets going, restore pending, the stack waits
    expect(first).toMatchObject({ done: false, rounds: 1, leftovers: 0 });
    expect(cleanupDocument().pending).toEqual(
      expect.arrayContaining([
        "restore job job-orders-db (orders-db) RUNNING",
        "volume vol-0dr00000000000001 detaching from i-0web",
        `stack ${RUN.stackName} waits for volumes to detach and EFS mount targets`,
      ]),
    );
    expect(ec2.commandCalls(DetachVolumeCommand).map((c) => c.args[0].input.VolumeId)).toEqual([
      "vol-0dr00000000000001",
    ]);
    expect(efs.commandCalls(DeleteMountTargetCommand)).toHaveLength(1);
    expect(world.parameters.has(`${PREFIX}/shop/efs/id`)).toBe(false);
    expect(world.parameters.get("/shop/efs/id")).toBe("fs-production");
    expect(cfn.commandCalls(DeleteStackCommand)).toHaveLength(0);

    // Act 2
    settle();
    const second = await cleanup({ run: RUN }, deps());
    // Assess 2: volume and file system deleted, stack deleting, restore still running
    expect(second.done).toBe(false);
    expect(ec2.commandCalls(DeleteVolumeCommand).map((c) => c.args[0].input.VolumeId)).toEqual([
      "vol-0dr00000000000001",
    ]);
    expect(efs.commandCalls(DeleteFileSystemCommand)).toHaveLength(1);
    expect(cfn.commandCalls(DeleteStackCommand)[0]?.args[0].input).toMatchObject({ StackName: STACK_ID });
    expect(rds.commandCalls(DeleteDBInstanceCommand)).toHaveLength(0);

    // Act 3: the restore finished after the failure, so integrate never tagged the database
    settle();
    world.jobs.set("job-orders-db", { Status: "COMPLETED", CreatedResourceArn: RESTORED.ordersDb });
    world.dbs.set("orders-db-3b5a1c", { arn: RESTORED.ordersDb, status: "available", tags: {} });
    const third = await cleanup({ run: RUN }, deps());
    const fourth = await cleanup({ run: RUN }, deps());
    settle();
    const fifth = await cleanup({ run: RUN }, deps());

    // Assess: tagged in one round, deleted in the next
    expect(third.done).toBe(false);
    expect(world.log.slice(-2)).toEqual([`tag ${RESTORED.ordersDb}`, "delete orders-db-3b5a1c"]);
    expect(fourth.done).toBe(false);
    expect(rds.commandCalls(DeleteDBInstanceCommand)[0]?.args[0].input).toMatchObject({
      DBInstanceIdentifier: "orders-db-3b5a1c",
      SkipFinalSnapshot: true,
    });
    expect(fifth).toMatchObject({ done: true, pending: 0, leftovers: 0, rounds: 5 });
    expect(cleanupDocument().deleted.sort()).toEqual(
      [
        RESTORED.ordersDb,
        RESTORED.webData,
        RESTORED.sharedFiles,
        `${RESTORED.sharedFiles} mount target fsmt-a`,
        `${PREFIX}/shop/efs/id`,
        STACK_ID,
      ].sort(),
    );
    expect(ec2.commandCalls(TerminateInstancesCommand)).toHaveLength(0);
    expect(world.volumes.has("vol-0root")).toBe(true); // the stack's own volume goes with the stack

    // Act 6: called again
    const deletes = () =>
      rds.commandCalls(DeleteDBInstanceCommand).length +
      ec2.commandCalls(DeleteVolumeCommand).length +
      cfn.commandCalls(DeleteStackCommand).length;
    const before = deletes();
    const again = await cleanup({ run: RUN }, deps());
    // Assess 6: idempotent
    expect(again).toMatchObject({ done: true, deleted: 6, leftovers: 0 });
    expect(deletes()).toBe(before);
  });

  it("tags untagged restored resources with the run's tags, then deletes them", async () => {
    // Prepare: the stack rolled back while restores ran, so Integrate never tagged what they restored
    const CARTS = "arn:aws:dynamodb:us-west-2:111122223333:table/carts-3b5a1c";
    s3.putJson(
      `${RUN.artifactsPrefix}jobs.json`,
      jobsDocument([
        job({ name: "orders-db", type: "rds", createdResourceArn: RESTORED.ordersDb }),
        job({ name: "web-data", type: "ebs", createdResourceArn: RESTORED.webData }),
        job({ name: "shared-files", type: "efs", createdResourceArn: RESTORED.sharedFiles }),
        job({ name: "carts", type: "dynamodb", createdResourceArn: CARTS }),
      ]),
    );
    world.jobs.set("job-orders-db", { Status: "COMPLETED", CreatedResourceArn: RESTORED.ordersDb });
    world.jobs.set("job-web-data", { Status: "COMPLETED", CreatedResourceArn: RESTORED.webData });
    world.jobs.set("job-shared-files", { Status: "COMPLETED", CreatedResourceArn: RESTORED.sharedFiles });
    world.jobs.set("job-carts", { Status: "COMPLETED", CreatedResourceArn: CARTS });
    world.dbs.set("orders-db-3b5a1c", { arn: RESTORED.ordersDb, status: "available", tags: {} });
    // AWS Backup copied the source volume's own tags, drctl:app among them
    world.volumes.set("vol-0dr00000000000001", {
      state: "available",
      tags: { "drctl:app": "shop", team: "web" },
    });
    world.fileSystems.set("fs-0dr0000000000001", { arn: RESTORED.sharedFiles, state: "available", tags: {} });
    world.tables.set("carts-3b5a1c", { arn: CARTS, status: "ACTIVE", tags: {} });
    world.stack = undefined;
    const drillTags = [
      { Key: "drctl:execution", Value: RUN.name },
      { Key: "drctl:mode", Value: "drill" },
      { Key: "drctl:app", Value: "shop" },
    ];

    // Act 1
    const first = await cleanup({ run: RUN }, deps());
    // Assess 1: every one tagged with exactly the run's tags, nothing deleted yet
    expect(first).toMatchObject({ done: false, deleted: 0, leftovers: 0, pending: 4 });
    expect(world.log.sort()).toEqual(
      [
        `tag ${RESTORED.ordersDb}`,
        "tag vol-0dr00000000000001",
        "tag fs-0dr0000000000001",
        `tag ${CARTS}`,
      ].sort(),
    );
    expect(rds.commandCalls(AddTagsToResourceCommand)[0]?.args[0].input).toEqual({
      ResourceName: RESTORED.ordersDb,
      Tags: drillTags,
    });
    expect(ec2.commandCalls(CreateTagsCommand)[0]?.args[0].input).toEqual({
      Resources: ["vol-0dr00000000000001"],
      Tags: drillTags,
    });
    expect(efs.commandCalls(EfsTagResourceCommand)[0]?.args[0].input).toEqual({
      ResourceId: "fs-0dr0000000000001",
      Tags: drillTags,
    });
    expect(ddb.commandCalls(DynamoTagResourceCommand)[0]?.args[0].input).toEqual({
      ResourceArn: CARTS,
      Tags: drillTags,
    });
    expect(world.volumes.get("vol-0dr00000000000001")?.tags).toEqual({ ...OURS, team: "web" });
    expect(cleanupDocument().pending).toContain(
      `${RESTORED.ordersDb} tagged drctl:execution, drctl:mode, drctl:app for deletion (found by restore job job-orders-db)`,
    );

    // Act 2
    world.log = [];
    const second = await cleanup({ run: RUN }, deps());
    settle();
    const third = await cleanup({ run: RUN }, deps());
    // Assess 2: deleted (the world refuses deletes of resources without the drill tags), tagged once
    expect(second.done).toBe(false);
    expect(world.log.sort()).toEqual(
      [
        "delete orders-db-3b5a1c",
        "delete vol-0dr00000000000001",
        "delete fs-0dr0000000000001",
        "delete carts-3b5a1c",
      ].sort(),
    );
    expect(third).toMatchObject({ done: true, leftovers: 0, pending: 0 });
    expect(cleanupDocument().deleted.sort()).toEqual(
      [RESTORED.ordersDb, RESTORED.webData, RESTORED.sharedFiles, CARTS].sort(),
    );
    const taggingCalls =
      rds.commandCalls(AddTagsToResourceCommand).length +
      ec2.commandCalls(CreateTagsCommand).length +
      efs.commandCalls(EfsTagResourceCommand).length +
      ddb.commandCalls(DynamoTagResourceCommand).length;
    expect(taggingCalls).toBe(4);
  });

  it("never re-tags a resource of a failover or of another run, and reports a refused tagging", async () => {
    // Prepare: found by the jobs document, but one is a failover's, one another drill's table,
    // and tagging the third is refused
    const CARTS = "arn:aws:dynamodb:us-west-2:111122223333:table/carts-3b5a1c";
    s3.putJson(
      `${RUN.artifactsPrefix}jobs.json`,
      jobsDocument([
        job({ name: "orders-db", type: "rds", createdResourceArn: RESTORED.ordersDb }),
        job({ name: "web-data", type: "ebs", createdResourceArn: RESTORED.webData }),
        job({ name: "carts", type: "dynamodb", createdResourceArn: CARTS }),
      ]),
    );
    world.jobs.set("job-orders-db", { Status: "COMPLETED", CreatedResourceArn: RESTORED.ordersDb });
    world.jobs.set("job-web-data", { Status: "COMPLETED", CreatedResourceArn: RESTORED.webData });
    world.jobs.set("job-carts", { Status: "COMPLETED", CreatedResourceArn: CARTS });
    world.volumes.set("vol-0dr00000000000001", {
      state: "available",
      tags: { "drctl:app": "shop", "drctl:mode": "failover" },
    });
    world.tables.set("carts-3b5a1c", {
      arn: CARTS,
      status: "ACTIVE",
      tags: { "drctl:execution": "drill-shop-other", "drctl:mode": "drill", "drctl:app": "shop" },
    });
    world.dbs.set("orders-db-3b5a1c", { arn: RESTORED.ordersDb, status: "available", tags: {} });
    rds.on(AddTagsToResourceCommand).rejects(awsError("AccessDenied", "not authorized to tag", 403));
    world.stack = undefined;
    // Act
    const err = await cleanup({ run: RUN }, deps()).catch((e: unknown) => e);
    // Assess
    expect(err).toMatchObject({ name: "CleanupIncomplete" });
    expect(cleanupDocument().leftovers.sort()).toEqual(
      [
        `${RESTORED.ordersDb}: rds:AddTagsToResource failed for ${RESTORED.ordersDb}: AccessDenied: not authorized to tag`,
        `${RESTORED.webData}: found by restore job job-web-data but tagged drctl:mode=failover; not deleted`,
        `${CARTS}: found by restore job job-carts but tagged drctl:execution=drill-shop-other; not deleted`,
      ].sort(),
    );
    expect(ec2.commandCalls(CreateTagsCommand)).toHaveLength(0);
    expect(ddb.commandCalls(DynamoTagResourceCommand)).toHaveLength(0);
    expect(world.log).toEqual([]);
    expect(world.volumes.get("vol-0dr00000000000001")?.tags["drctl:mode"]).toBe("failover");
  });

  it("finds resources by tag, deletes cluster instances before their cluster, and tables", async () => {
    // Prepare
    s3.putJson(
      `${RUN.artifactsPrefix}jobs.json`,
      jobsDocument([
        job({
          name: "carts",
          type: "dynamodb",
          createdResourceArn: "arn:aws:dynamodb:us-west-2:111122223333:table/carts-3b5a1c",
        }),
      ]),
    );
    world.jobs.set("job-carts", {
      Status: "COMPLETED",
      CreatedResourceArn: "arn:aws:dynamodb:us-west-2:111122223333:table/carts-3b5a1c",
    });
    world.tables.set("carts-3b5a1c", {
      arn: "arn:aws:dynamodb:us-west-2:111122223333:table/carts-3b5a1c",
      status: "ACTIVE",
      tags: OURS,
    });
    world.clusters.set("ledger-3b5a1c", {
      arn: "arn:cluster:ledger",
      status: "available",
      members: ["ledger-3b5a1c-i1"],
      tags: OURS,
    });
    world.dbs.set("ledger-3b5a1c-i1", {
      arn: "arn:db:ledger-i1",
      status: "available",
      tags: OURS,
      clusterId: "ledger-3b5a1c",
    });
    world.dbs.set("someone-elses-db", {
      arn: "arn:db:other",
      status: "available",
      tags: { "drctl:execution": "drill-shop-other" },
    });
    world.stack = undefined;
    // Act
    const first = await cleanup({ run: RUN }, deps());
    settle();
    const second = await cleanup({ run: RUN }, deps());
    settle();
    const third = await cleanup({ run: RUN }, deps());
    // Assess
    expect(first.done).toBe(false);
    expect(rds.commandCalls(DeleteDBClusterCommand)).toHaveLength(1);
    expect(
      rds.commandCalls(DeleteDBInstanceCommand).map((c) => c.args[0].input.DBInstanceIdentifier),
    ).toEqual(["ledger-3b5a1c-i1"]);
    expect(ddb.commandCalls(DeleteTableCommand)[0]?.args[0].input).toEqual({ TableName: "carts-3b5a1c" });
    expect(second.done).toBe(false);
    expect(third).toMatchObject({ done: true, leftovers: 0 });
    expect(world.dbs.has("someone-elses-db")).toBe(true);
  });

  it("never deletes a resource tagged with another run: a leftover, then CleanupIncomplete", async () => {
    // Prepare
    s3.putJson(
      `${RUN.artifactsPrefix}jobs.json`,
      jobsDocument([job({ name: "web-data", type: "ebs", createdResourceArn: RESTORED.webData })]),
    );
    world.jobs.set("job-web-data", { Status: "COMPLETED", CreatedResourceArn: RESTORED.webData });
    world.volumes.set("vol-0dr00000000000001", {
      state: "available",
      tags: { "drctl:execution": "drill-shop-other" },
    });
    world.stack = undefined;
    // Act
    const err = await cleanup({ run: RUN }, deps()).catch((e: unknown) => e);
    // Assess
    expect(err).toMatchObject({ name: "CleanupIncomplete" });
    expect((err as Error).message).toContain("tagged drctl:execution=drill-shop-other; not deleted");
    expect(ec2.commandCalls(DeleteVolumeCommand)).toHaveLength(0);
    expect(cleanupDocument().leftovers).toHaveLength(1);
  });

  it("writes the document and throws CleanupIncomplete when AWS refuses a delete", async () => {
    // Prepare
    s3.putJson(
      `${RUN.artifactsPrefix}jobs.json`,
      jobsDocument([job({ name: "orders-db", type: "rds", createdResourceArn: RESTORED.ordersDb })]),
    );
    world.jobs.set("job-orders-db", { Status: "COMPLETED", CreatedResourceArn: RESTORED.ordersDb });
    world.dbs.set("orders-db-3b5a1c", { arn: RESTORED.ordersDb, status: "available", tags: OURS });
    rds
      .on(DeleteDBInstanceCommand)
      .rejects(
        awsError(
          "InvalidParameterCombination",
          "Cannot delete protected DB Instance, please disable deletion protection",
        ),
      );
    // Act
    const first = await cleanup({ run: RUN }, deps()); // the stack is still deleting
    settle();
    const err = await cleanup({ run: RUN }, deps()).catch((e: unknown) => e);
    // Assess
    expect(first.done).toBe(false);
    expect(err).toMatchObject({ name: "CleanupIncomplete" });
    expect(cleanupDocument()).toMatchObject({ pending: [], rounds: 2 });
    expect(cleanupDocument().leftovers[0]).toContain(
      `${RESTORED.ordersDb}: rds:DeleteDBInstance failed for orders-db-3b5a1c: InvalidParameterCombination`,
    );
  });

  it("ends with leftovers when AWS refuses to detach a volume or delete a mount target (no endless wait)", async () => {
    // Prepare: the role may not delete the mount target's network interface, nor detach the volume
    s3.putJson(
      `${RUN.artifactsPrefix}jobs.json`,
      jobsDocument([
        job({ name: "web-data", type: "ebs", createdResourceArn: RESTORED.webData }),
        job({ name: "shared-files", type: "efs", createdResourceArn: RESTORED.sharedFiles }),
      ]),
    );
    world.jobs.set("job-web-data", { Status: "COMPLETED", CreatedResourceArn: RESTORED.webData });
    world.jobs.set("job-shared-files", { Status: "COMPLETED", CreatedResourceArn: RESTORED.sharedFiles });
    world.volumes.set("vol-0dr00000000000001", {
      state: "in-use",
      attachedTo: "i-0web",
      attachState: "attached",
      tags: OURS,
    });
    world.fileSystems.set("fs-0dr0000000000001", {
      arn: RESTORED.sharedFiles,
      state: "available",
      tags: OURS,
    });
    world.mountTargets.set("fsmt-a", { fs: "fs-0dr0000000000001", state: "available" });
    const refusal = (action: string, resource: string) =>
      `User: arn:aws:sts::111122223333:assumed-role/cleanup/drctl-cleanup is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;
    efs
      .on(DeleteMountTargetCommand)
      .rejects(awsError("AccessDeniedException", refusal("ec2:DeleteNetworkInterface", "eni-1"), 403));
    ec2
      .on(DetachVolumeCommand)
      .rejects(awsError("UnauthorizedOperation", refusal("ec2:DetachVolume", RESTORED.webData), 403));

    // Act: rounds as the state machine runs them, until cleanup ends (or obviously never does)
    let outcome: unknown;
    let rounds = 0;
    while (outcome === undefined && rounds < 6) {
      rounds++;
      const r = await cleanup({ run: RUN }, deps()).catch((e: unknown) => e);
      if (r instanceof Error || (r as { done: boolean }).done) outcome = r;
      settle();
    }

    // Assess
    expect(outcome).toMatchObject({ name: "CleanupIncomplete" });
    expect(rounds).toBeLessThanOrEqual(3);
    const leftovers = cleanupDocument().leftovers.join("\n");
    expect(leftovers).toContain(`${RESTORED.sharedFiles} mount target fsmt-a: efs:DeleteMountTarget failed`);
    expect(leftovers).toContain("ec2:DeleteNetworkInterface");
    expect(leftovers).toContain(`${RESTORED.webData}: ec2:DetachVolume failed`);
    expect(leftovers).toContain(
      `${RESTORED.sharedFiles}: not deleted: 1 mount target(s) could not be deleted`,
    );
  });

  it("retries a delete refused right after Integrate tagged the resource (tags take effect after a delay)", async () => {
    // Prepare: Integrate tagged the volume 2 s ago, then failed; IAM does not see the tags yet
    useClock(() => at(4000));
    s3.putJson(
      `${RUN.artifactsPrefix}jobs.json`,
      jobsDocument([job({ name: "web-data", type: "ebs", createdResourceArn: RESTORED.webData })]),
    );
    world.jobs.set("job-web-data", { Status: "COMPLETED", CreatedResourceArn: RESTORED.webData });
    const doc = integrationDocument();
    s3.putJson(`${RUN.artifactsPrefix}integration.json`, {
      ...doc,
      resources: doc.resources
        .filter((r) => r.name === "web-data")
        .map((r) => ({ ...r, status: "IN_PROGRESS", taggedAt: iso(3998) })),
    });
    world.volumes.set("vol-0dr00000000000001", { state: "available", tags: OURS });
    ec2
      .on(DeleteVolumeCommand)
      .rejects(
        awsError(
          "UnauthorizedOperation",
          `You are not authorized to perform this operation. User: arn:aws:sts::111122223333:assumed-role/cleanup/drctl-cleanup is not authorized to perform: ec2:DeleteVolume on resource: ${RESTORED.webData} because no identity-based policy allows the ec2:DeleteVolume action.`,
          403,
        ),
      );
    try {
      // Act
      const progress = await cleanup({ run: RUN }, deps());
      // Assess: retried in the next round; nothing is given up as a leftover
      expect(cleanupDocument().leftovers).toEqual([]);
      expect(progress).toMatchObject({ done: false, leftovers: 0 });
      expect(cleanupDocument().pending).toContainEqual(
        expect.stringContaining(`${RESTORED.webData}: delete retried after ec2:DeleteVolume failed`),
      );
      expect(cleanupDocument().track?.[`delete ${RESTORED.webData}`]?.error).toContain(
        "s ago; tags used in IAM conditions take effect after a short delay",
      );
    } finally {
      useClock(undefined);
    }
  });

  it("leaves a stack that is not tagged with this run", async () => {
    world.stack = { status: "CREATE_COMPLETE", tags: { "drctl:execution": "drill-shop-other" } };
    const err = await cleanup({ run: RUN }, deps()).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "CleanupIncomplete" });
    expect(cfn.commandCalls(DeleteStackCommand)).toHaveLength(0);
    expect(cleanupDocument().leftovers).toEqual([
      `stack ${RUN.stackName}: not tagged drctl:execution=${RUN.name}; not deleted`,
    ]);
  });

  it("refuses to run for a failover", async () => {
    const run = runContext({ mode: "failover" });
    const err = await cleanup({ run }, deps()).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "InputInvalid" });
    expect(ssm.calls()).toHaveLength(0);
  });

  it("estimates the next wait from the running restore's expected completion", async () => {
    // Prepare
    s3.putJson(
      `${RUN.artifactsPrefix}jobs.json`,
      jobsDocument([job({ name: "orders-db", type: "rds", status: "RUNNING" })]),
    );
    backup.on(DescribeRestoreJobCommand).resolves({
      RestoreJobId: "job-orders-db",
      Status: "RUNNING",
      CreationDate: new Date(iso(4000 - 600)),
      ExpectedCompletionTimeMinutes: 20,
    });
    world.stack = undefined;
    // Act
    const progress = await cleanup({ run: RUN }, deps());
    // Assess: 20 minutes expected, 10 elapsed → about 600 s
    expect(progress).toMatchObject({ done: false, pending: 1, waitSeconds: 600 });
  });
});

describe("cleanup handler", () => {
  it("rejects a bad event with InputInvalid", async () => {
    vi.stubEnv("ARTIFACTS_BUCKET", "drctl-artifacts-test");
    const err = await handler({}, localContext("cleanup")).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "InputInvalid" });
    vi.unstubAllEnvs();
  });
});
