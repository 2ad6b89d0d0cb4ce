/**
 * Amazon EC2 instances, tags and networks in the sandbox, through the real SDK client. Each test
 * pins a row of docs/fidelity.md ("EC2, EFS, RDS, DynamoDB: lifecycles, errors and limits").
 */
import {
  CreateTagsCommand,
  DeleteTagsCommand,
  DescribeAvailabilityZonesCommand,
  DescribeInstanceStatusCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { azIdOf, TIMINGS } from "../../../scripts/sandbox/world/index.js";
import { rejection, type SdkWorld, sdkWorld, shape } from "./sdk-world.js";

let s: SdkWorld;
let ec2: EC2Client;
let instanceId: string;
beforeEach(async () => {
  s = await sdkWorld();
  ec2 = s.client(EC2Client);
  instanceId = (await s.restore("web-1", "unused")).split("/").pop() as string;
});
afterEach(() => s.close());

const stateOf = async (id: string) =>
  (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations?.[0]?.Instances?.[0]
    ?.State;

describe("ec2: instances", () => {
  it("TerminateInstances: shutting-down, then terminated; again succeeds; visible about an hour, then InvalidInstanceID.NotFound", async () => {
    // Act
    const first = await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
    const running = await ec2.send(new DescribeInstanceStatusCommand({}));
    s.clock.advanceBy(TIMINGS.ec2TerminateSeconds);
    const terminated = await stateOf(instanceId);
    const again = await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
    s.clock.advanceBy(TIMINGS.terminatedVisibleSeconds);
    const gone = await rejection(ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] })));
    // Assess
    expect(first.TerminatingInstances?.[0]).toMatchObject({
      PreviousState: { Code: 16, Name: "running" },
      CurrentState: { Code: 32, Name: "shutting-down" },
    });
    expect(running.InstanceStatuses).toEqual([]);
    expect(terminated).toEqual({ Code: 48, Name: "terminated" });
    expect(again.TerminatingInstances?.[0]?.CurrentState?.Name).toBe("terminated");
    expect(shape(gone)).toEqual({
      name: "InvalidInstanceID.NotFound",
      message: `The instance ID '${instanceId}' does not exist`,
      status: 400,
    });
  });

  it("ids that do not exist refuse the whole call, named together", async () => {
    // Act
    const one = await rejection(
      ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId, "i-0aaaaaaaaaaaaaaaa"] })),
    );
    const two = await rejection(
      ec2.send(new DescribeInstancesCommand({ InstanceIds: ["i-0aaaaaaaaaaaaaaaa", "i-0bbbbbbbbbbbbbbbb"] })),
    );
    const state = await stateOf(instanceId);
    // Assess
    expect(shape(one)).toEqual({
      name: "InvalidInstanceID.NotFound",
      message: "The instance ID 'i-0aaaaaaaaaaaaaaaa' does not exist",
      status: 400,
    });
    expect(two.message).toBe("The instance IDs 'i-0aaaaaaaaaaaaaaaa, i-0bbbbbbbbbbbbbbbb' do not exist");
    expect(state?.Name).toBe("running");
  });

  it("DescribeInstanceStatus filters on states and checks, not on tags", async () => {
    // Act
    const ok = await ec2.send(
      new DescribeInstanceStatusCommand({
        Filters: [
          { Name: "instance-status.status", Values: ["ok"] },
          { Name: "availability-zone-id", Values: ["usw2-az1"] },
        ],
      }),
    );
    const impaired = await ec2.send(
      new DescribeInstanceStatusCommand({
        Filters: [{ Name: "system-status.status", Values: ["impaired"] }],
      }),
    );
    const byTag = await rejection(
      ec2.send(new DescribeInstanceStatusCommand({ Filters: [{ Name: "tag:Name", Values: ["web"] }] })),
    );
    // Assess
    expect(ok.InstanceStatuses?.map((x) => x.InstanceId)).toEqual([instanceId]);
    expect(impaired.InstanceStatuses).toEqual([]);
    expect(shape(byTag)).toEqual({
      name: "InvalidParameterValue",
      message: "The filter 'tag:Name' is invalid",
      status: 400,
    });
  });
});

