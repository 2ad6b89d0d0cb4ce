/**
 * A stack's life on the virtual clock: its template's resources created in dependency order
 * (independent ones in parallel) so the last completes at the scenario's deploySeconds; a failure
 * stops creation (resources still in progress are cancelled), rolls back what was created in
 * reverse order and ends ROLLBACK_COMPLETE (or ROLLBACK_FAILED / CREATE_FAILED); DeleteStack deletes
 * the resources in reverse order. The statuses, and the events DescribeStackEvents lists for them
 * (the stack's own events carry its name as logical id and AWS::CloudFormation::Stack as type).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stack-resource-configuration-complete.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/view-stack-events.html
 */
import type { ResourceStatus, StackStatus } from "@aws-sdk/client-cloudformation";
import { type Stack, type StackEvent, type StackResource, TIMINGS } from "../model.js";
import type { BuiltResource } from "./build.js";

/** Absolute creation times: critical path scaled to `deployMs` (1 s of setup before the first). */
export function schedule(built: BuiltResource[], createdAt: number, deployMs: number): StackResource[] {
  const critical = Math.max(1, ...built.map((r) => r.end));
  const scale = Math.max(0, deployMs - 2000) / critical;
  return built.map((r) => ({
    logicalId: r.logicalId,
    type: r.type,
    physicalId: r.physicalId,
    startAt: createdAt + 1000 + Math.floor(r.start * scale),
    endAt: createdAt + 1000 + Math.floor(r.end * scale),
    properties: r.properties,
    attributes: r.provisioned.attributes,
  }));
}

/** The resource a stack fault fails: the one named, else the first instance group, else the last to finish. */
export function failingResource(resources: StackResource[], requested?: string): StackResource | undefined {
  if (requested !== undefined) return resources.find((r) => r.logicalId === requested);
  return (
    resources.find(
      (r) => r.type === "AWS::AutoScaling::AutoScalingGroup" || r.type === "AWS::EC2::Instance",
    ) ?? [...resources].sort((a, b) => b.endAt - a.endAt)[0]
  );
}

export function stackStatus(s: Stack, now: number): StackStatus {
  if (s.deletingAt !== undefined && s.deletingAt <= now) {
    return s.deletedAt !== undefined && s.deletedAt <= now ? "DELETE_COMPLETE" : "DELETE_IN_PROGRESS";
  }
  if (s.failAt !== undefined) {
    if (now < s.failAt) return "CREATE_IN_PROGRESS";
    if (s.failStatus === "CREATE_FAILED") return "CREATE_FAILED";
    return now < s.failAt + TIMINGS.stackRollbackSeconds * 1000
      ? "ROLLBACK_IN_PROGRESS"
      : (s.failStatus ?? "ROLLBACK_COMPLETE");
  }
  return s.completeAt !== undefined && now >= s.completeAt ? "CREATE_COMPLETE" : "CREATE_IN_PROGRESS";
}

/** Resources that failed (the failing one, then those cancelled), at failAt. */
function failedIds(s: Stack): string[] {
  if (s.failAt === undefined || s.failedResource === undefined) return [];
  const at = s.failAt;
  const cancelled = s.resources
    .filter((r) => r.logicalId !== s.failedResource && r.startAt < at && r.endAt > at)
    .map((r) => r.logicalId);
  return [s.failedResource, ...cancelled];
}

export function statusReason(s: Stack, status: string): string | undefined {
  const failed = failedIds(s);
  if (status.startsWith("ROLLBACK_")) {
    return failed.length > 0
      ? `The following resource(s) failed to create: [${[...failed].sort().join(", ")}]. Rollback requested by user.`
      : s.failReason;
  }
  if (status === "CREATE_FAILED")
    return `The following resource(s) failed to create: [${[...failed].sort().join(", ")}]. `;
  if (status === "DELETE_IN_PROGRESS") return "User Initiated";
  return undefined;
}

/** Resources that exist at `at` (created by then, not failed or cancelled). */
export function createdBy(s: Stack, at: number): StackResource[] {
  const failed = new Set(failedIds(s));
  return s.resources.filter((r) => r.endAt <= at && !failed.has(r.logicalId));
}

