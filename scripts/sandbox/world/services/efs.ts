/** Amazon EFS: restored file systems and their mount targets. */
import { SandboxError } from "../../types.js";
import { optNumber, optString, rangeMessage, requireString, stringList } from "../errors.js";
import { type Efs, serviceHandlers } from "../handlers.js";
import { type MountTarget, TIMINGS } from "../model.js";
import { hashHex } from "../naming.js";
import { cappedMax, paginate } from "../paging.js";
import { removeWhenGone } from "../schedule.js";
import { fsOut, fsState, getFs, mountTargetsOf, mtOut } from "./efs-entities.js";
import { fromTagList, toTagList } from "./tags.js";

export { fsState, mountTargetState, newFileSystem } from "./efs-entities.js";

/** Security groups per mount target (per network interface: the VPC quota's default, 5). */
const MAX_SECURITY_GROUPS = 5;

const badMarker = (m: string) => new SandboxError("BadRequest", `Invalid Marker ${m}`, 400);

/** EFS pages its Describe calls at 100 items: a larger MaxItems gets 100, below 1 is refused. */
type Paged = { MaxItems?: number | undefined; Marker?: string | undefined };
const page = <T>(list: T[], input: Paged, scope: string) =>
  paginate(
    list,
    { max: maxItems(input), token: optString(input, "Marker"), defaultMax: 100, scope },
    badMarker,
  );
const maxItems = (input: Paged) =>
  cappedMax(
    optNumber(input, "MaxItems"),
    100,
    1,
    (m) => new SandboxError("BadRequest", rangeMessage("MaxItems", m, 1, 100), 400),
  );

export const efsHandlers = serviceHandlers<Efs>()({
  DescribeFileSystems({ world, region, input, now }) {
    const id = optString(input, "FileSystemId");
    const token = optString(input, "CreationToken");
    let list = [...region.fileSystems.values()];
    if (id !== undefined) list = [getFs(region, id, now)];
    if (token !== undefined) list = list.filter((f) => f.creationToken === token);
    const found = page(list, input, "efs:fs");
    return {
      FileSystems: found.items.map((f) => fsOut(world, region, f, now)),
      ...(found.next ? { NextMarker: found.next } : {}),
    };
  },

  CreateMountTarget({ world, region, input, now }) {
    const f = getFs(region, requireString("efs", input, "FileSystemId"), now);
    const subnetId = requireString("efs", input, "SubnetId");
    const subnet = region.subnets.get(subnetId);
    if (!subnet) throw new SandboxError("SubnetNotFound", `The subnet ID '${subnetId}' does not exist`, 400);
    if (fsState(f, now) !== "available") {
      throw new SandboxError(
        "IncorrectFileSystemLifeCycleState",
        `File system '${f.id}' is not available.`,
        409,
      );
    }
    const sgIds = stringList(input, "SecurityGroups");
    if (sgIds.length > MAX_SECURITY_GROUPS) {
      throw new SandboxError(
        "SecurityGroupLimitExceeded",
        `At most ${MAX_SECURITY_GROUPS} security groups may be specified.`,
        400,
      );
    }
    // "one of the specified security groups doesn't exist in the subnet's VPC" (model).
    for (const sg of sgIds) {
      if (region.securityGroups.get(sg)?.vpcId !== subnet.vpcId) {
        throw new SandboxError(
          "SecurityGroupNotFound",
          `The security group '${sg}' does not exist in VPC '${subnet.vpcId}'`,
          400,
        );
      }
    }
    const existing = mountTargetsOf(region, f.id);
    if (existing.some((m) => m.az === subnet.az)) {
      throw new SandboxError(
        "MountTargetConflict",
        `mount target already exists in this AZ (${subnet.az})`,
        409,
      );
    }
    if (existing.some((m) => m.vpcId !== subnet.vpcId)) {
      throw new SandboxError(
        "MountTargetConflict",
        "All mount targets of a file system must be in the same VPC",
        409,
      );
    }
    const h = world.nextHex("mt", 17);
    const m: MountTarget = {
      id: `fsmt-0${h.slice(0, 16)}`,
      fileSystemId: f.id,
      subnetId,
      az: subnet.az,
      vpcId: subnet.vpcId,
      ip: `${subnet.cidr.split(".").slice(0, 3).join(".")}.${(Number.parseInt(h.slice(0, 2), 16) % 200) + 20}`,
      sgIds: sgIds.length ? sgIds : [...(region.network?.securityGroupIds.slice(0, 1) ?? [])],
      eni: `eni-0${hashHex(h).slice(0, 16)}`,
      createdAt: now,
      readyAt: now + TIMINGS.mountTargetCreateSeconds * 1000,
      tags: {},
    };
    region.mountTargets.set(m.id, m);
    return mtOut(world, m, now);
  },

  DescribeMountTargets({ world, region, input, now }) {
    const fsId = optString(input, "FileSystemId");
    const mtId = optString(input, "MountTargetId");
    if (!fsId && !mtId && !optString(input, "AccessPointId")) {
      throw new SandboxError(
        "BadRequest",
        "Either FileSystemId, MountTargetId or AccessPointId must be specified",
        400,
      );
    }
    let list: MountTarget[];
    if (mtId) {
      const m = region.mountTargets.get(mtId);
      if (!m) throw new SandboxError("MountTargetNotFound", `Mount target '${mtId}' does not exist.`, 404);
      list = [m];
    } else {
      list = mountTargetsOf(region, getFs(region, fsId ?? "", now).id);
    }
    const found = page(list, input, "efs:mt");
    return {
      MountTargets: found.items.map((m) => mtOut(world, m, now)),
      ...(found.next ? { NextMarker: found.next } : {}),
    };
  },

  DeleteMountTarget({ world, region, input, now }) {
    const id = requireString("efs", input, "MountTargetId");
    const m = region.mountTargets.get(id);
    if (!m) throw new SandboxError("MountTargetNotFound", `Mount target '${id}' does not exist.`, 404);
    if (m.deletingAt === undefined) {
      m.deletingAt = now;
      m.goneAt = now + TIMINGS.mountTargetDeleteSeconds * 1000;
      removeWhenGone(world, region.mountTargets, m.id, m);
    }
    return {};
  },

  DeleteFileSystem({ world, region, input, now }) {
    const f = getFs(region, requireString("efs", input, "FileSystemId"), now);
    if (mountTargetsOf(region, f.id).length > 0) {
      throw new SandboxError(
        "FileSystemInUse",
        `File system '${f.id}' has mount targets and cannot be deleted.`,
        409,
      );
    }
    if (f.deletingAt === undefined) {
      f.deletingAt = now;
      f.goneAt = now + TIMINGS.efsDeleteSeconds * 1000;
      removeWhenGone(world, region.fileSystems, f.id, f);
    }
    return {};
  },

  TagResource({ region, input, now }) {
    const f = getFs(region, requireString("efs", input, "ResourceId"), now);
    f.tags = { ...f.tags, ...fromTagList(input.Tags) };
    return {};
  },

  UntagResource({ region, input, now }) {
    const f = getFs(region, requireString("efs", input, "ResourceId"), now);
    for (const k of stringList(input, "TagKeys")) delete f.tags[k];
    return {};
  },

  ListTagsForResource({ region, input, now }) {
    const f = getFs(region, requireString("efs", input, "ResourceId"), now);
    return { Tags: toTagList(f.tags) };
  },
});
