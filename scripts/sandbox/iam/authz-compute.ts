/**
 * EC2 and EFS operations → IAM requests (Service Authorization Reference: "Actions, resources, and
 * condition keys for Amazon EC2 / Amazon Elastic File System").
 *
 * - EC2 Describe* support no resource-level permissions: `*`.
 * - AttachVolume is authorized on the instance AND the volume; DetachVolume on the volume and, when
 *   the request or the attachment names one, the instance.
 * - EFS CreateMountTarget also needs ec2:CreateNetworkInterface (subnet, security groups, the new
 *   interface), ec2:DescribeSubnets and ec2:DescribeNetworkInterfaces; DeleteMountTarget needs
 *   ec2:DeleteNetworkInterface on the mount target's interface (EFS API reference, CreateMountTarget
 *   and DeleteMountTarget: "This operation also requires permissions for the following Amazon EC2
 *   actions").
 */
import {
  ANY,
  arnOf,
  freshId,
  just,
  type MapCtx,
  type Mapper,
  need,
  on,
  type ResourceRef,
  requestTagContext,
  str,
  strs,
  tagsOf,
} from "./requests.js";

/** The ARN and SAR type of an EC2 resource id (by its prefix). */
export function ec2Resource(ctx: MapCtx, id: string): ResourceRef {
  const byPrefix: [string, string][] = [
    ["i-", "instance"],
    ["vol-", "volume"],
    ["eni-", "network-interface"],
    ["subnet-", "subnet"],
    ["sg-", "security-group"],
    ["vpc-", "vpc"],
  ];
  if (id.startsWith("snap-")) return on(arnOf(ctx, "ec2", `snapshot/${id}`, ctx.region, ""), "snapshot");
  if (id.startsWith("ami-")) return on(arnOf(ctx, "ec2", `image/${id}`, ctx.region, ""), "image");
  const type = byPrefix.find(([p]) => id.startsWith(p))?.[1] ?? "instance";
  return on(arnOf(ctx, "ec2", `${type}/${id}`), type);
}

const describe =
  (action: string): Mapper =>
  () =>
    just(need(`ec2:${action}`, [ANY]));

export const EC2: Record<string, Mapper> = {
  DescribeInstances: describe("DescribeInstances"),
  DescribeInstanceStatus: describe("DescribeInstanceStatus"),
  DescribeVolumes: describe("DescribeVolumes"),
  DescribeSubnets: describe("DescribeSubnets"),
  DescribeSecurityGroups: describe("DescribeSecurityGroups"),
  DescribeVpcs: describe("DescribeVpcs"),
  DescribeAvailabilityZones: describe("DescribeAvailabilityZones"),
  DescribeSnapshots: describe("DescribeSnapshots"),
  DescribeImages: describe("DescribeImages"),
  AttachVolume: (ctx) =>
    just(
      need("ec2:AttachVolume", [
        ec2Resource(ctx, str(ctx.input, "InstanceId") ?? ""),
        ec2Resource(ctx, str(ctx.input, "VolumeId") ?? ""),
      ]),
    ),
  DetachVolume: (ctx) => {
    const volumeId = str(ctx.input, "VolumeId") ?? "";
    const attachedTo = ctx.world.region(ctx.region).volumes.get(volumeId)?.attachment?.instanceId;
    const instanceId = str(ctx.input, "InstanceId") ?? attachedTo;
    const resources = [ec2Resource(ctx, volumeId)];
    if (instanceId) resources.unshift(ec2Resource(ctx, instanceId));
    return just(need("ec2:DetachVolume", resources));
  },
  DeleteVolume: (ctx) => just(need("ec2:DeleteVolume", [ec2Resource(ctx, str(ctx.input, "VolumeId") ?? "")])),
  TerminateInstances: (ctx) =>
    just(
      need(
        "ec2:TerminateInstances",
        strs(ctx.input, "InstanceIds").map((id) => ec2Resource(ctx, id)),
      ),
    ),
  CreateTags: (ctx) => {
    const resources = strs(ctx.input, "Resources").map((id) => ec2Resource(ctx, id));
    return {
      required: [need("ec2:CreateTags", resources, requestTagContext(tagsOf(ctx.input.Tags)))],
      tagsChanged: resources.map((r) => r.arn),
    };
  },
  DeleteTags: (ctx) => {
    const resources = strs(ctx.input, "Resources").map((id) => ec2Resource(ctx, id));
    const keys = Object.keys(tagsOf(ctx.input.Tags));
    return {
      required: [need("ec2:DeleteTags", resources, keys.length > 0 ? { "aws:TagKeys": keys } : undefined)],
      tagsChanged: resources.map((r) => r.arn),
    };
  },
};

