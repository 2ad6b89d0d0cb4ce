import { describe, expect, it } from "vitest";
import { UnknownOperation } from "../../../scripts/sandbox/types.js";
import { TIMINGS } from "../../../scripts/sandbox/world/index.js";
import {
  drMetadata,
  type Harness,
  harness,
  modelProblems,
  NETWORK_PARAMETERS,
  putTemplate,
  ROLE,
  scenarioOf,
} from "./world-helpers.js";

/** Restores a resource's newest copy into the DR network and waits until it completes; returns the created ARN. */
async function restored(h: Harness, resource: string, target: string): Promise<string> {
  const type = h.scenario.resources.find((r) => r.name === resource)?.type ?? "rds";
  const list = await h.call("backup", "ListRecoveryPointsByBackupVault", {
    BackupVaultName: h.scenario.vault,
  });
  const rp = (list.RecoveryPoints as { RecoveryPointArn: string; ResourceName: string }[]).find(
    (p) => p.ResourceName === resource,
  );
  const md = await h.call("backup", "GetRecoveryPointRestoreMetadata", {
    BackupVaultName: h.scenario.vault,
    RecoveryPointArn: rp?.RecoveryPointArn,
  });
  const { RestoreJobId } = await h.call("backup", "StartRestoreJob", {
    RecoveryPointArn: rp?.RecoveryPointArn,
    IamRoleArn: ROLE,
    Metadata: drMetadata(md.RestoreMetadata as Record<string, string>, type, target),
  });
  h.clock.advanceBy(
    TIMINGS.restorePendingSeconds +
      (h.scenario.resources.find((r) => r.name === resource)?.restoreSeconds ?? 0),
  );
  const job = await h.call("backup", "DescribeRestoreJob", { RestoreJobId });
  expect(job.Status).toBe("COMPLETED");
  return job.CreatedResourceArn as string;
}

async function stackInstances(
  h: Harness,
  desiredCapacity = 2,
): Promise<{ id: string; role: string; az: string }[]> {
  await h.call("cloudformation", "CreateStack", {
    StackName: "shop-dr-drill-x",
    TemplateURL: await putTemplate(h),
    Parameters: [
      ...NETWORK_PARAMETERS,
      { ParameterKey: "DesiredCapacity", ParameterValue: String(desiredCapacity) },
    ],
    Capabilities: ["CAPABILITY_IAM"],
  });
  h.clock.advanceBy(h.scenario.app.deploySeconds);
  const out = await h.call("ec2", "DescribeInstances", {
    Filters: [
      { Name: "tag:aws:cloudformation:stack-name", Values: ["shop-dr-drill-x"] },
      { Name: "instance-state-name", Values: ["running"] },
    ],
  });
  return (
    out.Reservations as {
      Instances: {
        InstanceId: string;
        Placement: { AvailabilityZone: string };
        Tags: { Key: string; Value: string }[];
      }[];
    }[]
  )
    .flatMap((r) => r.Instances)
    .map((i) => ({
      id: i.InstanceId,
      role: i.Tags.find((t) => t.Key === "role")?.Value ?? "",
      az: i.Placement.AvailabilityZone,
    }));
}

const withEfs = () =>
  scenarioOf({
    resources: [
      {
        name: "web-data",
        type: "ebs",
        restoreSeconds: 300,
        integrate: { attachToTag: "role=web", device: "/dev/sdf" },
      },
      {
        name: "shared-files",
        type: "efs",
        restoreSeconds: 900,
        integrate: { ssmParameter: "/shop/efs/id", mountPath: "/mnt/shared" },
      },
      {
        name: "orders",
        type: "aurora",
        restoreSeconds: 600,
        integrate: { ssmParameter: "/shop/db/endpoint" },
      },
      {
        name: "carts",
        type: "dynamodb",
        restoreSeconds: 60,
        integrate: { ssmParameter: "/shop/carts/table" },
      },
    ],
  });

