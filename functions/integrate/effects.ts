/**
 * What integration does to the DR app besides the restored resources: mounts file systems on the
 * stack's instances (SSM Run Command) and writes SSM parameters; and the tick results they share
 * with integrators.ts.
 */

import type { Instance } from "../shared/aws/ec2.js";
import { IntegrationFailed } from "../shared/errors.js";
import { STACK_NAME_TAG, tagFilter } from "../shared/restored.js";
import type { Target, Tick, TickContext } from "./integrators.js";

const COMMAND_FAILED = new Set(["Failed", "Cancelled", "TimedOut", "Cancelling"]);
const SAFE_PATH = /^\/[A-Za-z0-9._/-]*$/;

export function fail(t: Target, message: string): never {
  throw new IntegrationFailed(`${t.plan.name} (${t.plan.type}): ${message}`);
}

export const wait = (waitingFor: string, remainingSeconds?: number): Tick =>
  remainingSeconds === undefined
    ? { done: false, waitingFor }
    : { done: false, waitingFor, remainingSeconds };
export const DONE: Tick = { done: true };

/** The DR stack's instances with these tags (besides the stack tag), not terminated. */
export async function stackInstances(ctx: TickContext, tags: Record<string, string>): Promise<Instance[]> {
  const found = await ctx.apis.ec2.describeInstances({
    tags: { ...tags, [STACK_NAME_TAG]: ctx.run.stackName },
  });
  return found
    .filter((i) => i.state !== "terminated" && i.state !== "shutting-down")
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** Mounts the file system on the stack's instances with SSM Run Command, then follows the command. */
export async function mount(ctx: TickContext, t: Target, fsId: string, path: string): Promise<Tick> {
  const ssm = ctx.apis.ssm;
  if (!SAFE_PATH.test(path))
    fail(t, `integrate.mountPath ${JSON.stringify(path)} has characters unsafe in a shell`);
  if (!t.record.commandId) {
    const tags = t.integrate.mountOnTag ? tagFilter(t.integrate.mountOnTag) : {};
    const instances = await stackInstances(ctx, tags);
    const what = t.integrate.mountOnTag ? `tagged ${t.integrate.mountOnTag}` : "at all";
    if (instances.length === 0)
      fail(t, `stack ${ctx.run.stackName} has no instance ${what} to mount ${fsId} on`);
    if (instances.some((i) => i.state !== "running"))
      return wait(`instances of ${ctx.run.stackName} to run`, 30);
    const ids = instances.map((i) => i.id);
    const command = `mkdir -p ${path} && (mountpoint -q ${path} || mount -t efs -o tls ${fsId}:/ ${path})`;
    const commandId = await ssm.sendShellCommand({
      instanceIds: ids,
      commands: [command],
      comment: `drctl ${ctx.run.name}: mount ${t.plan.name}`,
    });
    t.record.commandId = commandId;
    t.record.instanceIds = ids;
    t.record.actions.push(`mount ${fsId} at ${path} on ${ids.join(", ")} (command ${commandId})`);
    return wait(`mount command ${commandId}`, 10);
  }
  const commandId = t.record.commandId;
  const ids = t.record.instanceIds ?? [];
  const invocations = await Promise.all(ids.map((i) => ssm.getCommandInvocation(commandId, i)));
  const failed = invocations.find((inv) => inv && COMMAND_FAILED.has(inv.status));
  if (failed) {
    const why = failed.stderr ? `: ${failed.stderr.trim().slice(0, 500)}` : "";
    fail(t, `mount command ${commandId} ${failed.status} on ${failed.instanceId}${why}`);
  }
  const waiting = invocations.filter((inv) => inv?.status !== "Success").length;
  return waiting === 0 ? DONE : wait(`mount command ${commandId} on ${waiting} instance(s)`, 10);
}

/**
 * Writes `run.parameterPrefix + integrate.ssmParameter`: failover overwrites the production
 * parameter; a drill creates it under its own prefix (Overwrite=false: a conflict is fine only
 * when the parameter already holds our value, i.e. a retried tick).
 */
export async function writeParameter(ctx: TickContext, t: Target, value: string): Promise<void> {
  if (!t.integrate.ssmParameter) return;
  const name = `${ctx.run.parameterPrefix}${t.integrate.ssmParameter}`;
  const description = `drctl ${ctx.run.name}: ${t.plan.name}`;
  if (ctx.run.mode === "failover") {
    await ctx.apis.ssm.putParameter(name, value, { overwrite: true, description });
  } else {
    const put = await ctx.apis.ssm.putParameter(name, value, {
      overwrite: false,
      tags: ctx.tags,
      description,
    });
    if (put === "exists") {
      const current = await ctx.apis.ssm.getParameter(name);
      if (current !== value) fail(t, `SSM parameter ${name} exists with another value (${current})`);
    }
  }
  if (!t.record.parameters.includes(name)) t.record.parameters.push(name);
  const entry = `wrote ${name} = ${value}`;
  if (!t.record.actions.includes(entry)) t.record.actions.push(entry);
}
