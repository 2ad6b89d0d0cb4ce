import type { EFSClient } from "@aws-sdk/client-efs";

export interface FileSystem {
  id: string;
  arn: string;
  creationToken: string;
  lifeCycleState: string;
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
  /** DeleteFileSystem; no-op when already gone. Fails while mount targets exist. */
  deleteFileSystem(id: string): Promise<void>;
}

export function efsApi(_client: EFSClient): EfsApi {
  throw new Error("efsApi: not implemented yet");
}
