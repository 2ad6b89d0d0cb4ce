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
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { ec2Api } from "../../../functions/shared/aws/ec2.js";
import { awsError, networkError, pagesByToken } from "./helpers.js";

const ec2 = mockClient(EC2Client);
const api = ec2Api(new EC2Client({ region: "us-west-2" }));

beforeEach(() => ec2.reset());

describe("ec2Api.describeInstances", () => {
  it("turns the query into filters and flattens every page's reservations", async () => {
    // Prepare
    const paged = pagesByToken({
      "": {
        Reservations: [
          {
            Instances: [
              {
                InstanceId: "i-1",
                State: { Name: "running" },
                Placement: { AvailabilityZone: "us-west-2a" },
                SubnetId: "subnet-1",
                Tags: [{ Key: "role", Value: "web" }],
              },
            ],
          },
        ],
        NextToken: "p2",
      },
      p2: {
        Reservations: [
          {
            Instances: [
              {
                InstanceId: "i-2",
                State: { Name: "pending" },
                Placement: { AvailabilityZone: "us-west-2b" },
              },
            ],
          },
        ],
      },
    });
    ec2.on(DescribeInstancesCommand).callsFake(paged.fake);
    // Act
    const instances = await api.describeInstances({ tags: { role: "web" }, states: ["pending", "running"] });
    // Assess
    expect(instances).toEqual([
      {
        id: "i-1",
        state: "running",
        availabilityZone: "us-west-2a",
        subnetId: "subnet-1",
        tags: { role: "web" },
      },
      { id: "i-2", state: "pending", availabilityZone: "us-west-2b", tags: {} },
    ]);
    const filters = [
      { Name: "tag:role", Values: ["web"] },
      { Name: "instance-state-name", Values: ["pending", "running"] },
    ];
    expect(paged.sent).toEqual([
      { Filters: filters, MaxResults: 1000 },
      { Filters: filters, MaxResults: 1000, NextToken: "p2" },
    ]);
  });

  it("filters by instance id and returns nothing for an empty id list without calling AWS", async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    await api.describeInstances({ ids: ["i-9"] });
    await expect(api.describeInstances({ ids: [] })).resolves.toEqual([]);
    expect(ec2.commandCalls(DescribeInstancesCommand)).toHaveLength(1);
    expect(ec2.commandCalls(DescribeInstancesCommand)[0]?.args[0].input.Filters).toEqual([
      { Name: "instance-id", Values: ["i-9"] },
    ]);
  });

  it("maps RequestLimitExceeded to AwsTransient and network errors too", async () => {
    ec2
      .on(DescribeInstancesCommand)
      .rejectsOnce(awsError("RequestLimitExceeded", "Request limit exceeded.", 503))
      .rejects(networkError("ECONNREFUSED"));
    await expect(api.describeInstances({})).rejects.toMatchObject({ name: "AwsTransient" });
    await expect(api.describeInstances({})).rejects.toMatchObject({
      name: "AwsTransient",
      message: expect.stringContaining("ec2:DescribeInstances failed for (all): ECONNREFUSED"),
    });
  });
});

describe("ec2Api.describeInstanceStatus", () => {
  it("includes all instances and maps the checks", async () => {
    ec2.on(DescribeInstanceStatusCommand).resolves({
      InstanceStatuses: [
        {
          InstanceId: "i-1",
          InstanceState: { Name: "running" },
          InstanceStatus: { Status: "ok" },
          SystemStatus: { Status: "impaired" },
        },
      ],
    });
    await expect(api.describeInstanceStatus(["i-1"])).resolves.toEqual([
      { id: "i-1", state: "running", instanceStatus: "ok", systemStatus: "impaired" },
    ]);
    expect(ec2.commandCalls(DescribeInstanceStatusCommand)[0]?.args[0].input).toEqual({
      IncludeAllInstances: true,
      InstanceIds: ["i-1"],
    });
    expect(ec2.commandCalls(DescribeInstanceStatusCommand)[0]?.args[0].input).not.toHaveProperty(
      "MaxResults",
      1000,
    );
  });

  it("asks for pages of 1000 when no ids are given", async () => {
    const paged = pagesByToken({
      "": { InstanceStatuses: [{ InstanceId: "i-1" }], NextToken: "p2" },
      p2: { InstanceStatuses: [{ InstanceId: "i-2" }] },
    });
    ec2.on(DescribeInstanceStatusCommand).callsFake(paged.fake);
    expect((await api.describeInstanceStatus()).map((st) => st.id)).toEqual(["i-1", "i-2"]);
    expect(paged.sent).toEqual([
      { IncludeAllInstances: true, MaxResults: 1000 },
      { IncludeAllInstances: true, MaxResults: 1000, NextToken: "p2" },
    ]);
  });
});

