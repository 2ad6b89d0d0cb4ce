/** Amazon EBS volumes: DescribeVolumes, AttachVolume, DetachVolume, DeleteVolume. */
import type { Volume as Ec2Volume, VolumeType as Ec2VolumeType } from "@aws-sdk/client-ec2";
import { SandboxError } from "../../types.js";
import { invalid, optString, requireString, stringList } from "../errors.js";
import { type Ec2, serviceHandlers } from "../handlers.js";
import { TIMINGS, type Volume } from "../model.js";
import { removeWhenGone } from "../schedule.js";
import { describePage, filtersOf, matches } from "./ec2-describe.js";
import { ROOT_DEVICE } from "./ec2-instances.js";
import {
  attachmentState,
  dropAttachmentWhenDetached,
  getInstance,
  getVolume,
  instanceState,
  volumeState,
} from "./ec2-state.js";
import { toTagList } from "./tags.js";

function volumeOut(v: Volume, now: number): Ec2Volume {
  const state = attachmentState(v, now);
  return {
    VolumeId: v.id,
    Size: v.sizeGiB,
    AvailabilityZone: v.az,
    State: volumeState(v, now),
    CreateTime: new Date(v.createdAt),
    // The type the volume was created with (CreateVolume or restore metadata): one EC2 knows.
    VolumeType: v.volumeType as Ec2VolumeType,
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

export const volumeHandlers = serviceHandlers<Ec2>()({
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
      throw new SandboxError("IncorrectState", `${volumeId} is not 'available'.`, 400);
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
    // The root volume holds the instance's RootDeviceName.
    const taken =
      device === ROOT_DEVICE ||
      [...region.volumes.values()].some(
        (o) =>
          o.attachment?.instanceId === instanceId &&
          o.attachment.device === device &&
          attachmentState(o, now),
      );
    if (taken) {
      throw invalid(
        "ec2",
        `Invalid value '${device}' for unixDevice. Attachment point ${device} is already in use`,
      );
    }
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
    if (a && state && wanted !== undefined && wanted !== a.instanceId) {
      throw new SandboxError(
        "InvalidAttachment.NotFound",
        `Volume ${volumeId} can not be detached from ${wanted} because it is not attached`,
        400,
      );
    }
    if (!a || !state) {
      throw new SandboxError(
        "IncorrectState",
        `Volume '${volumeId}' is in the '${volumeState(v, now)}' state.`,
        400,
      );
    }
    if (a.detachingAt === undefined) {
      a.detachingAt = now;
      a.detachedAt = now + TIMINGS.volumeDetachSeconds * 1000;
      dropAttachmentWhenDetached(ctx.world, v, a);
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
      removeWhenGone(ctx.world, region.volumes, v.id, v);
    }
    return {};
  },
});
