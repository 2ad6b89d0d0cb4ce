import {
  CreateMountTargetCommand,
  DeleteFileSystemCommand,
  DeleteMountTargetCommand,
  DescribeFileSystemsCommand,
  DescribeMountTargetsCommand,
  EFSClient,
  FileSystemNotFound,
  MountTargetConflict,
  TagResourceCommand,
} from "@aws-sdk/client-efs";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { efsApi } from "../../../functions/shared/aws/efs.js";
import { awsError } from "./helpers.js";

const efs = mockClient(EFSClient);
const api = efsApi(new EFSClient({ region: "us-west-2" }));

beforeEach(() => efs.reset());

const fs = (id: string) => ({
  FileSystemId: id,
  FileSystemArn: `arn:aws:elasticfilesystem:us-west-2:111122223333:file-system/${id}`,
  CreationToken: `tok-${id}`,
  LifeCycleState: "available" as const,
  Tags: [{ Key: "drctl:execution", Value: "r" }],
  OwnerId: "111122223333",
  CreationTime: new Date(),
  NumberOfMountTargets: 0,
  SizeInBytes: { Value: 0 },
  PerformanceMode: "generalPurpose" as const,
});

describe("efsApi.describeFileSystem", () => {
  it("maps the file system, with its number of mount targets", async () => {
    efs
      .on(DescribeFileSystemsCommand, { FileSystemId: "fs-1" })
      .resolves({ FileSystems: [{ ...fs("fs-1"), NumberOfMountTargets: 2 }] });
    await expect(api.describeFileSystem("fs-1")).resolves.toEqual({
      id: "fs-1",
      arn: "arn:aws:elasticfilesystem:us-west-2:111122223333:file-system/fs-1",
      creationToken: "tok-fs-1",
      lifeCycleState: "available",
      mountTargets: 2,
      tags: { "drctl:execution": "r" },
    });
  });

  it("returns undefined on FileSystemNotFound", async () => {
    efs
      .on(DescribeFileSystemsCommand)
      .rejects(new FileSystemNotFound({ message: "nope", ErrorCode: "FileSystemNotFound", $metadata: {} }));
    await expect(api.describeFileSystem("fs-9")).resolves.toBeUndefined();
  });
});

describe("efsApi.listFileSystems", () => {
  it("follows NextMarker", async () => {
    efs
      .on(DescribeFileSystemsCommand, { Marker: undefined })
      .resolves({ FileSystems: [fs("fs-1")], NextMarker: "m" })
      .on(DescribeFileSystemsCommand, { Marker: "m" })
      .resolves({ FileSystems: [fs("fs-2")] });
    expect((await api.listFileSystems()).map((f) => f.id)).toEqual(["fs-1", "fs-2"]);
    expect(efs.commandCalls(DescribeFileSystemsCommand)[1]?.args[0].input).toEqual({
      MaxItems: 100,
      Marker: "m",
    });
  });
});