const fileSystem = (ctx: MapCtx, id: string): ResourceRef =>
  on(arnOf(ctx, "elasticfilesystem", `file-system/${id}`), "file-system");

/** EFS tagging names a file system (fs-…) or an access point (fsap-…). */
const efsTaggable = (ctx: MapCtx, id: string): ResourceRef =>
  id.startsWith("fsap-")
    ? on(arnOf(ctx, "elasticfilesystem", `access-point/${id}`), "access-point")
    : fileSystem(ctx, id);

/** The file system of a mount target (the ARN with `*` when the mount target does not exist). */
function mountTarget(ctx: MapCtx, id: string) {
  const m = ctx.world.region(ctx.region).mountTargets.get(id);
  return { fs: fileSystem(ctx, m?.fileSystemId ?? "*"), eni: m?.eni };
}

export const EFS: Record<string, Mapper> = {
  DescribeFileSystems: (ctx) => {
    const id = str(ctx.input, "FileSystemId");
    return just(need("elasticfilesystem:DescribeFileSystems", [id ? fileSystem(ctx, id) : ANY]));
  },
  CreateMountTarget: (ctx) => {
    const subnetId = str(ctx.input, "SubnetId") ?? "";
    const groups = strs(ctx.input, "SecurityGroups");
    return just(
      need("elasticfilesystem:CreateMountTarget", [fileSystem(ctx, str(ctx.input, "FileSystemId") ?? "")]),
      need("ec2:DescribeSubnets", [ANY]),
      need("ec2:DescribeNetworkInterfaces", [ANY]),
      need("ec2:CreateNetworkInterface", [
        ec2Resource(ctx, freshId(ctx, "eni-0")),
        ec2Resource(ctx, subnetId),
        ...groups.map((g) => ec2Resource(ctx, g)),
      ]),
    );
  },
  DescribeMountTargets: (ctx) => {
    const fsId = str(ctx.input, "FileSystemId");
    const mtId = str(ctx.input, "MountTargetId");
    const fs = fsId ? fileSystem(ctx, fsId) : mtId ? mountTarget(ctx, mtId).fs : ANY;
    return just(need("elasticfilesystem:DescribeMountTargets", [fs]));
  },
  DeleteMountTarget: (ctx) => {
    const m = mountTarget(ctx, str(ctx.input, "MountTargetId") ?? "");
    const required = [need("elasticfilesystem:DeleteMountTarget", [m.fs])];
    if (m.eni) required.push(need("ec2:DeleteNetworkInterface", [ec2Resource(ctx, m.eni)]));
    return { required };
  },
  DeleteFileSystem: (ctx) =>
    just(need("elasticfilesystem:DeleteFileSystem", [fileSystem(ctx, str(ctx.input, "FileSystemId") ?? "")])),
  TagResource: (ctx) => {
    const r = efsTaggable(ctx, str(ctx.input, "ResourceId") ?? "");
    return {
      required: [need("elasticfilesystem:TagResource", [r], requestTagContext(tagsOf(ctx.input.Tags)))],
      tagsChanged: [r.arn],
    };
  },
  UntagResource: (ctx) => {
    const r = efsTaggable(ctx, str(ctx.input, "ResourceId") ?? "");
    return {
      required: [need("elasticfilesystem:UntagResource", [r], { "aws:TagKeys": strs(ctx.input, "TagKeys") })],
      tagsChanged: [r.arn],
    };
  },
  ListTagsForResource: (ctx) =>
    just(
      need("elasticfilesystem:ListTagsForResource", [efsTaggable(ctx, str(ctx.input, "ResourceId") ?? "")]),
    ),
};
