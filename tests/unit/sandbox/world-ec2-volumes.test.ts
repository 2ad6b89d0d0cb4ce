/**
 * Amazon EBS volumes in the sandbox, through the real SDK client: restored volumes, attach,
 * detach and delete, and the errors of each. Each test pins a row of docs/fidelity.md ("EC2, EFS,
 * RDS, DynamoDB: lifecycles, errors and limits").
 */
import {
  AttachVolumeCommand,
  DeleteVolumeCommand,
  DescribeVolumesCommand,
  DetachVolumeCommand,
  EC2Client,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TIMINGS } from "../../../scripts/sandbox/world/index.js";
import { rejection, type SdkWorld, sdkWorld, shape } from "./sdk-world.js";

let s: SdkWorld;
let ec2: EC2Client;
let vol: string;
let inst: string;
beforeEach(async () => {
  s = await sdkWorld();
  ec2 = s.client(EC2Client);
  vol = (await s.restore("web-data", "unused")).split("/").pop() as string;
  inst = (await s.restore("web-1", "unused")).split("/").pop() as string;
});
afterEach(() => s.close());

const attach = (VolumeId = vol, InstanceId = inst, Device = "/dev/sdf") =>
  ec2.send(new AttachVolumeCommand({ VolumeId, InstanceId, Device }));
const volume = async (id = vol) =>
  (await ec2.send(new DescribeVolumesCommand({ VolumeIds: [id] }))).Volumes?.[0];

describe("ebs: volumes", () => {
  it("a restored volume is available in the metadata's zone, encrypted, from the recovery point's snapshot", async () => {
    // Act
    const v = await volume();
    // Assess
    expect(v).toMatchObject({
      State: "available",
      AvailabilityZone: "us-west-2a",
      Encrypted: true,
      Attachments: [],
    });
    expect(v?.SnapshotId).toMatch(/^snap-0[0-9a-f]{16}$/);
  });

  it("AttachVolume: attaching, then attached and in-use after the sandbox's attach time", async () => {
    // Act
    const answer = await attach();
    const early = await volume();
    s.clock.advanceBy(TIMINGS.volumeAttachSeconds);
    const later = await volume();
    // Assess
    expect(answer).toMatchObject({ State: "attaching", Device: "/dev/sdf", InstanceId: inst });
    expect(early).toMatchObject({ State: "in-use", Attachments: [{ State: "attaching" }] });
    expect(later).toMatchObject({
      State: "in-use",
      Attachments: [{ State: "attached", DeleteOnTermination: false }],
    });
  });

  it("AttachVolume refuses a volume in use or not available, an instance not running, another zone, a device in use", async () => {
    // Prepare
    const other = (await s.restore("web-data", "unused", { availabilityZone: "us-west-2b" }))
      .split("/")
      .pop() as string;
    const third = (await s.restore("web-data", "unused")).split("/").pop() as string;
    const creating = (await s.restore("web-data", "unused")).split("/").pop() as string;
    const v = s.world.recovery.volumes.get(creating);
    if (v) v.readyAt = Date.parse(s.clock.now().toISOString()) + 60_000;
    await attach();
    // Act
    const inUse = await rejection(attach());
    const notAvailable = await rejection(attach(creating, inst, "/dev/sdh"));
    const zone = await rejection(attach(other, inst, "/dev/sdg"));
    const device = await rejection(attach(third, inst, "/dev/sdf"));
    const root = await rejection(attach(third, inst, "/dev/xvda"));
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [inst] }));
    const stopped = await rejection(attach(third, inst, "/dev/sdg"));
    // Assess
    expect(shape(inUse)).toEqual({
      name: "VolumeInUse",
      message: `${vol} is already attached to an instance`,
      status: 400,
    });
    expect(shape(notAvailable)).toEqual({
      name: "IncorrectState",
      message: `${creating} is not 'available'.`,
      status: 400,
    });
    expect(shape(zone)).toEqual({
      name: "InvalidVolume.ZoneMismatch",
      message: `The volume '${other}' is not in the same availability zone as instance '${inst}'`,
      status: 400,
    });
    expect(shape(device)).toEqual({
      name: "InvalidParameterValue",
      message: "Invalid value '/dev/sdf' for unixDevice. Attachment point /dev/sdf is already in use",
      status: 400,
    });
    expect(root.message).toBe(
      "Invalid value '/dev/xvda' for unixDevice. Attachment point /dev/xvda is already in use",
    );
    expect(shape(stopped)).toEqual({
      name: "IncorrectState",
      message: `Instance '${inst}' is not 'running'.`,
      status: 400,
    });
  });

  it("DetachVolume: detaching, then available; not attached is IncorrectState, another instance InvalidAttachment.NotFound", async () => {
    // Prepare
    await attach();
    s.clock.advanceBy(TIMINGS.volumeAttachSeconds);
    // Act
    const wrong = await rejection(
      ec2.send(new DetachVolumeCommand({ VolumeId: vol, InstanceId: "i-0aaaaaaaaaaaaaaaa" })),
    );
    const answer = await ec2.send(new DetachVolumeCommand({ VolumeId: vol }));
    const detaching = await volume();
    s.clock.advanceBy(TIMINGS.volumeDetachSeconds);
    const detached = await volume();
    const again = await rejection(ec2.send(new DetachVolumeCommand({ VolumeId: vol })));
    // Assess
    expect(shape(wrong)).toMatchObject({ name: "InvalidAttachment.NotFound", status: 400 });
    expect(answer.State).toBe("detaching");
    expect(detaching).toMatchObject({ State: "in-use", Attachments: [{ State: "detaching" }] });
    expect(detached).toMatchObject({ State: "available", Attachments: [] });
    expect(shape(again)).toEqual({
      name: "IncorrectState",
      message: `Volume '${vol}' is in the 'available' state.`,
      status: 400,
    });
  });

  it("DeleteVolume: attached is VolumeInUse; otherwise deleting, then InvalidVolume.NotFound", async () => {
    // Prepare
    await attach();
    // Act
    const inUse = await rejection(ec2.send(new DeleteVolumeCommand({ VolumeId: vol })));
    await ec2.send(new DetachVolumeCommand({ VolumeId: vol }));
    s.clock.advanceBy(TIMINGS.volumeDetachSeconds);
    await ec2.send(new DeleteVolumeCommand({ VolumeId: vol }));
    const deleting = await volume();
    s.clock.advanceBy(TIMINGS.volumeDeleteSeconds);
    const gone = await rejection(volume());
    // Assess
    expect(shape(inUse)).toEqual({
      name: "VolumeInUse",
      message: `Volume ${vol} is currently attached to ${inst}`,
      status: 400,
    });
    expect(deleting?.State).toBe("deleting");
    expect(shape(gone)).toEqual({
      name: "InvalidVolume.NotFound",
      message: `The volume '${vol}' does not exist.`,
      status: 400,
    });
  });

  it("terminating the instance detaches its volumes", async () => {
    // Prepare
    await attach();
    s.clock.advanceBy(TIMINGS.volumeAttachSeconds);
    // Act
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [inst] }));
    const during = await volume();
    s.clock.advanceBy(TIMINGS.ec2TerminateSeconds);
    const after = await volume();
    // Assess
    expect(during?.Attachments?.[0]?.State).toBe("detaching");
    expect(after).toMatchObject({ State: "available", Attachments: [] });
  });
});