describe("ec2", () => {
  it("attaches a restored volume in the same AZ; another AZ is InvalidVolume.ZoneMismatch; DeleteVolume while attached is VolumeInUse", async () => {
    // Prepare
    const h = harness(scenarioOf());
    const volArn = await restored(h, "web-data", "unused");
    const volumeId = volArn.split("/").pop() as string;
    const instances = await stackInstances(h);
    const web = instances.find((i) => i.role === "web");
    const other = instances.find((i) => i.az !== web?.az);
    // Act
    const mismatch = await h.fail("ec2", "AttachVolume", {
      VolumeId: volumeId,
      InstanceId: other?.id,
      Device: "/dev/sdf",
    });
    const attach = await h.call("ec2", "AttachVolume", {
      VolumeId: volumeId,
      InstanceId: web?.id,
      Device: "/dev/sdf",
    });
    const inUse = await h.fail("ec2", "DeleteVolume", { VolumeId: volumeId });
    h.clock.advanceBy(TIMINGS.volumeAttachSeconds);
    const described = await h.call("ec2", "DescribeVolumes", { VolumeIds: [volumeId] });
    // Assess
    expect(mismatch).toMatchObject({ code: "InvalidVolume.ZoneMismatch", httpStatus: 400 });
    expect(attach).toMatchObject({ State: "attaching", Device: "/dev/sdf" });
    expect(inUse).toMatchObject({ code: "VolumeInUse" });
    expect((described.Volumes as unknown[])[0]).toMatchObject({
      State: "in-use",
      AvailabilityZone: "us-west-2a",
      Attachments: [{ InstanceId: web?.id, State: "attached", Device: "/dev/sdf" }],
    });
  });

  it("detach, then delete: the volume is deleting and then gone", async () => {
    // Prepare
    const h = harness(scenarioOf());
    const volumeId = (await restored(h, "web-data", "x")).split("/").pop() as string;
    const web = (await stackInstances(h)).find((i) => i.role === "web");
    await h.call("ec2", "AttachVolume", { VolumeId: volumeId, InstanceId: web?.id, Device: "/dev/sdf" });
    h.clock.advanceBy(10);
    // Act
    await h.call("ec2", "DetachVolume", { VolumeId: volumeId });
    h.clock.advanceBy(TIMINGS.volumeDetachSeconds);
    await h.call("ec2", "DeleteVolume", { VolumeId: volumeId });
    const deleting = await h.call("ec2", "DescribeVolumes", { VolumeIds: [volumeId] });
    h.clock.advanceBy(TIMINGS.volumeDeleteSeconds);
    const gone = await h.fail("ec2", "DescribeVolumes", { VolumeIds: [volumeId] });
    // Assess
    expect((deleting.Volumes as { State: string }[])[0]?.State).toBe("deleting");
    expect(gone).toMatchObject({ code: "InvalidVolume.NotFound" });
  });

  it("primary app instances pass status checks when healthy", async () => {
    // Prepare
    const h = harness(scenarioOf());
    const primary = h.scenario.regions.primary;
    // Act
    const inst = await h.call(
      "ec2",
      "DescribeInstances",
      { Filters: [{ Name: "tag:app", Values: ["shop"] }] },
      primary,
    );
    const ids = (inst.Reservations as { Instances: { InstanceId: string }[] }[]).map(
      (r) => r.Instances[0]?.InstanceId,
    );
    const status = await h.call(
      "ec2",
      "DescribeInstanceStatus",
      { InstanceIds: ids, IncludeAllInstances: true },
      primary,
    );
    // Assess
    expect(ids).toHaveLength(2);
    expect(
      (status.InstanceStatuses as { InstanceStatus: { Status: string } }[]).map(
        (s) => s.InstanceStatus.Status,
      ),
    ).toEqual(["ok", "ok"]);
  });

  it("an unhealthy primary answers DescribeInstanceStatus with 503 Unavailable, while the recovery region works", async () => {
    // Prepare
    const h = harness(scenarioOf({ primary: { healthy: false } }));
    // Act
    const err = await h.fail("ec2", "DescribeInstanceStatus", { IncludeAllInstances: true }, "us-east-1");
    const dr = await h.call("ec2", "DescribeInstanceStatus", { IncludeAllInstances: true }, "us-west-2");
    // Assess
    expect(err).toMatchObject({ code: "Unavailable", httpStatus: 503, fault: "server" });
    expect(dr.InstanceStatuses).toEqual([]);
  });

  it("describes the DR network: subnets in <region>a/b and the security groups", async () => {
    // Prepare
    const h = harness(scenarioOf());
    // Act
    const subnets = await h.call("ec2", "DescribeSubnets", { SubnetIds: ["subnet-0dra", "subnet-0drb"] });
    const groups = await h.call("ec2", "DescribeSecurityGroups", { GroupIds: ["sg-0drdb"] });
    const missing = await h.fail("ec2", "DescribeSubnets", { SubnetIds: ["subnet-0nope"] });
    // Assess
    expect(
      (subnets.Subnets as { AvailabilityZone: string; VpcId: string }[]).map((s) => [
        s.AvailabilityZone,
        s.VpcId,
      ]),
    ).toEqual([
      ["us-west-2a", "vpc-0dr"],
      ["us-west-2b", "vpc-0dr"],
    ]);
    expect((groups.SecurityGroups as { VpcId: string }[])[0]?.VpcId).toBe("vpc-0dr");
    expect(missing).toMatchObject({ code: "InvalidSubnetID.NotFound" });
  });

  it("pages DescribeInstances with MaxResults/NextToken", async () => {
    // Prepare
    const h = harness(scenarioOf());
    await stackInstances(h, 7);
    const ids: string[] = [];
    let token: string | undefined;
    // Act
    do {
      const page = await h.call(
        "ec2",
        "DescribeInstances",
        { MaxResults: 5, ...(token ? { NextToken: token } : {}) },
        "us-west-2",
      );
      ids.push(
        ...(page.Reservations as { Instances: { InstanceId: string }[] }[]).map(
          (r) => r.Instances[0]?.InstanceId as string,
        ),
      );
      token = page.NextToken as string | undefined;
    } while (token);
    // Assess
    expect(ids).toHaveLength(7);
    expect(new Set(ids).size).toBe(7);
  });
});