describe("ec2Api.describeVolumes", () => {
  it("uses the status and volume-id filters and maps attachments", async () => {
    ec2.on(DescribeVolumesCommand).resolves({
      Volumes: [
        {
          VolumeId: "vol-1",
          State: "in-use",
          AvailabilityZone: "us-west-2a",
          Attachments: [{ InstanceId: "i-1", Device: "/dev/sdf", State: "attached" }],
          Tags: [{ Key: "drctl:execution", Value: "r" }],
        },
      ],
    });
    const vols = await api.describeVolumes({
      tags: { "drctl:execution": "r" },
      states: ["in-use"],
      ids: ["vol-1"],
    });
    expect(vols).toEqual([
      {
        id: "vol-1",
        state: "in-use",
        availabilityZone: "us-west-2a",
        attachments: [{ instanceId: "i-1", device: "/dev/sdf", state: "attached" }],
        tags: { "drctl:execution": "r" },
      },
    ]);
    expect(ec2.commandCalls(DescribeVolumesCommand)[0]?.args[0].input.Filters).toEqual([
      { Name: "tag:drctl:execution", Values: ["r"] },
      { Name: "status", Values: ["in-use"] },
      { Name: "volume-id", Values: ["vol-1"] },
    ]);
  });
});

describe("ec2Api volume actions", () => {
  it("attaches with the device", async () => {
    ec2.on(AttachVolumeCommand).resolves({});
    await api.attachVolume("vol-1", "i-1", "/dev/sdf");
    expect(ec2.commandCalls(AttachVolumeCommand)[0]?.args[0].input).toEqual({
      VolumeId: "vol-1",
      InstanceId: "i-1",
      Device: "/dev/sdf",
    });
  });

  it("maps an attach error to AwsCallFailed with volume, instance and device", async () => {
    ec2
      .on(AttachVolumeCommand)
      .rejects(awsError("InvalidParameterValue", "Invalid value '/dev/xx' for unixDevice"));
    await expect(api.attachVolume("vol-1", "i-1", "/dev/xx")).rejects.toMatchObject({
      name: "AwsCallFailed",
      message:
        "ec2:AttachVolume failed for vol-1 to i-1 as /dev/xx: InvalidParameterValue: Invalid value '/dev/xx' for unixDevice",
    });
  });

  it("detaches with force", async () => {
    ec2.on(DetachVolumeCommand).resolves({});
    await api.detachVolume("vol-1", true);
    expect(ec2.commandCalls(DetachVolumeCommand)[0]?.args[0].input).toEqual({
      VolumeId: "vol-1",
      Force: true,
    });
  });

  it("treats a gone volume as deleted", async () => {
    ec2
      .on(DeleteVolumeCommand)
      .rejects(awsError("InvalidVolume.NotFound", "The volume 'vol-1' does not exist."));
    await expect(api.deleteVolume("vol-1")).resolves.toBeUndefined();
  });

  it("keeps VolumeInUse as AwsCallFailed", async () => {
    ec2.on(DeleteVolumeCommand).rejects(awsError("VolumeInUse", "Volume vol-1 is currently attached to i-1"));
    await expect(api.deleteVolume("vol-1")).rejects.toMatchObject({ name: "AwsCallFailed" });
  });
});

describe("ec2Api.terminateInstances", () => {
  it("skips gone instances and terminates the others", async () => {
    const gone = () => awsError("InvalidInstanceID.NotFound", "The instance ID 'i-2' does not exist");
    ec2
      .on(TerminateInstancesCommand, { InstanceIds: ["i-1", "i-2"] })
      .rejects(gone())
      .on(TerminateInstancesCommand, { InstanceIds: ["i-1"] })
      .resolves({})
      .on(TerminateInstancesCommand, { InstanceIds: ["i-2"] })
      .rejects(gone());
    await expect(api.terminateInstances(["i-1", "i-2"])).resolves.toBeUndefined();
    expect(ec2.commandCalls(TerminateInstancesCommand).map((c) => c.args[0].input.InstanceIds)).toEqual([
      ["i-1", "i-2"],
      ["i-1"],
      ["i-2"],
    ]);
  });

  it("does nothing for no ids", async () => {
    await api.terminateInstances([]);
    expect(ec2.commandCalls(TerminateInstancesCommand)).toHaveLength(0);
  });
});

describe("ec2Api.createTags", () => {
  it("tags in batches", async () => {
    ec2.on(CreateTagsCommand).resolves({});
    const ids = Array.from({ length: 450 }, (_, i) => `vol-${i}`);
    await api.createTags(ids, { a: "1" });
    const calls = ec2.commandCalls(CreateTagsCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.Resources?.length)).toEqual([200, 200, 50]);
    expect(calls[0]?.Tags).toEqual([{ Key: "a", Value: "1" }]);
  });
});

describe("ec2Api.describeSubnets / describeSecurityGroups", () => {
  it("maps subnets and groups", async () => {
    ec2
      .on(DescribeSubnetsCommand)
      .resolves({ Subnets: [{ SubnetId: "subnet-1", VpcId: "vpc-1", AvailabilityZone: "us-west-2a" }] });
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: "sg-1", VpcId: "vpc-1" }] });
    await expect(api.describeSubnets(["subnet-1"])).resolves.toEqual([
      { id: "subnet-1", vpcId: "vpc-1", availabilityZone: "us-west-2a" },
    ]);
    await expect(api.describeSecurityGroups(["sg-1"])).resolves.toEqual([{ id: "sg-1", vpcId: "vpc-1" }]);
    expect(ec2.commandCalls(DescribeSubnetsCommand)[0]?.args[0].input).toEqual({ SubnetIds: ["subnet-1"] });
    expect(ec2.commandCalls(DescribeSecurityGroupsCommand)[0]?.args[0].input).toEqual({ GroupIds: ["sg-1"] });
  });
});
