/** Amazon EFS file systems and mount targets: creation, states on the virtual clock, output shapes. */
import type {
  FileSystemDescription,
  LifeCycleState,
  MountTargetDescription,
  PerformanceMode,
} from "@aws-sdk/client-efs";
import { SandboxError } from "../../types.js";
import type { FileSystem, MountTarget, Region, Tags, WorldCore } from "../model.js";
import { azIdOf, resourceArn } from "../naming.js";
import { AVAILABLE, lifecycleStatus } from "./lifecycle.js";
import { toTagList } from "./tags.js";

export const fsState = (f: FileSystem, now: number): LifeCycleState => lifecycleStatus(f, now, AVAILABLE);

export const mountTargetState = (m: MountTarget, now: number): LifeCycleState =>
  lifecycleStatus(m, now, AVAILABLE);

const fsNotFound = (id: string) =>
  new SandboxError("FileSystemNotFound", `File system '${id}' does not exist.`, 404);

export function newFileSystem(
  w: WorldCore,
  region: Region,
  at: number,
  o: {
    creationToken: string;
    encrypted: boolean;
    performanceMode: string;
    sizeBytes: number;
    tags?: Tags;
    createdByJob?: string;
  },
): FileSystem {
  const id = `fs-0${w.nextHex("efs", 16)}`;
  const f: FileSystem = {
    id,
    arn: resourceArn("efs", region.name, w.account, id),
    creationToken: o.creationToken,
    encrypted: o.encrypted,
    performanceMode: o.performanceMode,
    sizeBytes: o.sizeBytes,
    createdAt: at,
    readyAt: at,
    tags: { ...(o.tags ?? {}) },
    ...(o.createdByJob ? { createdByJob: o.createdByJob } : {}),
  };
  region.fileSystems.set(id, f);
  return f;
}

export function getFs(region: Region, id: string, now: number): FileSystem {
  const key = id.startsWith("arn:") ? (id.split("/").pop() ?? id) : id;
  const f = region.fileSystems.get(key);
  if (!f || (f.goneAt !== undefined && f.goneAt <= now)) throw fsNotFound(id);
  return f;
}

export function mountTargetsOf(region: Region, fsId: string): MountTarget[] {
  return [...region.mountTargets.values()].filter((m) => m.fileSystemId === fsId);
}

export function fsOut(w: WorldCore, region: Region, f: FileSystem, now: number): FileSystemDescription {
  return {
    OwnerId: w.account,
    CreationToken: f.creationToken,
    FileSystemId: f.id,
    FileSystemArn: f.arn,
    CreationTime: new Date(f.createdAt),
    LifeCycleState: fsState(f, now),
    ...(f.tags.Name !== undefined ? { Name: f.tags.Name } : {}),
    NumberOfMountTargets: mountTargetsOf(region, f.id).length,
    SizeInBytes: { Value: f.sizeBytes, Timestamp: new Date(now) },
    // The mode the file system was created with (restore metadata): one EFS knows.
    PerformanceMode: f.performanceMode as PerformanceMode,
    Encrypted: f.encrypted,
    ThroughputMode: "bursting",
    FileSystemProtection: { ReplicationOverwriteProtection: "ENABLED" },
    Tags: toTagList(f.tags),
  };
}

export function mtOut(w: WorldCore, m: MountTarget, now: number): MountTargetDescription {
  return {
    OwnerId: w.account,
    MountTargetId: m.id,
    FileSystemId: m.fileSystemId,
    SubnetId: m.subnetId,
    LifeCycleState: mountTargetState(m, now),
    IpAddress: m.ip,
    NetworkInterfaceId: m.eni,
    AvailabilityZoneName: m.az,
    AvailabilityZoneId: azIdOf(m.az),
    VpcId: m.vpcId,
  };
}
