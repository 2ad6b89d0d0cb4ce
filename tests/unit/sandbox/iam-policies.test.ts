/**
 * The sandbox evaluates the step roles' policies exactly as the CDK app synthesizes them, and
 * those policies allow what the steps do (and nothing they do not).
 */
import * as iam from "aws-cdk-lib/aws-iam";
import { beforeAll, describe, expect, it } from "vitest";
import type { AppConfig } from "../../../functions/shared/config.js";
import { orchestratorStack, stepRolesFrom } from "../../../scripts/sandbox/iam/policy-source.js";
import type { StepRole } from "../../../scripts/sandbox/iam/principals.js";
import type { FunctionKey } from "../../../state-machines/names.js";
import { exampleConfig } from "../../infra/synth.js";
import { authorizer, emptyWorld, NAMES, rolesFor } from "./iam-support.js";

const config = exampleConfig();
let roles: Record<FunctionKey, StepRole>;

beforeAll(() => {
  roles = rolesFor(config);
});

describe("the sandbox's policies are the synthesized ones", () => {
  it("resolves every intrinsic to the sandbox's physical names", () => {
    const text = JSON.stringify(roles);
    expect(text).not.toMatch(/"(Ref|Fn::[A-Za-z]+)"/);
    const integrate = JSON.stringify(roles.integrate.policies);
    expect(integrate).toContain(`arn:aws:s3:::${NAMES.bucket}/runs/*`);
    expect(JSON.stringify(roles.startRestores.policies)).toContain(NAMES.restoreRoleArn);
    expect(JSON.stringify(roles.notify.policies)).toContain(NAMES.topicArn);
    expect(roles.integrate.roleArn).toMatch(
      /^arn:aws:iam::111122223333:role\/drctl-shop-orchestrator-IntegrateRole[0-9A-F]{8}-[0-9A-F]{12}$/,
    );
  });

  it("a grant changed in the stack changes what the sandbox allows", () => {
    const attach = {
      VolumeId: "vol-1",
      InstanceId: "i-1",
      Device: "/dev/sdf",
    };
    const world = worldWithTagged();
    expect(
      authorizer(roles).check("integrate", "ec2", "AttachVolume", attach, NAMES.region, world),
    ).toBeUndefined();
    // A copy of the stack whose integrate role also denies AttachVolume.
    const stack = orchestratorStack(config);
    stack.steps.integrate.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ["ec2:AttachVolume"], resources: ["*"] }),
    );
    const changed = stepRolesFrom(stack, NAMES);
    const err = authorizer(changed).check("integrate", "ec2", "AttachVolume", attach, NAMES.region, world);
    expect(err?.code).toBe("UnauthorizedOperation");
    expect(err?.message).toContain("with an explicit deny in an identity-based policy");
  });
});

/** A world whose recovery region holds a volume and an instance tagged drctl:app=shop. */
function worldWithTagged() {
  const world = emptyWorld();
  const r = world.region(NAMES.region);
  const base = { createdAt: 0, readyAt: 0, tags: { "drctl:app": "shop" } };
  r.volumes.set("vol-1", {
    ...base,
    id: "vol-1",
    arn: "",
    az: "us-west-2a",
    sizeGiB: 1,
    volumeType: "gp3",
    encrypted: true,
    iops: 3000,
  });
  r.instances.set("i-1", {
    ...base,
    id: "i-1",
    arn: "",
    instanceType: "m5.large",
    imageId: "ami-1",
    az: "us-west-2a",
    subnetId: "subnet-0dra",
    vpcId: "vpc-0dr",
    sgIds: [],
    privateIp: "10.0.0.1",
    healthy: true,
  });
  return world;
}