describe("efs and ssm mounts", () => {
  it("a restored file system has no mount targets; mounting needs an available one in the instance's AZ", async () => {
    // Prepare
    const h = harness(withEfs());
    const fsId = (await restored(h, "shared-files", "tok")).split("/").pop() as string;
    const instances = await stackInstances(h);
    const ids = instances.map((i) => i.id);
    // Run Command takes them once they are managed instances.
    h.clock.advanceBy(h.scenario.app.ssmRegistrationSeconds);
    const mount = async () =>
      (
        await h.call("ssm", "SendCommand", {
          DocumentName: "AWS-RunShellScript",
          InstanceIds: ids,
          Parameters: { commands: [`mount -t efs ${fsId}:/ /mnt/shared`] },
        })
      ).Command as { CommandId: string };
    // Act
    const fs = await h.call("efs", "DescribeFileSystems", { FileSystemId: fsId });
    const early = await mount();
    h.clock.advanceBy(TIMINGS.commandSeconds);
    const failed = await h.call("ssm", "GetCommandInvocation", {
      CommandId: early.CommandId,
      InstanceId: ids[0],
    });
    for (const subnet of ["subnet-0dra", "subnet-0drb"]) {
      await h.call("efs", "CreateMountTarget", {
        FileSystemId: fsId,
        SubnetId: subnet,
        SecurityGroups: ["sg-0drdb"],
      });
    }
    const dup = await h.fail("efs", "CreateMountTarget", { FileSystemId: fsId, SubnetId: "subnet-0dra" });
    h.clock.advanceBy(TIMINGS.mountTargetCreateSeconds);
    const late = await mount();
    const inProgress = await h.call("ssm", "GetCommandInvocation", {
      CommandId: late.CommandId,
      InstanceId: ids[0],
    });
    h.clock.advanceBy(TIMINGS.commandSeconds);
    const ok = await Promise.all(
      ids.map((id) => h.call("ssm", "GetCommandInvocation", { CommandId: late.CommandId, InstanceId: id })),
    );
    const inUse = await h.fail("efs", "DeleteFileSystem", { FileSystemId: fsId });
    const noInvocation = await h.fail("ssm", "GetCommandInvocation", {
      CommandId: late.CommandId,
      InstanceId: "i-0nope",
    });
    // Assess
    expect((fs.FileSystems as Record<string, unknown>[])[0]).toMatchObject({
      LifeCycleState: "available",
      NumberOfMountTargets: 0,
    });
    expect(failed).toMatchObject({ Status: "Failed" });
    expect(failed.StandardErrorContent).toContain("mount.nfs4");
    expect(dup).toMatchObject({ code: "MountTargetConflict", httpStatus: 409 });
    expect(inProgress.Status).toBe("InProgress");
    expect(ok.map((o) => o.Status)).toEqual(["Success", "Success"]);
    expect(inUse).toMatchObject({ code: "FileSystemInUse", httpStatus: 409 });
    expect(noInvocation).toMatchObject({ code: "InvocationDoesNotExist" });
  });

  it("SendCommand refuses instances that do not exist or are not running", async () => {
    const h = harness(scenarioOf());
    const err = await h.fail("ssm", "SendCommand", {
      DocumentName: "AWS-RunShellScript",
      InstanceIds: ["i-0nope"],
      Parameters: { commands: ["true"] },
    });
    expect(err).toMatchObject({ code: "InvalidInstanceId", httpStatus: 400 });
  });
});

