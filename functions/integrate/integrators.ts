/**
 * One resource's integration, one tick at a time. Each integrator looks at the restored resource
 * as AWS reports it now, starts what is missing (tags, cluster instance, attachment, mount
 * targets, mount command, SSM parameter) and says whether the resource is DONE or what it is
 * waiting for. Actions already taken are journalled in the record, so a repeated tick (or a
 * retried invocation) never repeats a non-idempotent call.
 */
import { metadataValue } from "../shared/restore-metadata.js";
import { parseRestoredArn, type RestoredKind, tagFilter } from "../shared/restored.js";
import type { PlannedRestore } from "../shared/types.js";
import { mount } from "./mount.js";
import { writeParameter } from "./parameter.js";
import {
  DONE,
  fail,
  once,
  stackInstances,
  type Target,
  type Tick,
  type TickContext,
  tagsSettling,
  wait,
  waitForStack,
} from "./tick.js";

export type { IntegrationApis, Target, Tick, TickContext } from "./tick.js";

/** Aurora: instance class when the restore metadata names none. */
export const DEFAULT_AURORA_INSTANCE_CLASS = "db.r6g.large";
/** DB statuses in which the endpoint serves connections. */
const DB_READY = new Set([
  "available",
  "backing-up",
  "storage-optimization",
  "configuring-enhanced-monitoring",
]);
const KIND_OF_TYPE: Record<PlannedRestore["type"], RestoredKind> = {
  rds: "rds-instance",
  aurora: "rds-cluster",
  ec2: "ec2-instance",
  ebs: "ec2-volume",
  efs: "efs",
  dynamodb: "dynamodb-table",
};

/** Tags a resource once per record and notes when (Cleanup retries a refusal right after it). */
const tagOnce = (ctx: TickContext, t: Target, resource: string, tag: () => Promise<unknown>): Promise<void> =>
  once(t.record, `tagged ${resource}`, async () => {
    await tag();
    t.record.taggedAt = ctx.now.toISOString();
  });

/** Advances one resource whose restore job completed with `restoredArn`. */
export async function tick(ctx: TickContext, t: Target, restoredArn: string): Promise<Tick> {
  const ref = parseRestoredArn(restoredArn);
  if (!ref || ref.kind !== KIND_OF_TYPE[t.plan.type]) {
    fail(t, `restore job created ${restoredArn}, which is not a ${t.plan.type} resource`);
  }
  t.record.restoredArn = restoredArn;
  switch (ref.kind) {
    case "rds-instance":
      return rdsInstance(ctx, t, ref.id);
    case "rds-cluster":
      return auroraCluster(ctx, t, ref.id);
    case "ec2-volume":
      return ebsVolume(ctx, t, ref.id);
    case "ec2-instance":
      return ec2Instance(ctx, t, ref.id);
    case "efs":
      return efsFileSystem(ctx, t, ref.id);
    case "dynamodb-table":
      return dynamoTable(ctx, t, ref.id);
  }
}

async function rdsInstance(ctx: TickContext, t: Target, id: string): Promise<Tick> {
  const db = await ctx.apis.rds.describeInstance(id);
  if (!db) fail(t, `restored DB instance ${id} does not exist`);
  await tagOnce(ctx, t, db.arn, () => ctx.apis.rds.addTags(db.arn, ctx.tags));
  if (!DB_READY.has(db.status) || !db.endpoint) return wait(`DB instance ${id} (${db.status})`);
  await writeParameter(ctx, t, `${db.endpoint}:${db.port ?? ""}`.replace(/:$/, ""));
  return DONE;
}

/** Name of the instance drctl adds to a restored cluster (RDS identifiers: at most 63 characters). */
export const clusterInstanceId = (clusterId: string): string =>
  `${clusterId.slice(0, 60).replace(/-+$/, "")}-i1`;

async function auroraCluster(ctx: TickContext, t: Target, id: string): Promise<Tick> {
  const rds = ctx.apis.rds;
  const cluster = await rds.describeCluster(id);
  if (!cluster) fail(t, `restored DB cluster ${id} does not exist`);
  await tagOnce(ctx, t, cluster.arn, () => rds.addTags(cluster.arn, ctx.tags));
  if (cluster.status !== "available") return wait(`DB cluster ${id} (${cluster.status})`);
  if (cluster.members.length === 0) {
    // AWS Backup restores the cluster only: it serves nothing until it has an instance.
    const instanceId = clusterInstanceId(id);
    const existing = await rds.describeInstance(instanceId);
    if (!existing) {
      const settling = tagsSettling(ctx, t);
      if (settling) return settling;
      const instanceClass =
        metadataValue(t.plan.metadata, "DBInstanceClass") ?? DEFAULT_AURORA_INSTANCE_CLASS;
      await rds.createClusterInstance({
        id: instanceId,
        clusterId: id,
        instanceClass,
        engine: cluster.engine,
        tags: ctx.tags,
      });
      t.record.actions.push(`created DB instance ${instanceId} (${instanceClass}) in cluster ${id}`);
    }
    return wait(`DB instance ${instanceId} of cluster ${id} to be created`, 600);
  }
  for (const member of cluster.members) {
    const db = await rds.describeInstance(member);
    if (!db) return wait(`DB instance ${member} of cluster ${id} (not visible yet)`);
    // The instance drctl added was created with the run's tags: no second call for them.
    const tagged = Object.entries(ctx.tags).every(([k, v]) => db.tags[k] === v);
    if (!tagged) await tagOnce(ctx, t, db.arn, () => rds.addTags(db.arn, ctx.tags));
    if (!DB_READY.has(db.status)) return wait(`DB instance ${member} of cluster ${id} (${db.status})`, 300);
  }
  if (!cluster.endpoint) return wait(`DB cluster ${id} endpoint`);
  await writeParameter(ctx, t, `${cluster.endpoint}:${cluster.port ?? ""}`.replace(/:$/, ""));
  return DONE;
}