describe("ec2: tags", () => {
  it("CreateTags adds or overwrites; DeleteTags by key, by key and value, and all user tags when none are named", async () => {
    // Prepare
    const tagsOf = async () =>
      Object.fromEntries(
        (
          (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))).Reservations?.[0]
            ?.Instances?.[0]?.Tags ?? []
        ).map((t) => [t.Key, t.Value]),
      );
    const inst = s.world.recovery.instances.get(instanceId);
    if (inst) inst.tags = { "aws:cloudformation:stack-name": "shop-dr" };
    await ec2.send(
      new CreateTagsCommand({
        Resources: [instanceId],
        Tags: [
          { Key: "a", Value: "1" },
          { Key: "b", Value: "2" },
          { Key: "c", Value: "" },
          { Key: "d", Value: "4" },
        ],
      }),
    );
    await ec2.send(new CreateTagsCommand({ Resources: [instanceId], Tags: [{ Key: "a", Value: "one" }] }));
    // Act
    await ec2.send(
      new DeleteTagsCommand({
        Resources: [instanceId],
        Tags: [{ Key: "a" }, { Key: "b", Value: "other" }, { Key: "c", Value: "" }, { Key: "d", Value: "4" }],
      }),
    );
    const afterSome = await tagsOf();
    await ec2.send(new DeleteTagsCommand({ Resources: [instanceId] }));
    const afterAll = await tagsOf();
    const unknown = await rejection(
      ec2.send(
        new CreateTagsCommand({ Resources: ["vol-0aaaaaaaaaaaaaaaa"], Tags: [{ Key: "k", Value: "v" }] }),
      ),
    );
    // Assess
    expect(afterSome).toEqual({ "aws:cloudformation:stack-name": "shop-dr", b: "2" });
    expect(afterAll).toEqual({ "aws:cloudformation:stack-name": "shop-dr" });
    expect(shape(unknown)).toMatchObject({ name: "InvalidVolume.NotFound", status: 400 });
  });
});

describe("ec2: networks", () => {
  it("subnets and zones carry their AZ ID; unknown subnets, groups and VPCs are their NotFound errors", async () => {
    // Act
    const subnets = await ec2.send(new DescribeSubnetsCommand({ SubnetIds: ["subnet-0dra", "subnet-0drb"] }));
    const zones = await ec2.send(new DescribeAvailabilityZonesCommand({}));
    const noSubnet = await rejection(ec2.send(new DescribeSubnetsCommand({ SubnetIds: ["subnet-0nope"] })));
    const noGroup = await rejection(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ["sg-0nope"] })));
    const noVpc = await rejection(ec2.send(new DescribeVpcsCommand({ VpcIds: ["vpc-0nope"] })));
    // Assess
    expect(subnets.Subnets?.map((x) => [x.AvailabilityZone, x.AvailabilityZoneId])).toEqual([
      ["us-west-2a", "usw2-az1"],
      ["us-west-2b", "usw2-az2"],
    ]);
    expect(zones.AvailabilityZones?.map((z) => [z.ZoneName, z.ZoneId])).toEqual([
      ["us-west-2a", "usw2-az1"],
      ["us-west-2b", "usw2-az2"],
    ]);
    expect([azIdOf("us-east-1c"), azIdOf("ap-northeast-1a"), azIdOf("eu-central-1b")]).toEqual([
      "use1-az3",
      "apne1-az1",
      "euc1-az2",
    ]);
    expect(shape(noSubnet)).toEqual({
      name: "InvalidSubnetID.NotFound",
      message: "The subnet ID 'subnet-0nope' does not exist",
      status: 400,
    });
    expect(shape(noGroup)).toMatchObject({ name: "InvalidGroup.NotFound", status: 400 });
    expect(shape(noVpc)).toMatchObject({ name: "InvalidVpcID.NotFound", status: 400 });
  });
});