describe("ssm parameters and OpsItems", () => {
  it("PutParameter: versions, ParameterAlreadyExists without Overwrite, ValidationException for Overwrite with Tags", async () => {
    // Prepare
    const h = harness(scenarioOf());
    const name = "/drctl-drill/run-1/shop/db/endpoint";
    // Act
    const v1 = await h.call("ssm", "PutParameter", {
      Name: name,
      Value: "a",
      Type: "String",
      Tags: [{ Key: "drctl:execution", Value: "run-1" }],
    });
    const exists = await h.fail("ssm", "PutParameter", { Name: name, Value: "b", Type: "String" });
    const both = await h.fail("ssm", "PutParameter", {
      Name: name,
      Value: "b",
      Overwrite: true,
      Tags: [{ Key: "k", Value: "v" }],
    });
    const v2 = await h.call("ssm", "PutParameter", { Name: name, Value: "b", Overwrite: true });
    const got = await h.call("ssm", "GetParameter", { Name: name });
    // Assess
    expect(v1.Version).toBe(1);
    expect(exists).toMatchObject({ code: "ParameterAlreadyExists", httpStatus: 400 });
    expect(both).toMatchObject({ code: "ValidationException" });
    expect(v2.Version).toBe(2);
    expect(got.Parameter).toMatchObject({ Name: name, Value: "b", Version: 2, Type: "String" });
  });

  it("GetParametersByPath pages and respects Recursive; DeleteParameter of a missing one is ParameterNotFound", async () => {
    // Prepare
    const h = harness(scenarioOf());
    for (let i = 0; i < 12; i++)
      await h.call("ssm", "PutParameter", { Name: `/p/a/${i}`, Value: String(i), Type: "String" });
    await h.call("ssm", "PutParameter", { Name: "/p/a/deep/x", Value: "x", Type: "String" });
    // Act
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await h.call("ssm", "GetParametersByPath", {
        Path: "/p/a",
        MaxResults: 5,
        ...(token ? { NextToken: token } : {}),
      });
      names.push(...(page.Parameters as { Name: string }[]).map((p) => p.Name));
      token = page.NextToken as string | undefined;
    } while (token);
    const recursive = await h.call("ssm", "GetParametersByPath", {
      Path: "/p",
      Recursive: true,
      MaxResults: 10,
    });
    const missing = await h.fail("ssm", "DeleteParameter", { Name: "/nope" });
    const notFound = await h.fail("ssm", "GetParameter", { Name: "/nope" });
    // Assess
    expect(names).toHaveLength(12);
    expect(recursive.NextToken).toBeDefined();
    expect(missing).toMatchObject({ code: "ParameterNotFound" });
    expect(notFound).toMatchObject({ code: "ParameterNotFound", httpStatus: 400 });
  });

  it("CreateOpsItem returns oi- ids and keeps them; an InternalServerError fault is a 500", async () => {
    // Prepare
    const h = harness(
      scenarioOf({ faults: [{ call: "ssm:PutParameter", error: "InternalServerError", times: 1 }] }),
      4566,
      "integrate",
    );
    // Act
    const item = await h.call("ssm", "CreateOpsItem", {
      Title: "DR drill failed",
      Description: "d",
      Source: "drctl",
      Severity: "2",
    });
    const err = await h.fail("ssm", "PutParameter", { Name: "/x", Value: "1" });
    // Assess
    expect(item.OpsItemId).toMatch(/^oi-[0-9a-f]{12}$/);
    expect(h.world.inspect().opsItems).toEqual([
      expect.objectContaining({ id: item.OpsItemId, title: "DR drill failed", severity: "2" }),
    ]);
    expect(err).toMatchObject({ code: "InternalServerError", httpStatus: 500, fault: "server" });
  });
});

