/** Amazon EC2: instances, volumes, subnets, security groups of both regions. */
import { SandboxError } from "../../types.js";
import { invalid, optBool, optString, requireString, stringList } from "../errors.js";
import {
  type Ctx,
  type Handlers,
  type Instance,
  type Region,
  type Tags,
  TIMINGS,
  type Volume,
  type WorldCore,
} from "../model.js";
import { azOf, hashHex, primaryInstanceTag, resourceArn, sourceId, splitTag } from "../naming.js";
import { checkStatusIds, describePage, filtersOf, matches } from "./ec2-describe.js";

const STATE_CODES: Record<string, number> = {
  pending: 0,
  running: 16,
  "shutting-down": 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

export function instanceState(i: Instance, now: number): { Code: number; Name: string } {
  let name = "pending";
  if (i.deletingAt !== undefined && i.deletingAt <= now) {
    name = i.goneAt !== undefined && i.goneAt <= now ? "terminated" : "shutting-down";
  } else if (i.readyAt <= now) name = "running";
  return { Code: STATE_CODES[name] ?? 0, Name: name };
}

export function volumeState(v: Volume, now: number): string {
  if (v.deletingAt !== undefined && v.deletingAt <= now) return "deleting";
  if (v.readyAt > now) return "creating";
  if (v.attachment && (v.attachment.detachedAt === undefined || v.attachment.detachedAt > now))
    return "in-use";
  return "available";
}

function attachmentState(v: Volume, now: number): string | undefined {
  const a = v.attachment;
  if (!a) return undefined;
  if (a.detachedAt !== undefined && a.detachedAt <= now) return undefined;
  if (a.detachingAt !== undefined && a.detachingAt <= now) return "detaching";
  return a.readyAt <= now ? "attached" : "attaching";
}

export const toTagList = (tags: Tags) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

export function fromTagList(v: unknown): Tags {
  const out: Tags = {};
  if (Array.isArray(v)) {
    for (const t of v as { Key?: unknown; Value?: unknown }[]) {
      if (typeof t?.Key === "string") out[t.Key] = typeof t.Value === "string" ? t.Value : "";
    }
  }
  return out;
}

/** Seeds a region's network: the scenario's DR network in the recovery region, its own in the primary. */
export function seedNetwork(w: WorldCore, region: Region, t0: number): void {
  const net = region.network;
  if (!net) return;
  const octet = region === w.recovery ? 20 : 10;
  region.vpcs.set(net.vpcId, {
    id: net.vpcId,
    cidr: `10.${octet}.0.0/16`,
    isDefault: false,
    tags: { Name: `${w.app}-vpc` },
  });
  net.subnetIds.forEach((id, i) => {
    region.subnets.set(id, {
      id,
      vpcId: net.vpcId,
      az: azOf(region.name, i),
      cidr: `10.${octet}.${i}.0/24`,
      tags: {},
    });
  });
  net.securityGroupIds.forEach((id, i) => {
    region.securityGroups.set(id, {
      id,
      name: `${w.app}-sg-${i + 1}`,
      vpcId: net.vpcId,
      description: `${w.app} security group`,
      tags: {},
    });
  });
  region.dbSubnetGroups.set(net.dbSubnetGroup, {
    name: net.dbSubnetGroup,
    vpcId: net.vpcId,
    subnetIds: [...net.subnetIds],
  });
  void t0;
}

/** Launches an instance in a subnet of the region. */
export function launchInstance(
  w: WorldCore,
  region: Region,
  at: number,
  o: {
    id?: string;
    subnetId: string;
    tags: Tags;
    instanceType?: string;
    imageId?: string;
    sgIds?: string[];
    healthy?: boolean;
  },
): Instance {
  const subnet = region.subnets.get(o.subnetId);
  const id = o.id ?? `i-0${w.nextHex("instance", 16)}`;
  const h = hashHex(id);
  const inst: Instance = {
    id,
    arn: resourceArn("ec2", region.name, w.account, id),
    instanceType: o.instanceType ?? "t3.medium",
    imageId: o.imageId ?? `ami-0${h.slice(0, 16)}`,
    az: subnet?.az ?? azOf(region.name, 0),
    subnetId: o.subnetId,
    vpcId: subnet?.vpcId ?? "",
    sgIds: o.sgIds ?? (region.network ? [...region.network.securityGroupIds] : []),
    privateIp: `${subnet?.cidr.split(".").slice(0, 3).join(".") ?? "10.0.0"}.${(Number.parseInt(h.slice(0, 2), 16) % 200) + 20}`,
    healthy: o.healthy ?? true,
    createdAt: at,
    readyAt: at,
    tags: { ...o.tags },
  };
  region.instances.set(id, inst);
  return inst;
}

/** The primary region: the app's instances (for detect) and the protected resources themselves. */
export function seedPrimary(w: WorldCore, t0: number): void {
  const p = w.primary;
  const s = w.scenario;
  const subnets = p.network?.subnetIds ?? [];
  const [appKey, appValue] = splitTag(primaryInstanceTag(w.app));
  subnets.forEach((subnetId, i) => {
    launchInstance(w, p, t0 - 30 * 86400_000, {
      id: `i-0${hashHex(s.name, "primary-app", String(i)).slice(0, 16)}`,
      subnetId,
      tags: { [appKey]: appValue, role: "app", Name: `${w.app}-app-${i + 1}` },
      healthy: s.primary.healthy,
    });
  });
  const created = t0 - 90 * 86400_000;
  for (const r of s.resources) {
    const id = sourceId(s, r);
    w.remember(id, r.name);
    const tags = { ...r.tags, Name: r.name };
    if (r.type === "ec2") {
      launchInstance(w, p, created, { id, subnetId: subnets[0] ?? "", tags, healthy: s.primary.healthy });
    } else if (r.type === "ebs") {
      p.volumes.set(id, {
        id,
        arn: resourceArn("ebs", p.name, w.account, id),
        az: azOf(p.name, 0),
        sizeGiB: r.recoveryPoints.sizeGiB,
        volumeType: "gp3",
        encrypted: true,
        iops: 3000,
        createdAt: created,
        readyAt: created,
        tags,
      });
    }
  }
}

// --- outputs ----------------------------------------------------------------------------------

function instanceOut(region: Region, i: Instance, now: number) {
  const volumes = [...region.volumes.values()].filter(
    (v) => v.attachment?.instanceId === i.id && attachmentState(v, now),
  );
  return {
    InstanceId: i.id,
    ImageId: i.imageId,
    InstanceType: i.instanceType,
    State: instanceState(i, now),
    Placement: { AvailabilityZone: i.az, Tenancy: "default" },
    SubnetId: i.subnetId,
    VpcId: i.vpcId,
    PrivateIpAddress: i.privateIp,
    PrivateDnsName: `ip-${i.privateIp.replace(/\./g, "-")}.${region.name}.compute.internal`,
    LaunchTime: new Date(i.createdAt),
    Architecture: "x86_64",
    Hypervisor: "xen",
    RootDeviceName: "/dev/xvda",
    RootDeviceType: "ebs",
    SecurityGroups: i.sgIds.map((id) => ({
      GroupId: id,
      GroupName: region.securityGroups.get(id)?.name ?? id,
    })),
    BlockDeviceMappings: volumes.map((v) => ({
      DeviceName: v.attachment?.device,
      Ebs: {
        VolumeId: v.id,
        Status: attachmentState(v, now),
        AttachTime: new Date(v.attachment?.attachedAt ?? now),
        DeleteOnTermination: false,
      },
    })),
    Tags: toTagList(i.tags),
  };
}

function volumeOut(v: Volume, now: number) {
  const state = attachmentState(v, now);
  return {
    VolumeId: v.id,
    Size: v.sizeGiB,
    AvailabilityZone: v.az,
    State: volumeState(v, now),
    CreateTime: new Date(v.createdAt),
    VolumeType: v.volumeType,
    Encrypted: v.encrypted,
    Iops: v.iops,
    MultiAttachEnabled: false,
    ...(v.snapshotId ? { SnapshotId: v.snapshotId } : {}),
    Attachments:
      v.attachment && state
        ? [
            {
              VolumeId: v.id,
              InstanceId: v.attachment.instanceId,
              Device: v.attachment.device,
              State: state,
              AttachTime: new Date(v.attachment.attachedAt),
              DeleteOnTermination: false,
            },
          ]
        : [],
    Tags: toTagList(v.tags),
  };
}

function getInstance(region: Region, id: string): Instance {
  const i = region.instances.get(id);
  if (!i) throw new SandboxError("InvalidInstanceID.NotFound", `The instance ID '${id}' does not exist`, 400);
  return i;
}

function getVolume(region: Region, id: string, now: number): Volume {
  const v = region.volumes.get(id);
  if (!v || (v.goneAt !== undefined && v.goneAt <= now)) {
    throw new SandboxError("InvalidVolume.NotFound", `The volume '${id}' does not exist.`, 400);
  }
  return v;
}

function primaryOutage(ctx: Ctx): boolean {
  return ctx.region === ctx.world.primary && !ctx.world.scenario.primary.healthy;
}

// --- handlers ---------------------------------------------------------------------------------

export const ec2Handlers: Handlers = {
  DescribeInstances(ctx) {
    const { region, input, now } = ctx;
    const ids = stringList(input, "InstanceIds");
    for (const id of ids) getInstance(region, id);
    const filters = filtersOf(input);
    const list = [...region.instances.values()].filter(
      (i) =>
        (ids.length === 0 || ids.includes(i.id)) &&
        matches(filters, i.tags, {
          "instance-id": [i.id],
          "instance-state-name": [instanceState(i, now).Name],
          "instance-state-code": [String(instanceState(i, now).Code)],
          "subnet-id": [i.subnetId],
          "vpc-id": [i.vpcId],
          "availability-zone": [i.az],
          "instance-type": [i.instanceType],
          "image-id": [i.imageId],
        }),
    );
    const page = describePage(list, input, {
      scope: "ec2:instances",
      pageLimit: 1000,
      ids,
      idsExcludeMaxResults: "instancesSet",
    });
    return {
      Reservations: page.items.map((i) => ({
        ReservationId: `r-0${hashHex(i.id).slice(0, 16)}`,
        OwnerId: ctx.world.account,
        Groups: [],
        Instances: [instanceOut(region, i, now)],
      })),
      ...(page.next ? { NextToken: page.next } : {}),
    };
  },

  DescribeInstanceStatus(ctx) {
    const { region, input, now } = ctx;
    if (primaryOutage(ctx)) {
      throw new SandboxError("Unavailable", "The service is unavailable. Please try again shortly.", 503);
    }
    const ids = stringList(input, "InstanceIds");
    checkStatusIds(ids);
    for (const id of ids) getInstance(region, id);
    const all = optBool(input, "IncludeAllInstances") ?? false;
    const filters = filtersOf(input);
    const list = [...region.instances.values()].filter((i) => {
      const state = instanceState(i, now).Name;
      if (ids.length > 0 && !ids.includes(i.id)) return false;
      if (!all && state !== "running") return false;
      return matches(filters, {}, { "instance-state-name": [state], "availability-zone": [i.az] });
    });
    const page = describePage(list, input, {
      scope: "ec2:status",
      pageLimit: 1000,
      ids,
      idsExcludeMaxResults: "instancesSet",
    });
    return {
      InstanceStatuses: page.items.map((i) => {
        const state = instanceState(i, now);
        const running = state.Name === "running";
        const status = !running ? "not-applicable" : i.healthy ? "ok" : "impaired";
        const detail = !running ? "not-applicable" : i.healthy ? "passed" : "failed";
        return {
          InstanceId: i.id,
          AvailabilityZone: i.az,
          InstanceState: state,
          InstanceStatus: { Status: status, Details: [{ Name: "reachability", Status: detail }] },
          SystemStatus: { Status: status, Details: [{ Name: "reachability", Status: detail }] },
        };
      }),
      ...(page.next ? { NextToken: page.next } : {}),
    };
  },

  DescribeVolumes(ctx) {
    const { region, input, now } = ctx;
    const ids = stringList(input, "VolumeIds");
    for (const id of ids) getVolume(region, id, now);
    const filters = filtersOf(input);
    const list = [...region.volumes.values()].filter(
      (v) =>
        (ids.length === 0 || ids.includes(v.id)) &&
        matches(filters, v.tags, {
          "volume-id": [v.id],
          status: [volumeState(v, now)],
          "availability-zone": [v.az],
          "attachment.instance-id": v.attachment ? [v.attachment.instanceId] : [],
          "attachment.status": v.attachment ? [attachmentState(v, now) ?? ""] : [],
          "volume-type": [v.volumeType],
          "snapshot-id": v.snapshotId ? [v.snapshotId] : [],
        }),
    );
    const page = describePage(list, input, { scope: "ec2:volumes", pageLimit: 1000, ids });
    return {
      Volumes: page.items.map((v) => volumeOut(v, now)),
      ...(page.next ? { NextToken: page.next } : {}),
    };
  },

  AttachVolume(ctx) {
    const { region, input, now } = ctx;
    const volumeId = requireString("ec2", input, "VolumeId");
    const instanceId = requireString("ec2", input, "InstanceId");
    const device = requireString("ec2", input, "Device");
    const v = getVolume(region, volumeId, now);
    const i = getInstance(region, instanceId);
    const state = volumeState(v, now);
    if (state === "in-use") {
      throw new SandboxError("VolumeInUse", `${volumeId} is already attached to an instance`, 400);
    }
    if (state !== "available") {
      throw new SandboxError("IncorrectState", `vol '${volumeId}' is not 'available'.`, 400);
    }
    if (instanceState(i, now).Name !== "running") {
      throw new SandboxError("IncorrectState", `Instance '${instanceId}' is not 'running'.`, 400);
    }
    if (v.az !== i.az) {
      throw new SandboxError(
        "InvalidVolume.ZoneMismatch",
        `The volume '${volumeId}' is not in the same availability zone as instance '${instanceId}'`,
        400,
      );
    }
    const taken = [...region.volumes.values()].some(
      (o) =>
        o.attachment?.instanceId === instanceId && o.attachment.device === device && attachmentState(o, now),
    );
    if (taken) throw invalid("ec2", `Attachment point ${device} is already in use`);
    const readyAt = now + TIMINGS.volumeAttachSeconds * 1000;
    v.attachment = { instanceId, device, attachedAt: now, readyAt };
    region.integrationMarks.push({
      calledAt: now,
      doneAt: readyAt,
      what: `attach ${volumeId} ${instanceId}`,
    });
    return {
      VolumeId: volumeId,
      InstanceId: instanceId,
      Device: device,
      State: "attaching",
      AttachTime: new Date(now),
    };
  },

  DetachVolume(ctx) {
    const { region, input, now } = ctx;
    const volumeId = requireString("ec2", input, "VolumeId");
    const v = getVolume(region, volumeId, now);
    const a = v.attachment;
    const state = attachmentState(v, now);
    const wanted = optString(input, "InstanceId");
    if (!a || !state || (wanted !== undefined && wanted !== a.instanceId)) {
      throw new SandboxError(
        "IncorrectState",
        `Volume '${volumeId}' is in the '${volumeState(v, now)}' state.`,
        400,
      );
    }
    if (a.detachingAt === undefined) {
      a.detachingAt = now;
      a.detachedAt = now + TIMINGS.volumeDetachSeconds * 1000;
    }
    return {
      VolumeId: volumeId,
      InstanceId: a.instanceId,
      Device: a.device,
      State: "detaching",
      AttachTime: new Date(a.attachedAt),
    };
  },

  DeleteVolume(ctx) {
    const { region, input, now } = ctx;
    const volumeId = requireString("ec2", input, "VolumeId");
    const v = getVolume(region, volumeId, now);
    const state = volumeState(v, now);
    if (state === "in-use")
      throw new SandboxError(
        "VolumeInUse",
        `Volume ${volumeId} is currently attached to ${v.attachment?.instanceId}`,
        400,
      );
    if (state !== "deleting") {
      v.deletingAt = now;
      v.goneAt = now + TIMINGS.volumeDeleteSeconds * 1000;
    }
    return {};
  },

  TerminateInstances(ctx) {
    const { region, input, now } = ctx;
    const ids = stringList(input, "InstanceIds");
    if (ids.length === 0)
      throw new SandboxError("MissingParameter", "The request must contain the parameter InstanceIds", 400);
    const instances = ids.map((id) => getInstance(region, id));
    return {
      TerminatingInstances: instances.map((i) => {
        const previous = instanceState(i, now);
        terminate(region, i, now);
        return { InstanceId: i.id, PreviousState: previous, CurrentState: instanceState(i, now) };
      }),
    };
  },

  CreateTags(ctx) {
    const { region, input, now } = ctx;
    const ids = stringList(input, "Resources");
    if (ids.length === 0)
      throw new SandboxError("MissingParameter", "The request must contain the parameter ResourceId", 400);
    const tags = fromTagList(input.Tags);
    for (const id of ids) taggable(region, id, now).tags = { ...taggable(region, id, now).tags, ...tags };
    return {};
  },

  DeleteTags(ctx) {
    const { region, input, now } = ctx;
    const tags = fromTagList(input.Tags);
    for (const id of stringList(input, "Resources")) {
      const t = taggable(region, id, now);
      for (const k of Object.keys(tags)) delete t.tags[k];
    }
    return {};
  },

  DescribeSubnets(ctx) {
    const { region, input } = ctx;
    const ids = stringList(input, "SubnetIds");
    for (const id of ids) {
      if (!region.subnets.has(id)) {
        throw new SandboxError("InvalidSubnetID.NotFound", `The subnet ID '${id}' does not exist`, 400);
      }
    }
    const filters = filtersOf(input);
    const list = [...region.subnets.values()].filter(
      (s) =>
        (ids.length === 0 || ids.includes(s.id)) &&
        matches(filters, s.tags, { "subnet-id": [s.id], "vpc-id": [s.vpcId], "availability-zone": [s.az] }),
    );
    const page = describePage(list, input, { scope: "ec2:subnets", pageLimit: 1000, ids });
    return {
      ...(page.next ? { NextToken: page.next } : {}),
      Subnets: page.items.map((s) => ({
        SubnetId: s.id,
        SubnetArn: `arn:aws:ec2:${region.name}:${ctx.world.account}:subnet/${s.id}`,
        VpcId: s.vpcId,
        AvailabilityZone: s.az,
        AvailabilityZoneId: `${region.name.replace(/-/g, "").slice(0, 4)}-az${s.az.slice(-1).charCodeAt(0) - 96}`,
        CidrBlock: s.cidr,
        State: "available",
        AvailableIpAddressCount: 250,
        DefaultForAz: false,
        MapPublicIpOnLaunch: false,
        OwnerId: ctx.world.account,
        Tags: toTagList(s.tags),
      })),
    };
  },

  DescribeSecurityGroups(ctx) {
    const { region, input } = ctx;
    const ids = stringList(input, "GroupIds");
    for (const id of ids) {
      if (!region.securityGroups.has(id)) {
        throw new SandboxError("InvalidGroup.NotFound", `The security group '${id}' does not exist`, 400);
      }
    }
    const filters = filtersOf(input);
    const list = [...region.securityGroups.values()].filter(
      (g) =>
        (ids.length === 0 || ids.includes(g.id)) &&
        matches(filters, g.tags, { "group-id": [g.id], "vpc-id": [g.vpcId], "group-name": [g.name] }),
    );
    const page = describePage(list, input, { scope: "ec2:groups", pageLimit: 1000, ids });
    return {
      ...(page.next ? { NextToken: page.next } : {}),
      SecurityGroups: page.items.map((g) => ({
        GroupId: g.id,
        GroupName: g.name,
        VpcId: g.vpcId,
        Description: g.description,
        OwnerId: ctx.world.account,
        IpPermissions: [],
        IpPermissionsEgress: [{ IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
        Tags: toTagList(g.tags),
      })),
    };
  },

  DescribeVpcs(ctx) {
    const { region, input } = ctx;
    const ids = stringList(input, "VpcIds");
    for (const id of ids) {
      if (!region.vpcs.has(id))
        throw new SandboxError("InvalidVpcID.NotFound", `The vpc ID '${id}' does not exist`, 400);
    }
    const list = [...region.vpcs.values()].filter((v) => ids.length === 0 || ids.includes(v.id));
    const page = describePage(list, input, { scope: "ec2:vpcs", pageLimit: 1000, ids });
    return {
      ...(page.next ? { NextToken: page.next } : {}),
      Vpcs: page.items.map((v) => ({
        VpcId: v.id,
        CidrBlock: v.cidr,
        State: "available",
        IsDefault: v.isDefault,
        OwnerId: ctx.world.account,
        Tags: toTagList(v.tags),
      })),
    };
  },

  DescribeAvailabilityZones(ctx) {
    const azs = ctx.region.azs.length ? ctx.region.azs : [azOf(ctx.region.name, 0), azOf(ctx.region.name, 1)];
    return {
      AvailabilityZones: azs.map((az) => ({
        ZoneName: az,
        State: "available",
        RegionName: ctx.region.name,
        ZoneType: "availability-zone",
      })),
    };
  },
};

/** Starts terminating an instance; volumes attached to it detach. */
export function terminate(region: Region, i: Instance, now: number): void {
  if (i.deletingAt !== undefined) return;
  i.deletingAt = now;
  i.goneAt = now + TIMINGS.ec2TerminateSeconds * 1000;
  for (const v of region.volumes.values()) {
    if (v.attachment?.instanceId === i.id && v.attachment.detachingAt === undefined) {
      v.attachment.detachingAt = now;
      v.attachment.detachedAt = i.goneAt;
    }
  }
}

function taggable(region: Region, id: string, now: number): { tags: Tags } {
  if (id.startsWith("i-")) return getInstance(region, id);
  if (id.startsWith("vol-")) return getVolume(region, id, now);
  const found = region.subnets.get(id) ?? region.securityGroups.get(id) ?? region.vpcs.get(id);
  if (found) return found;
  throw new SandboxError("InvalidID", `The ID '${id}' is not valid`, 400);
}
