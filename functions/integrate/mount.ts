/**
 * EFS mounts on the DR stack's instances with SSM Run Command. Run Command takes only managed
 * instances: an instance's SSM Agent registers some time after the instance is running, and
 * SendCommand naming an instance that is not registered yet answers InvalidInstanceId. So the
 * mount waits (tick after tick) until every target instance is Online in
 * DescribeInstanceInformation, for at most SSM_REGISTRATION_TIMEOUT_SECONDS after the latest
 * instance launched, then fails with InstancesNotManaged. SendCommand names at most 50 instances:
 * one command per 50, journalled in the record so that a repeated tick never sends one twice.
 */
import type { Instance } from "../shared/aws/ec2.js";
import { MAX_COMMAND_INSTANCES } from "../shared/aws/ssm.js";
import { chunks } from "../shared/aws/util.js";
import { InstancesNotManaged } from "../shared/errors.js";
import { tagFilter } from "../shared/restored.js";
import { DONE, fail, stackInstances, type Target, type Tick, type TickContext, wait } from "./tick.js";

/** How long after launch an instance may take to become a managed instance (observed: 1 to 6 minutes). */
export const SSM_REGISTRATION_TIMEOUT_SECONDS = 15 * 60;
const COMMAND_FAILED = new Set(["Failed", "Cancelled", "TimedOut", "Cancelling", "Undeliverable"]);
const SAFE_PATH = /^\/[A-Za-z0-9._/-]*$/;

/** Mounts the file system on the stack's instances with SSM Run Command, then follows the commands. */
export async function mount(ctx: TickContext, t: Target, fsId: string, path: string): Promise<Tick> {
  if (!SAFE_PATH.test(path))
    fail(t, `integrate.mountPath ${JSON.stringify(path)} has characters unsafe in a shell`);
  if (!t.record.instanceIds) {
    const tags = t.integrate.mountOnTag ? tagFilter(t.integrate.mountOnTag) : {};
    const instances = await stackInstances(ctx, tags);
    const what = t.integrate.mountOnTag ? `tagged ${t.integrate.mountOnTag}` : "at all";
    if (instances.length === 0)
      fail(t, `stack ${ctx.run.stackName} has no instance ${what} to mount ${fsId} on`);
    if (instances.some((i) => i.state !== "running"))
      return wait(`instances of ${ctx.run.stackName} to run`, 30);
    const notManaged = await notManagedYet(ctx, t, instances);
    if (notManaged) return notManaged;
    t.record.instanceIds = instances.map((i) => i.id);
  }
  const ids = t.record.instanceIds;
  const batches = chunks(ids, MAX_COMMAND_INSTANCES);
  t.record.commandIds ??= [];
  const commandIds = t.record.commandIds;
  const command = `mkdir -p ${path} && (mountpoint -q ${path} || mount -t efs -o tls ${fsId}:/ ${path})`;
  for (let i = commandIds.length; i < batches.length; i++) {
    const batch = batches[i] ?? [];
    const commandId = await ctx.apis.ssm.sendShellCommand({
      instanceIds: batch,
      commands: [command],
      comment: `drctl ${ctx.run.name}: mount ${t.plan.name}`,
    });
    if (commandId === undefined) {
      // Registered a moment ago and not yet accepted, or lost since: ask again next tick (bounded).
      const instances = await ctx.apis.ec2.describeInstances({ ids: batch });
      return (
        (await notManagedYet(ctx, t, instances)) ?? wait(`Run Command to accept ${batch.join(", ")}`, 30)
      );
    }
    commandIds.push(commandId);
    t.record.actions.push(`mount ${fsId} at ${path} on ${batch.join(", ")} (command ${commandId})`);
  }
  const invocations = await Promise.all(
    batches.flatMap((batch, i) =>
      batch.map((id) => ctx.apis.ssm.getCommandInvocation(commandIds[i] ?? "", id)),
    ),
  );
  const failed = invocations.find((inv) => inv && COMMAND_FAILED.has(inv.status));
  if (failed) {
    const why = failed.stderr ? `: ${failed.stderr.trim().slice(0, 500)}` : "";
    fail(t, `mount command ${failed.commandId} ${failed.status} on ${failed.instanceId}${why}`);
  }
  const waiting = invocations.filter((inv) => inv?.status !== "Success").length;
  return waiting === 0
    ? DONE
    : wait(`mount command(s) ${commandIds.join(", ")} on ${waiting} instance(s)`, 10);
}

/**
 * Undefined when every instance is an Online managed instance; otherwise the wait for the rest,
 * or InstancesNotManaged once the latest of them launched more than the time limit ago.
 */
async function notManagedYet(ctx: TickContext, t: Target, instances: Instance[]): Promise<Tick | undefined> {
  const online = await ctx.apis.ssm.managedInstances(instances.map((i) => i.id));
  const missing = instances.filter((i) => online.get(i.id) !== "Online");
  if (missing.length === 0) return undefined;
  const launched = Math.max(...missing.map((i) => Date.parse(i.launchTime ?? "") || ctx.now.getTime()));
  const elapsed = Math.round((ctx.now.getTime() - launched) / 1000);
  const list = missing.map((i) => `${i.id} (${online.get(i.id) ?? "not registered"})`).join(", ");
  if (elapsed > SSM_REGISTRATION_TIMEOUT_SECONDS) {
    throw new InstancesNotManaged(
      `${t.plan.name} (${t.plan.type}): cannot mount: instance(s) of stack ${ctx.run.stackName} are not ` +
        `Systems Manager managed instances ${Math.round(elapsed / 60)} minutes after launch: ${list}. ` +
        "Run Command needs the SSM Agent running and registered: check the instance profile " +
        "(AmazonSSMManagedInstanceCore) and the network path to the ssm, ssmmessages and ec2messages endpoints",
    );
  }
  return wait(`SSM Agent registration of ${missing.length} instance(s): ${list}`, 30);
}
