/**
 * Cleanup against the sandbox's World (tests/support/step-world.ts): what a drill left (restores,
 * its stack, attachments, mount targets, parameters) is created in the World, then cleanup runs
 * round by round on the virtual clock through the product's service wrappers, signed as the
 * cleanup function, under the cleanup role's synthesized IAM. AWS refusals are the World's own
 * (deletion protection, IAM, tag propagation) or its call faults.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type CleanupDeps, cleanup } from "../../../functions/cleanup/cleanup.js";
import { handler } from "../../../functions/cleanup/handler.js";
import { localContext } from "../../../functions/shared/middleware.js";
import {
  CleanupDocument,
  type CleanupProgress,
  type IntegrationDocument,
  type RestoreJobRecord,
  type RunContext,
  runTags,
} from "../../../functions/shared/types.js";
import type { ScenarioInput } from "../../../scripts/sandbox/scenario.js";
import { runContext } from "../../support/fixtures.js";
import { type SeededRestore, type StepWorld, stepWorld } from "../../support/step-world.js";

const RUN = runContext();
const PREFIX = RUN.parameterPrefix;
const OURS = runTags(RUN);
const STACK_TAG = "aws:cloudformation:stack-name";
/** Longer than any deletion in the World takes (RDS 120 s, stack 120 s, mount targets 30 s). */
const SETTLE_SECONDS = 150;

const RESOURCES: ScenarioInput["resources"] = [
  {
    name: "orders-db",
    type: "rds",
    restoreSeconds: 2100,
    restoreProgress: "linear",
    integrate: { ssmParameter: "/shop/db/endpoint" },
  },
  { name: "ledger", type: "aurora", restoreSeconds: 60 },
  {
    name: "web-data",
    type: "ebs",
    tags: { "drctl:app": "shop", team: "web" },
    restoreSeconds: 300,
    integrate: { attachToTag: "role=web", device: "/dev/sdf" },
  },
  {
    name: "shared-files",
    type: "efs",
    restoreSeconds: 900,
    integrate: { ssmParameter: "/shop/efs/id" },
  },
  { name: "carts", type: "dynamodb", restoreSeconds: 60 },
];

let w: StepWorld;

beforeEach(async () => {
  w = await stepWorld("cleanup", { scenario: { resources: RESOURCES } });
  await w.putJson(`${RUN.artifactsPrefix}plan.json`, w.plan(RUN));
});
afterEach(async () => {
  await w.close();
});

const target = (name: string) => `${name}-${RUN.suffix}`;
const deps = (): CleanupDeps => ({ store: w.store, ...w.apis, now: w.now, config: w.config });
const round = (run: RunContext = RUN): Promise<CleanupProgress> => cleanup({ run }, deps());
const failure = (run: RunContext = RUN): Promise<Error> =>
  round(run).then(
    () => new Error("cleanup succeeded but was expected to fail"),
    (e: unknown) => e as Error,
  );
const settle = () => w.advance(SETTLE_SECONDS);
const cleanupDocument = () => w.store.getJson(`${RUN.artifactsPrefix}cleanup.json`, CleanupDocument);
const inputs = (operation: string) => w.requests(operation).map((r) => r.input);
const accepted = (operation: string) => w.requests(operation).filter((r) => r.error === undefined);
const region = () => w.world.inspect();
const idOf = (arn: string) => arn.split(/[/:]/).at(-1) as string;

const putJobs = (jobs: RestoreJobRecord[]) =>
  w.putJson(`${RUN.artifactsPrefix}jobs.json`, { run: RUN.name, jobs });
function putIntegration(records: { name: string; arn: string; parameters?: string[]; taggedAt?: string }[]) {
  const doc: IntegrationDocument = {
    run: RUN.name,
    resources: records.map((r) => ({
      name: r.name,
      status: r.taggedAt ? "IN_PROGRESS" : "DONE",
      restoredArn: r.arn,
      actions: [],
      parameters: r.parameters ?? [],
      startedAt: RUN.startedAt,
      ...(r.taggedAt ? { taggedAt: r.taggedAt } : { integratedAt: w.now().toISOString() }),
    })),
  };
  return w.putJson(`${RUN.artifactsPrefix}integration.json`, doc);
}
const tagList = (tags: Record<string, string>) =>
  Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