describe("grants against what the steps call", () => {
  it("detect may describe composite alarms (DescribeAlarms of composite alarms needs '*')", () => {
    const err = authorizer(roles).check(
      "detect",
      "cloudwatch" as never,
      "DescribeAlarms",
      { AlarmNames: config.detect.alarmNames, AlarmTypes: ["MetricAlarm", "CompositeAlarm"] },
      config.regions.primary,
    );
    expect(err).toBeUndefined();
  });

  it("notify may create an OpsItem (CreateOpsItem has no resource-level permissions)", () => {
    const err = authorizer(roles).check("notify", "ssm", "CreateOpsItem", {
      Title: "drctl drill FAILED",
      Description: "x",
      Source: "drctl",
    });
    expect(err).toBeUndefined();
  });

  it("failover may UPSERT the configured record only, as Route 53 normalizes its name", () => {
    const withWildcard: AppConfig = { ...config, dns: { ...config.dns, record: "*.Shop.Example.com." } };
    const wildcardRoles = stepRolesFrom(orchestratorStack(withWildcard), NAMES);
    const change = (name: string, action = "UPSERT") => ({
      HostedZoneId: `/hostedzone/${config.dns.hostedZoneId}`,
      ChangeBatch: { Changes: [{ Action: action, ResourceRecordSet: { Name: name, Type: "CNAME" } }] },
    });
    const a = authorizer(wildcardRoles);
    expect(
      a.check("failover", "route53", "ChangeResourceRecordSets", change("*.shop.example.com"), "us-east-1"),
    ).toBeUndefined();
    expect(
      a.check("failover", "route53", "ChangeResourceRecordSets", change("other.example.com"), "us-east-1")
        ?.code,
    ).toBe("AccessDenied");
    expect(
      a.check(
        "failover",
        "route53",
        "ChangeResourceRecordSets",
        change("*.shop.example.com", "DELETE"),
        "us-east-1",
      )?.code,
    ).toBe("AccessDenied");
  });

  it.each([
    [
      "AWS Backup (EFS, DynamoDB)",
      "arn:aws:backup:us-west-2:111122223333:recovery-point:1EB3B5E7-9EB0-435A-A80B-108B488B0D45",
    ],
    ["RDS", "arn:aws:rds:us-west-2:111122223333:snapshot:awsbackup:job-1eb3b5e7-9eb0-435a-a80b-108b488b0d45"],
    ["Aurora", "arn:aws:rds:us-west-2:111122223333:cluster-snapshot:awsbackup:job-1eb3b5e7-9eb0-435a-a80b"],
    ["EBS", "arn:aws:ec2:us-west-2::snapshot/snap-0123456789abcdef0"],
    ["EC2", "arn:aws:ec2:us-west-2::image/ami-0123456789abcdef0"],
  ])("startRestores may restore a %s recovery point, in the recovery region only", (_kind, rp) => {
    const a = authorizer(roles);
    const start = (arn: string) => ({
      RecoveryPointArn: arn,
      IamRoleArn: NAMES.restoreRoleArn,
      Metadata: {},
      ResourceType: "RDS",
    });
    expect(a.check("startRestores", "backup", "StartRestoreJob", start(rp))).toBeUndefined();
    expect(
      a.check("planRestores", "backup", "GetRecoveryPointRestoreMetadata", {
        BackupVaultName: "dr-vault",
        RecoveryPointArn: rp,
      }),
    ).toBeUndefined();
    const elsewhere = rp.replace("us-west-2", "eu-west-1");
    expect(a.check("startRestores", "backup", "StartRestoreJob", start(elsewhere))?.code).toBe(
      "AccessDeniedException",
    );
  });

  it("cleanup may DeleteParameters under the drill parameter root only, each name authorized", () => {
    const a = authorizer(roles);
    const drill = ["/drctl-drill/drill-shop-1/shop/db", "/drctl-drill/drill-shop-1/shop/fs"];
    const names = (Names: string[]) =>
      a.check("cleanup", "ssm", "DeleteParameters", { Names }, NAMES.region, emptyWorld());
    expect(names(drill)).toBeUndefined();
    // One name outside the root denies the whole call, naming that parameter.
    const err = names([...drill, "/shop/db/endpoint"]);
    expect(err?.code).toBe("AccessDeniedException");
    expect(err?.message).toContain(
      "ssm:DeleteParameters on resource: arn:aws:ssm:us-west-2:111122223333:parameter/shop/db/endpoint",
    );
    // Cleanup deletes in batches only: the single-name DeleteParameter is not granted.
    expect(
      a.check("cleanup", "ssm", "DeleteParameter", { Name: drill[0] }, NAMES.region, emptyWorld())?.code,
    ).toBe("AccessDeniedException");
  });

  it("cleanup may delete a mount target's network interface in the DR subnets only", () => {
    const world = emptyWorld();
    const r = world.region(NAMES.region);
    const mt = (id: string, subnetId: string, eni: string) => ({
      id,
      fileSystemId: "fs-1",
      subnetId,
      az: "us-west-2a",
      vpcId: "vpc-0dr",
      ip: "10.0.0.9",
      sgIds: [],
      eni,
      createdAt: 0,
      readyAt: 0,
      tags: {},
    });
    r.mountTargets.set("fsmt-1", mt("fsmt-1", "subnet-0dra", "eni-1"));
    r.mountTargets.set("fsmt-2", mt("fsmt-2", "subnet-other", "eni-2"));
    r.fileSystems.set("fs-1", {
      id: "fs-1",
      arn: "",
      creationToken: "t",
      encrypted: true,
      performanceMode: "generalPurpose",
      sizeBytes: 0,
      createdAt: 0,
      readyAt: 0,
      tags: { "drctl:app": "shop", "drctl:mode": "drill" },
    });
    const a = authorizer(roles);
    expect(
      a.check("cleanup", "efs", "DeleteMountTarget", { MountTargetId: "fsmt-1" }, NAMES.region, world),
    ).toBeUndefined();
    const err = a.check(
      "cleanup",
      "efs",
      "DeleteMountTarget",
      { MountTargetId: "fsmt-2" },
      NAMES.region,
      world,
    );
    expect(err?.message).toContain(
      "ec2:DeleteNetworkInterface on resource: arn:aws:ec2:us-west-2:111122223333:network-interface/eni-2",
    );
  });
});