/** What DeleteStack finds: a rolled-back stack has nothing left (ROLLBACK_FAILED: the resource it could not delete). */
export function remaining(s: Stack, at: number): StackResource[] {
  if (s.failAt === undefined) return createdBy(s, at);
  if (s.failStatus === "CREATE_FAILED") return createdBy(s, Math.min(at, s.failAt));
  if (s.failStatus === "ROLLBACK_FAILED")
    return s.resources.filter((r) => r.startAt < (s.failAt as number)).slice(0, 1);
  return [];
}

/** Deletes `list` in reverse creation order, spread over [from, to]. */
function deletions(list: StackResource[], from: number, to: number, add: Add, failLast = false): void {
  const reversed = [...list].reverse();
  reversed.forEach((r, i) => {
    const at = from + Math.floor(((to - from) * i) / (reversed.length + 1));
    const end = from + Math.floor(((to - from) * (i + 1)) / (reversed.length + 1));
    add(at, r, "DELETE_IN_PROGRESS");
    if (failLast && i === reversed.length - 1) add(end, r, "DELETE_FAILED", "Resource deletion failed");
    else add(end, r, "DELETE_COMPLETE");
  });
}

type Add = (at: number, r: StackResource | "stack", status: ResourceStatus, reason?: string) => void;

/** The stack's events up to now, newest first (as DescribeStackEvents returns them). */
export function stackEvents(s: Stack, now: number): StackEvent[] {
  const ev: StackEvent[] = [];
  const add: Add = (at, r, status, reason) => {
    const own = r === "stack";
    ev.push({
      at,
      logicalId: own ? s.name : r.logicalId,
      type: own ? "AWS::CloudFormation::Stack" : r.type,
      physicalId: own ? s.id : status === "CREATE_IN_PROGRESS" && reason === undefined ? "" : r.physicalId,
      status,
      ...(reason !== undefined ? { reason } : {}),
    });
  };
  add(s.createdAt, "stack", "CREATE_IN_PROGRESS", "User Initiated");
  const stop = s.failAt ?? Number.POSITIVE_INFINITY;
  const failed = new Set(failedIds(s));
  for (const r of s.resources) {
    if (r.startAt >= stop) continue;
    add(r.startAt, r, "CREATE_IN_PROGRESS");
    add(Math.min(r.startAt + 500, r.endAt), r, "CREATE_IN_PROGRESS", "Resource creation Initiated");
    if (r.logicalId === s.failedResource)
      add(stop, r, "CREATE_FAILED", s.failReason ?? "Resource creation failed");
    else if (failed.has(r.logicalId)) add(stop, r, "CREATE_FAILED", "Resource creation cancelled");
    else add(r.endAt, r, "CREATE_COMPLETE");
  }
  const failAt = s.failAt;
  if (failAt !== undefined) {
    const status = s.failStatus ?? "ROLLBACK_COMPLETE";
    if (status === "CREATE_FAILED") add(failAt, "stack", "CREATE_FAILED", statusReason(s, "CREATE_FAILED"));
    else {
      add(failAt, "stack", "ROLLBACK_IN_PROGRESS", statusReason(s, "ROLLBACK_IN_PROGRESS"));
      const rbEnd = failAt + TIMINGS.stackRollbackSeconds * 1000;
      const undo = s.resources.filter((r) => r.startAt < failAt);
      deletions(undo, failAt + 1, rbEnd - 1, add, status === "ROLLBACK_FAILED");
      add(rbEnd, "stack", status);
    }
  } else if (s.completeAt !== undefined) {
    add(s.completeAt, "stack", "CREATE_COMPLETE");
  }
  if (s.deletingAt !== undefined) {
    add(s.deletingAt, "stack", "DELETE_IN_PROGRESS", "User Initiated");
    const end = s.deletedAt ?? s.deletingAt;
    deletions(remaining(s, s.deletingAt), s.deletingAt + 1, end - 1, add);
    if (s.deletedAt !== undefined) add(s.deletedAt, "stack", "DELETE_COMPLETE");
  }
  return ev
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => e.at <= now)
    .sort((a, b) => b.e.at - a.e.at || b.i - a.i)
    .map(({ e }) => e);
}
