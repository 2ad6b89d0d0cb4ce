import { describe, expect, it } from "vitest";
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

const RUN = "drill-shop-20260301T0900Z";
const TAG = [{ Key: "drctl:execution", Value: RUN }];

async function startDbRestore(h: Harness, target: string): Promise<string> {
  const list = await h.call("backup", "ListRecoveryPointsByBackupVault", {
    BackupVaultName: "dr-vault",
    ByResourceType: "RDS",
  });
  const rp = (list.RecoveryPoints as { RecoveryPointArn: string }[])[0]?.RecoveryPointArn;
  const md = await h.call("backup", "GetRecoveryPointRestoreMetadata", {
    BackupVaultName: "dr-vault",
    RecoveryPointArn: rp,
  });
  const out = await h.call("backup", "StartRestoreJob", {
    RecoveryPointArn: rp,
    IamRoleArn: ROLE,
    Metadata: drMetadata(md.RestoreMetadata as Record<string, string>, "rds", target),
  });
  return out.RestoreJobId as string;
}

describe("leftovers", () => {
  it("finds the run's stack, tagged and job-created resources, drill parameters and the lock until they are deleted", async () => {
    // Prepare
    const h = harness(scenarioOf());
    const lock = JSON.stringify({
      executionArn: `arn:aws:states:us-west-2:111122223333:execution:drctl-shop:${RUN}`,
      run: RUN,
    });
    await h.call("ssm", "PutParameter", { Name: "/drctl/lock/shop", Value: lock, Type: "String" });
    const { StackId } = await h.call("cloudformation", "CreateStack", {
      StackName: "shop-dr-drill-abc123",
      TemplateURL: await putTemplate(h),
      Parameters: NETWORK_PARAMETERS,
      Capabilities: ["CAPABILITY_IAM"],
      Tags: TAG,
    });
    const jobId = await startDbRestore(h, "orders-db-abc123");
    await h.call("s3", "CreateBucket", {
      Bucket: "artifacts",
      CreateBucketConfiguration: { LocationConstraint: "us-west-2" },
    });
    await h.call("s3", "PutObject", {
      Bucket: "artifacts",
      Key: `runs/${RUN}/jobs.json`,
      Body: JSON.stringify({
        run: RUN,
        jobs: [{ name: "orders-db", restoreJobId: jobId, previousJobIds: [] }],
      }),
    });
    // Act
    const whileRunning = h.world.leftovers(RUN);
    h.clock.advanceBy(TIMINGS.restorePendingSeconds + 2100);
    await h.call("ssm", "PutParameter", {
      Name: `/drctl-drill/${RUN}/shop/db/endpoint`,
      Value: "x",
      Type: "String",
      Tags: TAG,
    });
    const all = h.world.leftovers(RUN);
    const other = h.world.leftovers("drill-shop-20260101T0000Z");
    await h.call("cloudformation", "DeleteStack", { StackName: "shop-dr-drill-abc123" });
    await h.call("rds", "DeleteDBInstance", {
      DBInstanceIdentifier: "orders-db-abc123",
      SkipFinalSnapshot: true,
    });
    await h.call("ssm", "DeleteParameter", { Name: `/drctl-drill/${RUN}/shop/db/endpoint` });
    const lockOnly = h.world.leftovers(RUN);
    await h.call("ssm", "DeleteParameter", { Name: "/drctl/lock/shop" });
    const none = h.world.leftovers(RUN);
    // Assess
    expect(whileRunning).toEqual(
      expect.arrayContaining([
        StackId,
        `arn:aws:backup:us-west-2:111122223333:restore-job:${jobId}`,
        "arn:aws:ssm:us-west-2:111122223333:parameter/drctl/lock/shop",
      ]),
    );
    expect(all.sort()).toEqual(
      [
        StackId,
        "arn:aws:rds:us-west-2:111122223333:db:orders-db-abc123",
        `arn:aws:ssm:us-west-2:111122223333:parameter/drctl-drill/${RUN}/shop/db/endpoint`,
        "arn:aws:ssm:us-west-2:111122223333:parameter/drctl/lock/shop",
      ].sort(),
    );
    expect(other).toEqual([]);
    expect(lockOnly).toEqual(["arn:aws:ssm:us-west-2:111122223333:parameter/drctl/lock/shop"]);
    expect(none).toEqual([]);
  });

  it("counts resources tagged with the run even without a jobs document, and a stack's instances as the stack", async () => {
    // Prepare
    const h = harness(scenarioOf());
    await h.call("cloudformation", "CreateStack", {
      StackName: "shop-dr-drill-abc123",
      TemplateURL: await putTemplate(h),
      Parameters: NETWORK_PARAMETERS,
      Capabilities: ["CAPABILITY_IAM"],
      Tags: TAG,
    });
    await startDbRestore(h, "orders-db-abc123");
    h.clock.advanceBy(3000);
    await h.call("rds", "AddTagsToResource", {
      ResourceName: "arn:aws:rds:us-west-2:111122223333:db:orders-db-abc123",
      Tags: TAG,
    });
    // Act
    const before = h.world.leftovers(RUN);
    await h.call("cloudformation", "DeleteStack", { StackName: "shop-dr-drill-abc123" });
    const after = h.world.leftovers(RUN);
    // Assess
    expect(before).toHaveLength(2);
    expect(before.some((a) => a.includes(":stack/shop-dr-drill-abc123/"))).toBe(true);
    expect(after).toEqual(["arn:aws:rds:us-west-2:111122223333:db:orders-db-abc123"]);
  });
});

