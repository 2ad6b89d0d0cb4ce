/**
 * EC2 entities as the API reports them: instance, volume and attachment states on the virtual
 * clock, the not-found lookups and termination.
 */
import type { InstanceState, InstanceStateName, VolumeState } from "@aws-sdk/client-ec2";
import { SandboxError } from "../../types.js";
import { type Attachment, type Instance, type Region, type Tags, TIMINGS, type Volume } from "../model.js";
import { removeWhenGone, type Scheduler } from "../schedule.js";
import { phase } from "./lifecycle.js";

const STATE_CODES: Record<InstanceStateName, number> = {
  pending: 0,
  running: 16,
  "shutting-down": 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

export function instanceState(i: Instance, now: number): InstanceState & { Name: InstanceStateName } {
  const p = phase(i, now);
  let name: InstanceStateName = p === "ready" ? "running" : "pending";
  if (p === "deleting") name = i.goneAt !== undefined && i.goneAt <= now ? "terminated" : "shutting-down";
  return { Code: STATE_CODES[name], Name: name };
}

export function volumeState(v: Volume, now: number): VolumeState {
  const p = phase(v, now);
  if (p !== "ready") return p;
  if (v.attachment && (v.attachment.detachedAt === undefined || v.attachment.detachedAt > now))
    return "in-use";
  return "available";
}

export function attachmentState(v: Volume, now: number): "attaching" | "attached" | "detaching" | undefined {
  const a = v.attachment;
  if (!a) return undefined;
  if (a.detachedAt !== undefined && a.detachedAt <= now) return undefined;
  if (a.detachingAt !== undefined && a.detachingAt <= now) return "detaching";
  return a.readyAt <= now ? "attached" : "attaching";
}

export function getInstance(region: Region, id: string): Instance {
  return getInstances(region, [id])[0] as Instance;
}

/** The instances of `ids`; any that does not exist refuses the whole call, naming every such id. */
export function getInstances(region: Region, ids: string[]): Instance[] {
  const missing = ids.filter((id) => !region.instances.has(id));
  if (missing.length === 1) {
    throw new SandboxError(
      "InvalidInstanceID.NotFound",
      `The instance ID '${missing[0]}' does not exist`,
      400,
    );
  }
  if (missing.length > 1) {
    throw new SandboxError(
      "InvalidInstanceID.NotFound",
      `The instance IDs '${missing.join(", ")}' do not exist`,
      400,
    );
  }
  return ids.map((id) => region.instances.get(id) as Instance);
}

export function getVolume(region: Region, id: string, now: number): Volume {
  const v = region.volumes.get(id);
  if (!v || (v.goneAt !== undefined && v.goneAt <= now)) {
    throw new SandboxError("InvalidVolume.NotFound", `The volume '${id}' does not exist.`, 400);
  }
  return v;
}

/**
 * Starts terminating an instance; volumes attached to it detach. The instance stays visible
 * (terminated) for a while after it is gone, then leaves the region.
 */
export function terminate(w: Scheduler, region: Region, i: Instance, now: number): void {
  if (i.deletingAt !== undefined) return;
  i.deletingAt = now;
  i.goneAt = now + TIMINGS.ec2TerminateSeconds * 1000;
  removeWhenGone(w, region.instances, i.id, i, TIMINGS.terminatedVisibleSeconds * 1000);
  for (const v of region.volumes.values()) {
    if (v.attachment?.instanceId === i.id && v.attachment.detachingAt === undefined) {
      v.attachment.detachingAt = now;
      v.attachment.detachedAt = i.goneAt;
      dropAttachmentWhenDetached(w, v, v.attachment);
    }
  }
}

/** Ends the attachment `a` of `v` once its detach completed (if it is still the volume's attachment). */
export function dropAttachmentWhenDetached(w: Scheduler, v: Volume, a: Attachment): void {
  if (a.detachedAt === undefined) return;
  w.schedule(a.detachedAt, (at) => {
    if (v.attachment === a && a.detachedAt !== undefined && a.detachedAt <= at) delete v.attachment;
  });
}

export function taggable(region: Region, id: string, now: number): { tags: Tags } {
  if (id.startsWith("i-")) return getInstance(region, id);
  if (id.startsWith("vol-")) return getVolume(region, id, now);
  const found = region.subnets.get(id) ?? region.securityGroups.get(id) ?? region.vpcs.get(id);
  if (found) return found;
  throw new SandboxError("InvalidID", `The ID '${id}' is not valid`, 400);
}