describe("rds, dynamodb", () => {
  it("an Aurora cluster restores without instances; CreateDBInstance adds one; DeleteDBCluster needs members deleting first", async () => {
    // Prepare
    const h = harness(withEfs());
    const arn = await restored(h, "orders", "orders-abc123");
    // Act
    const cluster = await h.call("rds", "DescribeDBClusters", { DBClusterIdentifier: "orders-abc123" });
    await h.call("rds", "CreateDBInstance", {
      DBInstanceIdentifier: "orders-abc123-1",
      DBClusterIdentifier: "orders-abc123",
      DBInstanceClass: "db.r6g.large",
      Engine: "aurora-postgresql",
      Tags: [{ Key: "drctl:execution", Value: "run" }],
    });
    const blocked = await h.fail("rds", "DeleteDBCluster", {
      DBClusterIdentifier: "orders-abc123",
      SkipFinalSnapshot: true,
    });
    await h.call("rds", "DeleteDBInstance", {
      DBInstanceIdentifier: "orders-abc123-1",
      SkipFinalSnapshot: true,
    });
    const deleting = await h.call("rds", "DeleteDBCluster", {
      DBClusterIdentifier: "orders-abc123",
      SkipFinalSnapshot: true,
    });
    h.clock.advanceBy(TIMINGS.rdsDeleteSeconds);
    const gone = await h.fail("rds", "DescribeDBClusters", { DBClusterIdentifier: "orders-abc123" });
    // Assess
    expect(arn).toBe("arn:aws:rds:us-west-2:111122223333:cluster:orders-abc123");
    expect((cluster.DBClusters as unknown[])[0]).toMatchObject({
      Status: "available",
      Engine: "aurora-postgresql",
      DBClusterMembers: [],
    });
    expect(blocked).toMatchObject({ code: "InvalidDBClusterStateFault" });
    // DeleteDBCluster answers the cluster as it was (Aurora user guide, USER_DeleteCluster).
    expect((deleting.DBCluster as { Status: string }).Status).toBe("available");
    expect(gone).toMatchObject({ code: "DBClusterNotFoundFault", httpStatus: 404 });
  });

  it("DescribeDBInstances pages with Marker and carries TagList", async () => {
    // Prepare
    const h = harness(withEfs());
    await restored(h, "orders", "orders-abc123");
    for (let i = 0; i < 25; i++) {
      await h.call("rds", "CreateDBInstance", {
        DBInstanceIdentifier: `orders-abc123-${i}`,
        DBClusterIdentifier: "orders-abc123",
        DBInstanceClass: "db.r6g.large",
        Engine: "aurora-postgresql",
        Tags: [{ Key: "n", Value: String(i) }],
      });
    }
    // Act
    const first = await h.call("rds", "DescribeDBInstances", { MaxRecords: 20 });
    const second = await h.call("rds", "DescribeDBInstances", { MaxRecords: 20, Marker: first.Marker });
    // Assess
    expect(first.DBInstances).toHaveLength(20);
    expect(second.DBInstances).toHaveLength(5);
    expect(second.Marker).toBeUndefined();
    expect((first.DBInstances as { TagList: unknown[]; DBInstanceStatus: string }[])[0]).toMatchObject({
      TagList: [{ Key: "n", Value: "0" }],
      DBInstanceStatus: "creating",
    });
  });

  it("a restored DynamoDB table is ACTIVE, taggable and deletable", async () => {
    // Prepare
    const h = harness(withEfs());
    const arn = await restored(h, "carts", "carts-abc123");
    // Act
    const table = await h.call("dynamodb", "DescribeTable", { TableName: "carts-abc123" });
    await h.call("dynamodb", "TagResource", {
      ResourceArn: arn,
      Tags: [{ Key: "drctl:execution", Value: "run" }],
    });
    const deleting = await h.call("dynamodb", "DeleteTable", { TableName: "carts-abc123" });
    h.clock.advanceBy(TIMINGS.tableDeleteSeconds);
    const gone = await h.fail("dynamodb", "DescribeTable", { TableName: "carts-abc123" });
    // Assess
    expect(table.Table).toMatchObject({ TableStatus: "ACTIVE", TableArn: arn });
    expect((deleting.TableDescription as { TableStatus: string }).TableStatus).toBe("DELETING");
    expect(gone).toMatchObject({ code: "ResourceNotFoundException", httpStatus: 400 });
  });
});

