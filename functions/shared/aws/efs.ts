import {
  CreateMountTargetCommand,
  DeleteFileSystemCommand,
  DeleteMountTargetCommand,
  DescribeFileSystemsCommand,
  EFSClient,
  type FileSystemDescription,
  type MountTargetDescription,
  paginateDescribeFileSystems,
  paginateDescribeMountTargets,
  TagResourceCommand,
} from "@aws-sdk/client-efs";
import { AwsCallFailed } from "../errors.js";
import { clientConfig, memoClient } from "./clients.js";
import { callAws, callAwsOptional, hasCode } from "./errors.js";
import { noteTagged } from "./fresh-tags.js";
import { collectPages, collectPagesUnlessMissing, fromTagList, toTagList } from "./util.js";

export interface FileSystem {
  id: string;
  arn: string;
  creationToken: string;
  lifeCycleState: string;
  /** NumberOfMountTargets: the mount targets it has, deleting ones too (undefined: not answered). */
  mountTargets?: number;
  tags: Record<string, string>;
}

export interface MountTarget {
  id: string;
  subnetId: string;
  lifeCycleState: string;
}

/** The Amazon EFS operations drctl uses. Pagination happens inside. */
export interface EfsApi {
  /** DescribeFileSystems by id; undefined when FileSystemNotFound. */
  describeFileSystem(id: string): Promise<FileSystem | undefined>;
  /** Every file system in the region (all pages). */
  listFileSystems(): Promise<FileSystem[]>;
  describeMountTargets(fileSystemId: string): Promise<MountTarget[]>;
  /** CreateMountTarget; returns the existing one when the subnet already has one. */
  createMountTarget(fileSystemId: string, subnetId: string, securityGroupIds: string[]): Promise<MountTarget>;
  deleteMountTarget(mountTargetId: string): Promise<void>;
  tagResource(fileSystemId: string, tags: Record<string, string>): Promise<void>;
  /**
   * DeleteFileSystem; no-op when already gone. "in-use" (FileSystemInUse) while it still has
   * mount targets, deleting ones included.
   */
  deleteFileSystem(id: string): Promise<"deleting" | "in-use">;
}

const SERVICE = "efs";

function toFileSystem(f: FileSystemDescription): FileSystem {
  return {
    id: f.FileSystemId ?? "",
    arn: f.FileSystemArn ?? "",
    creationToken: f.CreationToken ?? "",
    lifeCycleState: f.LifeCycleState ?? "",
    ...(f.NumberOfMountTargets !== undefined && { mountTargets: f.NumberOfMountTargets }),
    tags: fromTagList(f.Tags),
  };
}

function toMountTarget(m: MountTargetDescription): MountTarget {
  return { id: m.MountTargetId ?? "", subnetId: m.SubnetId ?? "", lifeCycleState: m.LifeCycleState ?? "" };
}

export function efsApi(client: EFSClient): EfsApi {
  const describeMountTargets = async (fileSystemId: string): Promise<MountTarget[]> => {
    const targets = await collectPagesUnlessMissing(
      paginateDescribeMountTargets({ client, stopOnSameToken: true }, { FileSystemId: fileSystemId }),
      [SERVICE, "DescribeMountTargets", fileSystemId],
      (out) => out.MountTargets,
      (err) => hasCode(err, "FileSystemNotFound"),
    );
    return (targets ?? []).map(toMountTarget);
  };

  return {
    describeFileSystem: (id) =>
      callAwsOptional(SERVICE, "DescribeFileSystems", id, ["FileSystemNotFound"], async () => {
        const out = await client.send(new DescribeFileSystemsCommand({ FileSystemId: id }));
        const found = out.FileSystems?.[0];
        return found ? toFileSystem(found) : undefined;
      }),

    listFileSystems: async () =>
      (
        await collectPages(
          paginateDescribeFileSystems({ client, pageSize: 100, stopOnSameToken: true }, {}),
          [SERVICE, "DescribeFileSystems", "(all)"],
          (out) => out.FileSystems,
        )
      ).map(toFileSystem),

    describeMountTargets,

    createMountTarget: async (fileSystemId, subnetId, securityGroupIds) => {
      const created = await callAws<MountTarget | undefined>(
        SERVICE,
        "CreateMountTarget",
        `${fileSystemId} in ${subnetId}`,
        async () =>
          toMountTarget(
            await client.send(
              new CreateMountTargetCommand({
                FileSystemId: fileSystemId,
                SubnetId: subnetId,
                SecurityGroups: securityGroupIds,
              }),
            ),
          ),
        // The subnet (its availability zone) has a mount target already: use that one.
        (err) => (err.code === "MountTargetConflict" ? { value: undefined } : undefined),
      );
      if (created) return created;
      const existing = (await describeMountTargets(fileSystemId)).find((m) => m.subnetId === subnetId);
      if (!existing) {
        throw new AwsCallFailed(
          `efs:CreateMountTarget failed for ${fileSystemId} in ${subnetId}: MountTargetConflict, ` +
            "and the file system has no mount target in that subnet (another subnet of the same zone has one)",
        );
      }
      return existing;
    },

    deleteMountTarget: async (mountTargetId) => {
      await callAwsOptional(
        SERVICE,
        "DeleteMountTarget",
        mountTargetId,
        ["MountTargetNotFound"],
        async () => {
          await client.send(new DeleteMountTargetCommand({ MountTargetId: mountTargetId }));
        },
      );
    },

    tagResource: (fileSystemId, tags) =>
      callAws(SERVICE, "TagResource", fileSystemId, async () => {
        await client.send(new TagResourceCommand({ ResourceId: fileSystemId, Tags: toTagList(tags) }));
        noteTagged([fileSystemId]);
      }),

    deleteFileSystem: (id) =>
      callAws<"deleting" | "in-use">(
        SERVICE,
        "DeleteFileSystem",
        id,
        async () => {
          await client.send(new DeleteFileSystemCommand({ FileSystemId: id }));
          return "deleting";
        },
        (err) =>
          hasCode(err, "FileSystemNotFound")
            ? { value: "deleting" }
            : hasCode(err, "FileSystemInUse")
              ? { value: "in-use" }
              : undefined,
      ),
  };
}

/** The wrapper for this container and region (one client per service and region). */
export const efsFor = (region: string): EfsApi =>
  memoClient(`efs:${region}`, () => efsApi(new EFSClient(clientConfig("EFS", region))));