const describeTag = (tags: Record<string, string>): string =>
  Object.entries(tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");

async function ebsVolume(ctx: TickContext, t: Target, id: string): Promise<Tick> {
  const ec2 = ctx.apis.ec2;
  const [volume] = await ec2.describeVolumes({ ids: [id] });
  if (!volume) fail(t, `restored volume ${id} does not exist`);
  await tagOnce(ctx, t, id, () => ec2.createTags([id], ctx.tags));
  const attached = volume.attachments.find((a) => a.state === "attached");
  if (attached) {
    t.record.instanceIds = [attached.instanceId];
    return DONE;
  }
  if (volume.attachments.length > 0)
    return wait(`volume ${id} to attach (${volume.attachments[0]?.state})`, 10);
  if (volume.state !== "available") return wait(`volume ${id} (${volume.state})`);
  if (!t.integrate.attachToTag) return DONE;
  if (!t.integrate.device) fail(t, "integrate.device is required with integrate.attachToTag");
  if (!(await ctx.stackDeployed())) return waitForStack(`attach ${id}`);
  const tags = tagFilter(t.integrate.attachToTag);
  const instances = await stackInstances(ctx, tags);
  if (instances.length === 0) {
    fail(
      t,
      `stack ${ctx.run.stackName} has no instance tagged ${t.integrate.attachToTag} to attach ${id} to`,
    );
  }
  const running = instances.filter((i) => i.state === "running");
  if (running.length === 0) return wait(`instance tagged ${describeTag(tags)} to be running`, 30);
  const target = running.find((i) => i.availabilityZone === volume.availabilityZone);
  if (!target) {
    fail(
      t,
      `volume ${id} is in ${volume.availabilityZone} but the running instances tagged ` +
        `${t.integrate.attachToTag} are in ${[...new Set(running.map((i) => i.availabilityZone))].join(", ")}`,
    );
  }
  const settling = tagsSettling(ctx, t);
  if (settling) return settling;
  await ec2.attachVolume(id, target.id, t.integrate.device);
  t.record.actions.push(`attached ${id} to ${target.id} as ${t.integrate.device}`);
  t.record.instanceIds = [target.id];
  return wait(`volume ${id} to attach to ${target.id}`, 10);
}

async function ec2Instance(ctx: TickContext, t: Target, id: string): Promise<Tick> {
  const [instance] = await ctx.apis.ec2.describeInstances({ ids: [id] });
  if (!instance) fail(t, `restored instance ${id} does not exist`);
  if (instance.state === "terminated" || instance.state === "shutting-down") {
    fail(t, `restored instance ${id} is ${instance.state}`);
  }
  await tagOnce(ctx, t, id, () => ctx.apis.ec2.createTags([id], ctx.tags));
  if (instance.state !== "running") return wait(`instance ${id} (${instance.state})`, 60);
  t.record.instanceIds = [id];
  return DONE;
}

async function efsFileSystem(ctx: TickContext, t: Target, id: string): Promise<Tick> {
  const efs = ctx.apis.efs;
  const fs = await efs.describeFileSystem(id);
  if (!fs) fail(t, `restored file system ${id} does not exist`);
  await tagOnce(ctx, t, id, () => efs.tagResource(id, ctx.tags));
  if (fs.lifeCycleState !== "available") return wait(`file system ${id} (${fs.lifeCycleState})`);

  // One mount target per availability zone of the DR subnets (EFS allows one per AZ).
  const subnets = await ctx.subnets();
  const azOf = new Map(subnets.map((s) => [s.id, s.availabilityZone]));
  // DescribeFileSystems counts the file system's mount targets: none yet, nothing to list.
  const targets = fs.mountTargets === 0 ? [] : await efs.describeMountTargets(id);
  const covered = new Set(targets.map((m) => azOf.get(m.subnetId) ?? m.subnetId));
  let creating = 0;
  for (const subnetId of ctx.config.network.subnetIds) {
    const az = azOf.get(subnetId) ?? subnetId;
    if (covered.has(az)) continue;
    const settling = tagsSettling(ctx, t);
    if (settling) return settling;
    const mt = await efs.createMountTarget(id, subnetId, ctx.config.network.securityGroupIds);
    t.record.actions.push(`created mount target ${mt.id} in ${subnetId}`);
    covered.add(az);
    if (mt.lifeCycleState !== "available") creating++;
  }
  const notReady = targets.filter((m) => m.lifeCycleState !== "available").length + creating;
  if (notReady > 0) return wait(`${notReady} mount target(s) of ${id}`, 60);

  if (t.integrate.ssmParameter) await writeParameter(ctx, t, id);
  if (!t.integrate.mountPath) return DONE;
  if (!(await ctx.stackDeployed())) return waitForStack(`mount ${id}`);
  return mount(ctx, t, id, t.integrate.mountPath);
}

async function dynamoTable(ctx: TickContext, t: Target, name: string): Promise<Tick> {
  const table = await ctx.apis.dynamodb.describeTable(name);
  if (!table) fail(t, `restored table ${name} does not exist`);
  if (table.status !== "ACTIVE") return wait(`table ${name} (${table.status})`);
  await tagOnce(ctx, t, table.arn, () => ctx.apis.dynamodb.tagResource(table.arn, ctx.tags));
  await writeParameter(ctx, t, name);
  return DONE;
}