describe("efsApi mount targets", () => {
  it("lists every page of mount targets", async () => {
    efs
      .on(DescribeMountTargetsCommand, { Marker: undefined })
      .resolves({
        MountTargets: [
          {
            MountTargetId: "fsmt-1",
            SubnetId: "subnet-1",
            LifeCycleState: "available",
            FileSystemId: "fs-1",
            OwnerId: "1",
          },
        ],
        NextMarker: "n",
      })
      .on(DescribeMountTargetsCommand, { Marker: "n" })
      .resolves({
        MountTargets: [
          {
            MountTargetId: "fsmt-2",
            SubnetId: "subnet-2",
            LifeCycleState: "creating",
            FileSystemId: "fs-1",
            OwnerId: "1",
          },
        ],
      });
    await expect(api.describeMountTargets("fs-1")).resolves.toEqual([
      { id: "fsmt-1", subnetId: "subnet-1", lifeCycleState: "available" },
      { id: "fsmt-2", subnetId: "subnet-2", lifeCycleState: "creating" },
    ]);
  });

  it("creates a mount target with the security groups", async () => {
    efs.on(CreateMountTargetCommand).resolves({
      MountTargetId: "fsmt-1",
      SubnetId: "subnet-1",
      LifeCycleState: "creating",
      FileSystemId: "fs-1",
      OwnerId: "1",
    });
    await expect(api.createMountTarget("fs-1", "subnet-1", ["sg-1"])).resolves.toEqual({
      id: "fsmt-1",
      subnetId: "subnet-1",
      lifeCycleState: "creating",
    });
    expect(efs.commandCalls(CreateMountTargetCommand)[0]?.args[0].input).toEqual({
      FileSystemId: "fs-1",
      SubnetId: "subnet-1",
      SecurityGroups: ["sg-1"],
    });
  });

  it("returns the existing mount target of the subnet on MountTargetConflict", async () => {
    efs
      .on(CreateMountTargetCommand)
      .rejects(
        new MountTargetConflict({ message: "exists", ErrorCode: "MountTargetConflict", $metadata: {} }),
      );
    efs.on(DescribeMountTargetsCommand).resolves({
      MountTargets: [
        {
          MountTargetId: "fsmt-0",
          SubnetId: "subnet-0",
          LifeCycleState: "available",
          FileSystemId: "fs-1",
          OwnerId: "1",
        },
        {
          MountTargetId: "fsmt-1",
          SubnetId: "subnet-1",
          LifeCycleState: "available",
          FileSystemId: "fs-1",
          OwnerId: "1",
        },
      ],
    });
    await expect(api.createMountTarget("fs-1", "subnet-1", ["sg-1"])).resolves.toMatchObject({
      id: "fsmt-1",
    });
  });

  it("fails when the conflicting mount target is in another subnet of the zone", async () => {
    efs
      .on(CreateMountTargetCommand)
      .rejects(
        new MountTargetConflict({ message: "exists", ErrorCode: "MountTargetConflict", $metadata: {} }),
      );
    efs.on(DescribeMountTargetsCommand).resolves({ MountTargets: [] });
    await expect(api.createMountTarget("fs-1", "subnet-1", ["sg-1"])).rejects.toMatchObject({
      name: "AwsCallFailed",
      message: expect.stringContaining("fs-1 in subnet-1"),
    });
  });

  it("deleting a gone mount target is a no-op", async () => {
    efs.on(DeleteMountTargetCommand).rejects(awsError("MountTargetNotFound", "gone", 404));
    await expect(api.deleteMountTarget("fsmt-1")).resolves.toBeUndefined();
  });
});

describe("efsApi tags and deletes", () => {
  it("tags the file system", async () => {
    efs.on(TagResourceCommand).resolves({});
    await api.tagResource("fs-1", { a: "1" });
    expect(efs.commandCalls(TagResourceCommand)[0]?.args[0].input).toEqual({
      ResourceId: "fs-1",
      Tags: [{ Key: "a", Value: "1" }],
    });
  });

  it("deleting a gone file system is a no-op; FileSystemInUse answers in-use; others fail", async () => {
    efs
      .on(DeleteFileSystemCommand)
      .rejectsOnce(
        new FileSystemNotFound({ message: "gone", ErrorCode: "FileSystemNotFound", $metadata: {} }),
      )
      .rejectsOnce(awsError("FileSystemInUse", "File system 'fs-1' has mount targets"))
      .rejects(awsError("BadRequest", "no"));
    await expect(api.deleteFileSystem("fs-1")).resolves.toBe("deleting");
    await expect(api.deleteFileSystem("fs-1")).resolves.toBe("in-use");
    await expect(api.deleteFileSystem("fs-1")).rejects.toMatchObject({
      name: "AwsCallFailed",
      message: "efs:DeleteFileSystem failed for fs-1: BadRequest: no",
    });
  });
});