describe("health endpoint", () => {
  it("answers 200 only healthyAfterSeconds after the stack completed and the last integration call finished", async () => {
    // Prepare
    const h = harness(scenarioOf());
    const stack = "shop-dr-drill-abc123";
    await h.call("cloudformation", "CreateStack", {
      StackName: stack,
      TemplateURL: await putTemplate(h),
      Parameters: NETWORK_PARAMETERS,
      Capabilities: ["CAPABILITY_IAM"],
      Tags: TAG,
    });
    const health = () => h.world.health("us-west-2", stack);
    // Act
    const deploying = health();
    h.clock.advanceBy(540);
    const justDeployed = health();
    h.clock.advanceBy(100);
    await h.call("ssm", "PutParameter", {
      Name: `/drctl-drill/${RUN}/shop/db/endpoint`,
      Value: "x",
      Type: "String",
    });
    h.clock.advanceBy(30);
    const app = (
      (
        await h.call(
          "ec2",
          "DescribeInstances",
          { Filters: [{ Name: "tag:role", Values: ["web"] }] },
          "us-west-2",
        )
      ).Reservations as {
        Instances: { InstanceId: string }[];
      }[]
    ).map((r) => r.Instances[0]?.InstanceId);
    await h.call("ssm", "SendCommand", {
      DocumentName: "AWS-RunShellScript",
      InstanceIds: app,
      Parameters: { commands: ["echo ok"] },
    });
    h.clock.advanceBy(TIMINGS.commandSeconds + 59);
    const almost = health();
    h.clock.advanceBy(1);
    const healthy = health();
    const unknown = h.world.health("us-west-2", "nope");
    // Assess
    expect(deploying).toMatchObject({ status: 503, body: { reason: "stack is CREATE_IN_PROGRESS" } });
    expect(justDeployed.status).toBe(503);
    expect(almost.status).toBe(503);
    expect(healthy).toMatchObject({
      status: 200,
      body: { healthy: true, healthyAt: "2026-03-01T09:12:15.000Z" },
    });
    expect(unknown.status).toBe(503);
  });

  it("with no integration at all the app is healthy healthyAfterSeconds after the stack completed", async () => {
    // Prepare
    const h = harness(scenarioOf());
    await h.call("cloudformation", "CreateStack", {
      StackName: "shop-dr",
      TemplateURL: await putTemplate(h),
      Parameters: NETWORK_PARAMETERS,
      Capabilities: ["CAPABILITY_IAM"],
    });
    // Act
    h.clock.advanceBy(540 + 59);
    const before = h.world.health("us-west-2", "shop-dr");
    h.clock.advanceBy(1);
    const after = h.world.health("us-west-2", "shop-dr");
    // Assess
    expect(before.status).toBe(503);
    expect(after.status).toBe(200);
  });
});

describe("inspect", () => {
  it("shows what exists in the recovery region, the parameters and the untouched DNS record", async () => {
    // Prepare
    const h = harness(scenarioOf());
    await startDbRestore(h, "orders-db-abc123");
    await h.call("ssm", "PutParameter", { Name: "/shop/db/endpoint", Value: "db.example", Type: "String" });
    // Act
    h.clock.advanceBy(TIMINGS.restorePendingSeconds + 2100);
    const snap = h.world.inspect();
    // Assess
    expect(snap.now).toBe("2026-03-01T09:35:30.000Z");
    expect(snap.dbInstances).toEqual([
      expect.objectContaining({ id: "orders-db-abc123", status: "available" }),
    ]);
    expect(snap.restoreJobs).toEqual([
      expect.objectContaining({ resource: "orders-db", status: "COMPLETED" }),
    ]);
    expect(snap.parameters).toEqual({ "/shop/db/endpoint": "db.example" });
    expect(snap.dns).toMatchObject({
      changed: false,
      values: ["primary-alb-123.us-east-1.elb.amazonaws.com"],
    });
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