describe("s3, unknown operations, registered backends", () => {
  it("stores objects as strings; GetObject of a missing key is NoSuchKey 404; lists by prefix", async () => {
    // Prepare
    const h = harness(scenarioOf());
    await h.call("s3", "CreateBucket", {
      Bucket: "artifacts",
      CreateBucketConfiguration: { LocationConstraint: "us-west-2" },
    });
    await h.call("s3", "PutObject", {
      Bucket: "artifacts",
      Key: "runs/r/plan.json",
      Body: "{}",
      ContentType: "application/json",
    });
    await h.call("s3", "PutObject", { Bucket: "artifacts", Key: "config/shop.json", Body: '{"a":1}' });
    // Act
    const got = await h.call("s3", "GetObject", { Bucket: "artifacts", Key: "runs/r/plan.json" });
    const untyped = await h.call("s3", "GetObject", { Bucket: "artifacts", Key: "config/shop.json" });
    const missing = await h.fail("s3", "GetObject", { Bucket: "artifacts", Key: "nope" });
    const head = await h.fail("s3", "HeadObject", { Bucket: "artifacts", Key: "nope" });
    const list = await h.call("s3", "ListObjectsV2", { Bucket: "artifacts", Prefix: "runs/" });
    // Assess
    expect(got).toMatchObject({ Body: "{}", ContentType: "application/json" });
    expect(untyped.ContentType).toBe("binary/octet-stream");
    expect(missing).toMatchObject({ code: "NoSuchKey", httpStatus: 404 });
    expect(head).toMatchObject({ code: "NotFound", httpStatus: 404 });
    expect((list.Contents as { Key: string }[]).map((c) => c.Key)).toEqual(["runs/r/plan.json"]);
  });

  it("unknown operations are UnknownOperation; registered services (sfn) get the calls, after faults", async () => {
    // Prepare
    const h = harness(
      scenarioOf({ faults: [{ call: "sfn:StartExecution", error: "ThrottlingException", times: 1 }] }),
      4566,
      "writeReport",
    );
    const seen: string[] = [];
    h.world.register("sfn", {
      call: async (c) => {
        seen.push(c.operation);
        return { executionArn: "arn:x" };
      },
    });
    // Act
    const unknown = await h.fail("rds", "RebootDBInstance", {});
    const throttled = await h.fail("sfn", "StartExecution", {});
    const ok = await h.call("sfn", "StartExecution", {});
    // Assess
    expect(unknown).toBeInstanceOf(UnknownOperation);
    expect(throttled).toMatchObject({ code: "ThrottlingException" });
    expect(ok).toEqual({ executionArn: "arn:x" });
    expect(seen).toEqual(["StartExecution"]);
  });
});

describe("outputs", () => {
  it("every output above fits the SDK v3 models (no member the SDK would drop, right types)", async () => {
    // Act
    const problems = await modelProblems();
    // Assess
    expect(problems).toEqual([]);
  });
});