/** Tags a restored resource as Integrate does (the seed client: not the cleanup role). */
async function tagAsIntegrate(r: SeededRestore, tags: Record<string, string> = OURS): Promise<void> {
  const arn = r.arn as string;
  if (arn.includes(":volume/"))
    await w.seed("ec2", "CreateTags", { Resources: [idOf(arn)], Tags: tagList(tags) });
  else if (arn.includes(":file-system/"))
    await w.seed("efs", "TagResource", { ResourceId: idOf(arn), Tags: tagList(tags) });
  else if (arn.includes(":table/"))
    await w.seed("dynamodb", "TagResource", { ResourceArn: arn, Tags: tagList(tags) });
  else await w.seed("rds", "AddTagsToResource", { ResourceName: arn, Tags: tagList(tags) });
}
/** The drill stack's instance in us-west-2a (where restored volumes are placed). */
const stackInstance = () => {
  const i = region().instances.find((x) => x.az === "us-west-2a" && x.tags[STACK_TAG] === RUN.stackName);
  if (!i) throw new Error("no stack instance in us-west-2a");
  return i;
};

describe("cleanup", () => {
  it("waits for a running restore, deletes everything in order, and is done with nothing left", async () => {
    // Prepare: a drill that failed mid-way: orders-db still restoring, web-data attached, shared-files mounted
    const stackId = await w.createStack(RUN.stackName, PREFIX, OURS);
    const orders = await w.startRestore("orders-db", target("orders-db"));
    const web = await w.restore("web-data", target("web-data"));
    const files = await w.restore("shared-files", target("shared-files"));
    await tagAsIntegrate(web);
    await tagAsIntegrate(files);
    const instance = stackInstance();
    const volumeId = idOf(web.arn);
    await w.seed("ec2", "AttachVolume", { VolumeId: volumeId, InstanceId: instance.id, Device: "/dev/sdf" });
    await w.seed("efs", "CreateMountTarget", { FileSystemId: idOf(files.arn), SubnetId: "subnet-0dra" });
    // The stack's own volume (tagged by CloudFormation): it goes with the stack.
    const rootId = "vol-0root000000000001";
    const now = w.now().getTime();
    w.world.recovery.volumes.set(rootId, {
      id: rootId,
      arn: `arn:aws:ec2:us-west-2:111122223333:volume/${rootId}`,
      az: "us-west-2a",
      sizeGiB: 8,
      volumeType: "gp3",
      encrypted: true,
      iops: 3000,
      createdAt: now,
      readyAt: now,
      attachment: { instanceId: instance.id, device: "/dev/sdg", attachedAt: now, readyAt: now },
      tags: { ...OURS, [STACK_TAG]: RUN.stackName },
    });
    await w.seed("ssm", "PutParameter", {
      Name: `${PREFIX}/shop/efs/id`,
      Value: idOf(files.arn),
      Type: "String",
    });
    await w.seed("ssm", "PutParameter", { Name: "/shop/efs/id", Value: "fs-production", Type: "String" });
    await putJobs([orders.record, web.record, files.record]);
    await putIntegration([
      { name: "orders-db", arn: `arn:aws:rds:us-west-2:111122223333:db:${target("orders-db")}` },
      { name: "web-data", arn: web.arn },
      { name: "shared-files", arn: files.arn, parameters: [`${PREFIX}/shop/efs/id`] },
    ]);
    w.advance(SETTLE_SECONDS); // attachment and mount target ready; the tags visible to IAM
    const mountTarget = region().fileSystems[0]?.mountTargets[0];

    // Act 1
    const first = await round();
    // Assess 1: detaching, mount targets going, restore pending, the stack waits
    expect(first).toMatchObject({ done: false, rounds: 1, leftovers: 0 });
    expect((await cleanupDocument()).pending).toEqual(
      expect.arrayContaining([
        `restore job ${orders.jobId} (orders-db) RUNNING`,
        `volume ${volumeId} detaching from ${instance.id}`,
        `stack ${RUN.stackName} waits for volumes to detach and EFS mount targets`,
      ]),
    );
    expect(inputs("DetachVolume").map((i) => i.VolumeId)).toEqual([volumeId]);
    expect(accepted("DeleteMountTarget")).toHaveLength(1);
    expect(region().parameters[`${PREFIX}/shop/efs/id`]).toBeUndefined();
    expect(region().parameters["/shop/efs/id"]).toBe("fs-production");
    expect(w.requests("DeleteStack")).toHaveLength(0);

    // Act 2
    settle();
    const second = await round();
    // Assess 2: volume and file system deleted, stack deleting, restore still running
    expect(second.done).toBe(false);
    expect(inputs("DeleteVolume").map((i) => i.VolumeId)).toEqual([volumeId]);
    expect(accepted("DeleteFileSystem")).toHaveLength(1);
    expect(inputs("DeleteStack")[0]).toMatchObject({ StackName: stackId });
    expect(w.requests("DeleteDBInstance")).toHaveLength(0);

    // Act 3: the restore finished after the failure, so integrate never tagged the database
    w.advance(2100);
    expect(region().restoreJobs.find((j) => j.id === orders.jobId)?.status).toBe("COMPLETED");
    const third = await round();
    w.advance(third.waitSeconds);
    const fourth = await round();
    settle();
    const fifth = await round();

    // Assess: tagged in one round, deleted in the next
    const ordersArn = `arn:aws:rds:us-west-2:111122223333:db:${target("orders-db")}`;
    expect(third.done).toBe(false);
    expect(inputs("AddTagsToResource").map((i) => i.ResourceName)).toEqual([ordersArn]);
    expect(w.requests("DeleteDBInstance").length).toBe(1);
    expect(fourth.done).toBe(false);
    expect(inputs("DeleteDBInstance")[0]).toMatchObject({
      DBInstanceIdentifier: target("orders-db"),
      SkipFinalSnapshot: true,
    });
    expect(fifth).toMatchObject({ done: true, pending: 0, leftovers: 0, rounds: 5 });
    expect((await cleanupDocument()).deleted.sort()).toEqual(
      [
        ordersArn,
        web.arn,
        files.arn,
        `${files.arn} mount target ${mountTarget}`,
        `${PREFIX}/shop/efs/id`,
        stackId,
      ].sort(),
    );
    expect(w.requests("TerminateInstances")).toHaveLength(0);
    expect(inputs("DeleteVolume").map((i) => i.VolumeId)).not.toContain(rootId); // goes with the stack
    expect(w.world.leftovers(RUN.name).filter((arn) => !arn.includes(rootId))).toEqual([]);

    // Act 6: called again
    const deletes = () =>
      w.requests("DeleteDBInstance").length +
      w.requests("DeleteVolume").length +
      w.requests("DeleteStack").length;
    const before = deletes();
    const again = await round();
    // Assess 6: idempotent
    expect(again).toMatchObject({ done: true, deleted: 6, leftovers: 0 });
    expect(deletes()).toBe(before);
  });

  it("tags untagged restored resources with the run's tags, then deletes them", async () => {
    // Prepare: the stack rolled back while restores ran, so Integrate never tagged what they restored
    const orders = await w.restore("orders-db", target("orders-db"));
    // AWS Backup copied the source volume's own tags, drctl:app among them
    const web = await w.restore("web-data", target("web-data"), { copyTags: true });
    const files = await w.restore("shared-files", target("shared-files"));
    const carts = await w.restore("carts", target("carts"));
    await putJobs([orders.record, web.record, files.record, carts.record]);
    const drillTags = [
      { Key: "drctl:execution", Value: RUN.name },
      { Key: "drctl:mode", Value: "drill" },
      { Key: "drctl:app", Value: "shop" },
    ];
    const volumeId = idOf(web.arn);
    expect(region().volumes.find((v) => v.id === volumeId)?.tags).toMatchObject({ team: "web" });

    // Act 1
    const first = await round();
    // Assess 1: every one tagged with exactly the run's tags, nothing deleted yet
    expect(first).toMatchObject({ done: false, deleted: 0, leftovers: 0, pending: 4 });
    expect(inputs("AddTagsToResource")).toEqual([{ ResourceName: orders.arn, Tags: drillTags }]);
    expect(inputs("CreateTags")).toEqual([{ Resources: [volumeId], Tags: drillTags }]);
    expect(w.requests("TagResource").map((r) => r.input)).toEqual(
      expect.arrayContaining([
        { ResourceId: idOf(files.arn), Tags: drillTags },
        { ResourceArn: carts.arn, Tags: drillTags },
      ]),
    );
    expect(region().volumes.find((v) => v.id === volumeId)?.tags).toEqual({
      ...OURS,
      "drctl:app": "shop",
      team: "web",
    });
    expect((await cleanupDocument()).pending).toContain(
      `${orders.arn} tagged drctl:execution, drctl:mode, drctl:app for deletion (found by restore job ${orders.jobId})`,
    );
    const deleting = ["DeleteDBInstance", "DeleteVolume", "DeleteFileSystem", "DeleteTable"];
    expect(deleting.flatMap((op) => w.requests(op))).toEqual([]);

    // Act 2
    w.advance(first.waitSeconds);
    const second = await round();
    settle();
    const third = await round();
    // Assess 2: deleted (the World's IAM refuses deletes of resources without the drill tags), tagged once
    expect(second.done).toBe(false);
    expect(deleting.map((op) => accepted(op).length)).toEqual([1, 1, 1, 1]);
    expect(deleting.flatMap((op) => w.requests(op)).filter((r) => r.error)).toEqual([]);
    expect(third).toMatchObject({ done: true, leftovers: 0, pending: 0 });
    expect((await cleanupDocument()).deleted.sort()).toEqual(
      [orders.arn, web.arn, files.arn, carts.arn].sort(),
    );
    const tagging = ["AddTagsToResource", "CreateTags", "TagResource"].flatMap((op) => w.requests(op));
    expect(tagging).toHaveLength(4);
  });

  it("never re-tags a resource of a failover or of another run, and reports a refused tagging", async () => {
    // Prepare: found by the jobs document, but one is a failover's, one another drill's table,
    // and tagging the third is refused
    const orders = await w.restore("orders-db", target("orders-db"));
    const web = await w.restore("web-data", target("web-data"));
    const carts = await w.restore("carts", target("carts"));
    await tagAsIntegrate(web, { "drctl:app": "shop", "drctl:mode": "failover" });
    await tagAsIntegrate(carts, {
      "drctl:execution": "drill-shop-other",
      "drctl:mode": "drill",
      "drctl:app": "shop",
    });
    await putJobs([orders.record, web.record, carts.record]);
    w.fault({ call: "rds:AddTagsToResource", error: "AccessDenied", times: 100 });
    // Act
    const err = await failure();
    // Assess
    expect(err).toMatchObject({ name: "CleanupIncomplete" });
    const leftovers = (await cleanupDocument()).leftovers;
    expect(leftovers).toHaveLength(3);
    expect(leftovers).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          new RegExp(`^${orders.arn}: rds:AddTagsToResource failed for ${orders.arn}: AccessDenied: `),
        ),
        `${web.arn}: found by restore job ${web.jobId} but tagged drctl:mode=failover; not deleted`,
        `${carts.arn}: found by restore job ${carts.jobId} but tagged drctl:execution=drill-shop-other; not deleted`,
      ]),
    );
    expect(w.requests("CreateTags")).toHaveLength(0);
    expect(w.requests("TagResource")).toHaveLength(0);
    // Nothing deleted but the run's own parameters (asked without a read first: InvalidParameters).
    const ownParameter = (r: { operation: string; input: unknown }) =>
      r.operation === "DeleteParameters" &&
      (r.input as { Names: string[] }).Names.every((n) => n.startsWith(PREFIX));
    expect(w.requests().filter((r) => r.operation.startsWith("Delete") && !ownParameter(r))).toEqual([]);
    expect(region().volumes.find((v) => v.id === idOf(web.arn))?.tags["drctl:mode"]).toBe("failover");
  });

  it("finds resources by tag, deletes cluster instances before their cluster, and tables", async () => {
    // Prepare
    const carts = await w.restore("carts", target("carts"));
    await tagAsIntegrate(carts);
    const ledger = await w.restore("ledger", target("ledger"));
    await tagAsIntegrate(ledger);
    await w.seed("rds", "CreateDBInstance", {
      DBInstanceIdentifier: `${target("ledger")}-i1`,
      DBClusterIdentifier: target("ledger"),
      DBInstanceClass: "db.r6g.large",
      Engine: "aurora-postgresql",
      Tags: tagList(OURS),
    });
    const other = await w.restore("orders-db", "someone-elses-db");
    await tagAsIntegrate(other, { "drctl:execution": "drill-shop-other" });
    // Only the table is in the jobs document; the cluster is found by its tag.
    await putJobs([carts.record]);
    w.advance(SETTLE_SECONDS * 3); // the cluster instance is available
    // Act
    const first = await round();
    settle();
    const second = await round();
    settle();
    const third = await round();
    // Assess
    expect(first.done).toBe(false);
    expect(accepted("DeleteDBCluster")).toHaveLength(1);
    expect(inputs("DeleteDBInstance").map((i) => i.DBInstanceIdentifier)).toEqual([`${target("ledger")}-i1`]);
    const clusterDelete = w.requests().findIndex((r) => r.operation === "DeleteDBCluster" && !r.error);
    const instanceDelete = w.requests().findIndex((r) => r.operation === "DeleteDBInstance");
    expect(instanceDelete).toBeLessThan(clusterDelete);
    expect(inputs("DeleteTable")[0]).toEqual({ TableName: target("carts") });
    expect(second.done).toBe(false);
    expect(third).toMatchObject({ done: true, leftovers: 0 });
    expect(region().dbInstances.map((d) => d.id)).toEqual(["someone-elses-db"]);
  });

  it("never deletes a resource tagged with another run: a leftover, then CleanupIncomplete", async () => {
    // Prepare
    const web = await w.restore("web-data", target("web-data"));
    await tagAsIntegrate(web, { "drctl:execution": "drill-shop-other" });
    await putJobs([web.record]);
    // Act
    const err = await failure();
    // Assess
    expect(err).toMatchObject({ name: "CleanupIncomplete" });
    expect(err.message).toContain("tagged drctl:execution=drill-shop-other; not deleted");
    expect(w.requests("DeleteVolume")).toHaveLength(0);
    expect((await cleanupDocument()).leftovers).toHaveLength(1);
  });

  it("writes the document and throws CleanupIncomplete when AWS refuses a delete (deletion protection)", async () => {
    // Prepare: restored with deletion protection on (the plan's metadata did not turn it off)
    await w.createStack(RUN.stackName, PREFIX, OURS);
    const orders = await w.restore("orders-db", target("orders-db"), {
      metadata: { DeletionProtection: "true" },
    });
    await tagAsIntegrate(orders);
    await putJobs([orders.record]);
    w.advance(SETTLE_SECONDS);
    // Act
    const first = await round(); // the stack is still deleting
    settle();
    const err = await failure();
    // Assess
    expect(first.done).toBe(false);
    expect(err).toMatchObject({ name: "CleanupIncomplete" });
    expect(await cleanupDocument()).toMatchObject({ pending: [], rounds: 2 });
    expect((await cleanupDocument()).leftovers[0]).toContain(
      `${orders.arn}: rds:DeleteDBInstance failed for ${target("orders-db")}: InvalidParameterCombination`,
    );
    expect(region().dbInstances.map((d) => d.id)).toEqual([target("orders-db")]);
  });

  it("ends with leftovers when AWS refuses to detach a volume or delete a mount target (no endless wait)", async () => {
    // Prepare: the role may not delete the mount target's network interface, nor detach the volume
    await w.createStack(RUN.stackName, PREFIX, OURS);
    const web = await w.restore("web-data", target("web-data"));
    const files = await w.restore("shared-files", target("shared-files"));
    await tagAsIntegrate(web);
    await tagAsIntegrate(files);
    await w.seed("ec2", "AttachVolume", {
      VolumeId: idOf(web.arn),
      InstanceId: stackInstance().id,
      Device: "/dev/sdf",
    });
    await w.seed("efs", "CreateMountTarget", { FileSystemId: idOf(files.arn), SubnetId: "subnet-0dra" });
    await putJobs([web.record, files.record]);
    w.advance(SETTLE_SECONDS);
    const mountTarget = region().fileSystems[0]?.mountTargets[0];
    w.fault(
      { call: "efs:DeleteMountTarget", error: "AccessDeniedException", times: 100 },
      { call: "ec2:DetachVolume", error: "UnauthorizedOperation", times: 100 },
    );

    // Act: rounds as the state machine runs them, until cleanup ends (or obviously never does)
    let outcome: unknown;
    let rounds = 0;
    while (outcome === undefined && rounds < 6) {
      rounds++;
      const r = await round().catch((e: unknown) => e);
      if (r instanceof Error || (r as CleanupProgress).done) outcome = r;
      else w.advance((r as CleanupProgress).waitSeconds);
    }

    // Assess: it ends; the refused mount target is a leftover, with AWS's reason, and keeps the file system;
    // the refused detach is recorded, and the volume went once the stack's deletion terminated the
    // instance it was attached to (EC2 detaches a terminated instance's volumes).
    expect(outcome).toMatchObject({ name: "CleanupIncomplete" });
    expect(rounds).toBeLessThanOrEqual(3);
    const doc = await cleanupDocument();
    const leftovers = doc.leftovers.join("\n");
    expect(leftovers).toContain(`${files.arn} mount target ${mountTarget}: efs:DeleteMountTarget failed`);
    expect(leftovers).toContain("AccessDeniedException");
    expect(leftovers).toContain(`${files.arn}: not deleted: 1 mount target(s) could not be deleted`);
    expect(doc.track?.[`detach ${web.arn}`]?.refused).toContain("ec2:DetachVolume failed");
    expect(doc.deleted).toContain(web.arn);
    expect(region().fileSystems.map((f) => f.arn)).toEqual([files.arn]);
  });

  it("retries a delete refused right after Integrate tagged the resource (tags take effect after a delay)", async () => {
    // Prepare: Integrate tagged the volume 2 s ago, then failed; the World's IAM does not see the tags yet
    const web = await w.restore("web-data", target("web-data"));
    await putJobs([web.record]);
    await tagAsIntegrate(web);
    await putIntegration([{ name: "web-data", arn: web.arn, taggedAt: w.now().toISOString() }]);
    w.advance(2);
    // Act
    const progress = await round();
    // Assess: refused by IAM, retried in the next round; nothing is given up as a leftover
    expect(w.requests("DeleteVolume").map((r) => r.error)).toEqual(["UnauthorizedOperation"]);
    expect((await cleanupDocument()).leftovers).toEqual([]);
    expect(progress).toMatchObject({ done: false, leftovers: 0 });
    expect((await cleanupDocument()).pending).toContainEqual(
      expect.stringContaining(`${web.arn}: delete retried after ec2:DeleteVolume failed`),
    );
    expect((await cleanupDocument()).track?.[`delete ${web.arn}`]?.error).toContain(
      "s ago; tags used in IAM conditions take effect after a short delay",
    );
    // And the next round deletes it.
    w.advance(progress.waitSeconds);
    await round();
    expect(accepted("DeleteVolume")).toHaveLength(1);
  });

  it("leaves a stack that is not tagged with this run", async () => {
    const stackId = await w.createStack(RUN.stackName, PREFIX, { "drctl:execution": "drill-shop-other" });
    const err = await failure();
    expect(err).toMatchObject({ name: "CleanupIncomplete" });
    expect(w.requests("DeleteStack")).toHaveLength(0);
    expect((await cleanupDocument()).leftovers).toEqual([
      `stack ${RUN.stackName}: not tagged drctl:execution=${RUN.name}; not deleted`,
    ]);
    expect(region().stacks.find((s) => s.id === stackId)?.status).toBe("CREATE_COMPLETE");
  });

  it("refuses to run for a failover", async () => {
    const run = runContext({ mode: "failover" });
    const err = await failure(run);
    expect(err).toMatchObject({ name: "InputInvalid" });
    expect(w.requests()).toHaveLength(0);
  });

  it("estimates the next wait from the running restore's expected completion", async () => {
    // Prepare: orders-db is PENDING 30 s, then RUNNING 2100 s: ExpectedCompletionTimeMinutes 36; 30 min have passed
    const orders = await w.startRestore("orders-db", target("orders-db"));
    await putJobs([orders.record]);
    w.advance(1800);
    // Act
    const progress = await round();
    // Assess: 36 minutes expected from the job's creation, 30 elapsed → 360 s
    expect(progress).toMatchObject({ done: false, pending: 1, waitSeconds: 360 });
  });
});

describe("cleanup handler", () => {
  it("rejects a bad event with InputInvalid", async () => {
    vi.stubEnv("ARTIFACTS_BUCKET", "drctl-artifacts-test");
    const err = await handler({}, localContext("cleanup")).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "InputInvalid" });
    vi.unstubAllEnvs();
  });
});
