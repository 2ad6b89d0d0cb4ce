/**
 * Amazon EFS in the sandbox, through the real SDK client: restored file systems, mount targets
 * (their zone, their rules and lifecycle), deletion and tags. Each test pins a row of
 * docs/fidelity.md ("EC2, EFS, RDS, DynamoDB: lifecycles, errors and limits").
 */
import {
  CreateMountTargetCommand,
  DeleteFileSystemCommand,
  DeleteMountTargetCommand,
  DescribeFileSystemsCommand,
  DescribeMountTargetsCommand,
  EFSClient,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from "@aws-sdk/client-efs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TIMINGS } from "../../../scripts/sandbox/world/index.js";
import { rejection, type SdkWorld, sdkWorld, shape } from "./sdk-world.js";

let s: SdkWorld;
let efs: EFSClient;
let fsId: string;
beforeEach(async () => {
  s = await sdkWorld();
  efs = s.client(EFSClient);
  fsId = (await s.restore("shared-files", "files-dr")).split("/").pop() as string;
});
afterEach(() => s.close());

const mountTarget = (SubnetId: string, SecurityGroups = ["sg-0drdb"], FileSystemId = fsId) =>
  efs.send(new CreateMountTargetCommand({ FileSystemId, SubnetId, SecurityGroups }));

/** A second VPC in the recovery region, with one subnet and one security group. */
function otherVpc(): void {
  const r = s.world.recovery;
  r.vpcs.set("vpc-0other", { id: "vpc-0other", cidr: "10.30.0.0/16", isDefault: false, tags: {} });
  r.subnets.set("subnet-0other", {
    id: "subnet-0other",
    vpcId: "vpc-0other",
    az: "us-west-2c",
    cidr: "10.30.0.0/24",
    tags: {},
  });
  r.securityGroups.set("sg-0other", {
    id: "sg-0other",
    name: "other",
    vpcId: "vpc-0other",
    description: "",
    tags: {},
  });
}

describe("efs: mount targets", () => {
  it("a mount target is creating, then available, in its subnet's zone: AvailabilityZoneName the name, AvailabilityZoneId the AZ ID", async () => {
    // Act
    const created = await mountTarget("subnet-0dra");
    s.clock.advanceBy(TIMINGS.mountTargetCreateSeconds);
    const later = (await efs.send(new DescribeMountTargetsCommand({ FileSystemId: fsId }))).MountTargets;
    const fs = (await efs.send(new DescribeFileSystemsCommand({ FileSystemId: fsId }))).FileSystems?.[0];
    // Assess
    expect(created).toMatchObject({
      LifeCycleState: "creating",
      SubnetId: "subnet-0dra",
      VpcId: "vpc-0dr",
      AvailabilityZoneName: "us-west-2a",
      AvailabilityZoneId: "usw2-az1",
    });
    expect(created.NetworkInterfaceId).toMatch(/^eni-0[0-9a-f]{16}$/);
    expect(later?.map((m) => m.LifeCycleState)).toEqual(["available"]);
    expect(fs).toMatchObject({ LifeCycleState: "available", NumberOfMountTargets: 1 });
  });

  it("CreateMountTarget refuses a second one in a zone, another VPC, unknown subnets and groups, a group of another VPC, more than five groups", async () => {
    // Prepare
    otherVpc();
    await mountTarget("subnet-0dra");
    // Act
    const sameZone = await rejection(mountTarget("subnet-0dra"));
    const otherVpcSubnet = await rejection(mountTarget("subnet-0other", ["sg-0other"]));
    const noSubnet = await rejection(mountTarget("subnet-0nope"));
    const noGroup = await rejection(mountTarget("subnet-0drb", ["sg-0nope"]));
    const foreignGroup = await rejection(mountTarget("subnet-0drb", ["sg-0other"]));
    const sixGroups = await rejection(mountTarget("subnet-0drb", Array(6).fill("sg-0drdb")));
    const noFs = await rejection(mountTarget("subnet-0drb", ["sg-0drdb"], "fs-0nope"));
    // Assess
    expect(shape(sameZone)).toMatchObject({ name: "MountTargetConflict", status: 409 });
    expect(shape(otherVpcSubnet)).toMatchObject({ name: "MountTargetConflict", status: 409 });
    expect(shape(noSubnet)).toMatchObject({ name: "SubnetNotFound", status: 400 });
    expect(shape(noGroup)).toMatchObject({ name: "SecurityGroupNotFound", status: 400 });
    expect(shape(foreignGroup)).toMatchObject({ name: "SecurityGroupNotFound", status: 400 });
    expect(shape(sixGroups)).toMatchObject({ name: "SecurityGroupLimitExceeded", status: 400 });
    expect(shape(noFs)).toMatchObject({ name: "FileSystemNotFound", status: 404 });
  });

  it("DescribeMountTargets needs a file system or mount target; an unknown mount target is MountTargetNotFound", async () => {
    // Act
    const neither = await rejection(efs.send(new DescribeMountTargetsCommand({})));
    const unknown = await rejection(
      efs.send(new DescribeMountTargetsCommand({ MountTargetId: "fsmt-0nope" })),
    );
    const deleteUnknown = await rejection(
      efs.send(new DeleteMountTargetCommand({ MountTargetId: "fsmt-0nope" })),
    );
    // Assess
    expect(shape(neither)).toMatchObject({ name: "BadRequest", status: 400 });
    expect(shape(unknown)).toMatchObject({ name: "MountTargetNotFound", status: 404 });
    expect(shape(deleteUnknown)).toMatchObject({ name: "MountTargetNotFound", status: 404 });
  });
});

describe("efs: deletion and tags", () => {
  it("a file system with mount targets, even deleting ones (counted in NumberOfMountTargets), is FileSystemInUse; once they are gone it is deleting, then FileSystemNotFound", async () => {
    // Prepare
    const mt = await mountTarget("subnet-0dra");
    s.clock.advanceBy(TIMINGS.mountTargetCreateSeconds);
    // Act
    await efs.send(new DeleteMountTargetCommand({ MountTargetId: mt.MountTargetId }));
    const deletingTarget = (await efs.send(new DescribeMountTargetsCommand({ FileSystemId: fsId })))
      .MountTargets;
    const inUse = await rejection(efs.send(new DeleteFileSystemCommand({ FileSystemId: fsId })));
    const count = async () =>
      (await efs.send(new DescribeFileSystemsCommand({ FileSystemId: fsId }))).FileSystems?.[0]
        ?.NumberOfMountTargets;
    const countWhileDeleting = await count();
    s.clock.advanceBy(TIMINGS.mountTargetDeleteSeconds);
    const targets = (await efs.send(new DescribeMountTargetsCommand({ FileSystemId: fsId }))).MountTargets;
    const countGone = await count();
    await efs.send(new DeleteFileSystemCommand({ FileSystemId: fsId }));
    const deleting = (await efs.send(new DescribeFileSystemsCommand({ FileSystemId: fsId })))
      .FileSystems?.[0];
    s.clock.advanceBy(TIMINGS.efsDeleteSeconds);
    const gone = await rejection(efs.send(new DescribeFileSystemsCommand({ FileSystemId: fsId })));
    // Assess
    expect(deletingTarget?.map((m) => m.LifeCycleState)).toEqual(["deleting"]);
    expect(shape(inUse)).toMatchObject({ name: "FileSystemInUse", status: 409 });
    expect([countWhileDeleting, countGone]).toEqual([1, 0]);
    expect(targets).toEqual([]);
    expect(deleting?.LifeCycleState).toBe("deleting");
    expect(shape(gone)).toMatchObject({ name: "FileSystemNotFound", status: 404 });
  });

  it("tags a file system by id; its Name tag is the file system's Name", async () => {
    // Act
    await efs.send(
      new TagResourceCommand({
        ResourceId: fsId,
        Tags: [
          { Key: "Name", Value: "shared" },
          { Key: "drctl:execution", Value: "run-1" },
        ],
      }),
    );
    await efs.send(new UntagResourceCommand({ ResourceId: fsId, TagKeys: ["drctl:execution"] }));
    const tags = await efs.send(new ListTagsForResourceCommand({ ResourceId: fsId }));
    const fs = (await efs.send(new DescribeFileSystemsCommand({ FileSystemId: fsId }))).FileSystems?.[0];
    // Assess
    expect(tags.Tags).toEqual([{ Key: "Name", Value: "shared" }]);
    expect(fs?.Name).toBe("shared");
  });
});
