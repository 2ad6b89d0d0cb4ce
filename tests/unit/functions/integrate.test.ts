/**
 * Integrate against the sandbox's World (tests/support/step-world.ts): the drill's restores and
 * DR stack are created in the World, then integrate ticks on the virtual clock through the
 * product's service wrappers, signed as the integrate function, under its synthesized IAM.
 * Volumes attach, mount targets come up, instances register with Systems Manager and mount
 * commands run as the World models them; AWS refusals are the World's call faults.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { handler } from "../../../functions/integrate/handler.js";
import {
  type IntegrateDeps,
  type IntegrateEvent,
  integrate,
} from "../../../functions/integrate/integrate.js";
import { TAG_SETTLE_SECONDS } from "../../../functions/integrate/tick.js";
import { localContext } from "../../../functions/shared/middleware.js";
import {
  IntegrationDocument,
  type IntegrationProgress,
  type RunContext,
  runTags,
} from "../../../functions/shared/types.js";
import type { ScenarioInput } from "../../../scripts/sandbox/scenario.js";
import { TIMINGS } from "../../../scripts/sandbox/world/index.js";
import { runContext } from "../../support/fixtures.js";
import { drillState } from "../../support/fixtures-report.js";
import { type SeededRestore, type StepWorld, stepWorld } from "../../support/step-world.js";

const RUN = runContext();
const PREFIX = RUN.parameterPrefix;
const STACK_TAG = "aws:cloudformation:stack-name";
const tagList = (t: Record<string, string>) => Object.entries(t).map(([Key, Value]) => ({ Key, Value }));

const RESOURCES: ScenarioInput["resources"] = [
  { name: "orders-db", type: "rds", restoreSeconds: 60, integrate: { ssmParameter: "/shop/db/endpoint" } },
  {
    name: "web-data",
    type: "ebs",
    restoreSeconds: 60,
    integrate: { attachToTag: "role=web", device: "/dev/sdf" },
  },
  {
    name: "shared-files",
    type: "efs",
    restoreSeconds: 60,
    dependsOn: ["orders-db"],
    integrate: { ssmParameter: "/shop/efs/id", mountPath: "/mnt/shared" },
  },
];

interface Drill {
  w: StepWorld;
  run: RunContext;
  restores: Record<string, Required<SeededRestore>>;
  stackId: string;
}

let w: StepWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

/**
 * A drill up to Integrate: the resources restored (before the stack, as StartRestores runs first),
 * the DR stack created with one instance (us-west-2a) unless `stackParameters` say otherwise,
 * the plan and jobs documents written.
 */
async function drill(
  opts: {
    resources?: ScenarioInput["resources"];
    app?: Partial<ScenarioInput["app"]>;
    run?: RunContext;
    stackParameters?: Record<string, string>;
    metadata?: Record<string, Record<string, string>>;
    /** false: no DR stack yet (integration alongside the restores, before the deploy ends). */
    stack?: boolean;
    tagPropagationSeconds?: number;
  } = {},
): Promise<Drill> {
  const run = opts.run ?? RUN;
  const app = { stackName: "shop-dr", deploySeconds: 540, healthyAfterSeconds: 60, ...opts.app };
  w = await stepWorld("integrate", {
    scenario: { resources: opts.resources ?? RESOURCES, app },
    ...(opts.tagPropagationSeconds === undefined
      ? {}
      : { tagPropagationSeconds: opts.tagPropagationSeconds }),
  });
  const restores: Drill["restores"] = {};
  for (const r of w.config.resources) restores[r.name] = await w.restore(r.name, `${r.name}-${run.suffix}`);
  const stackId =
    opts.stack === false
      ? ""
      : await w.createStack(run.stackName, run.parameterPrefix, runTags(run), {
          DesiredCapacity: "1",
          ...opts.stackParameters,
        });
  await w.putJson(`${run.artifactsPrefix}plan.json`, w.plan(run, opts.metadata));
  await w.putJson(`${run.artifactsPrefix}jobs.json`, {
    run: run.name,
    jobs: Object.values(restores).map((r) => r.record),
  });
  return { w, run, restores, stackId };
}

const event = (run = RUN): IntegrateEvent => ({ run, recovery: drillState(run).recovery }) as IntegrateEvent;
const deps = (d: Drill): IntegrateDeps => ({
  store: d.w.store,
  ...d.w.apis,
  now: d.w.now,
  config: d.w.config,
});
/** One Integrate Task as the state machine runs it (AwsTransient retried). */
const tick = (d: Drill, with_: IntegrateDeps = deps(d)) => d.w.task(() => integrate(event(d.run), with_));
const failure = (d: Drill) =>
  tick(d).then(
    () => new Error("integrate succeeded but was expected to fail"),
    (e: unknown) => e as Error,
  );
const savedDocument = (d: Drill) =>
  d.w.store.getJson(`${d.run.artifactsPrefix}integration.json`, IntegrationDocument);
/** Inputs of the step's accepted calls of one operation. */
const inputs = (d: Drill, operation: string) =>
  d.w
    .requests(operation)
    .filter((r) => r.error === undefined)
    .map((r) => r.input);
const idOf = (arn: string) => arn.split(/[/:]/).at(-1) as string;
const parameter = (d: Drill, name: string) => d.w.world.inspect().parameters[name];
const instances = (d: Drill) =>
  d.w.world.inspect().instances.filter((i) => i.tags[STACK_TAG] === d.run.stackName);
/** The endpoint integrate writes for the restored DB instance: address:port, as RDS describes it. */
async function dbEndpoint(d: Drill, id: string): Promise<string> {
  const out = await d.w.seed("rds", "DescribeDBInstances", { DBInstanceIdentifier: id });
  const db = (out.DBInstances as { Endpoint: { Address: string; Port: number } }[])[0];
  return `${db?.Endpoint.Address}:${db?.Endpoint.Port}`;
}
/** When the stack's instance was launched (virtual ms). */
async function launchedAt(d: Drill): Promise<number> {
  const out = await d.w.seed("ec2", "DescribeInstances", { InstanceIds: [instances(d)[0]?.id] });
  const r = out.Reservations as { Instances: { LaunchTime: Date | string }[] }[];
  return new Date(r[0]?.Instances[0]?.LaunchTime ?? 0).getTime();
}
/** Ticks as the state machine runs them (waiting waitSeconds between) until integrate has tried SendCommand. */
async function untilSent(d: Drill, with_: IntegrateDeps = deps(d)): Promise<IntegrationProgress> {
  for (let n = 1; ; n++) {
    const progress = await tick(d, with_);
    if (d.w.requests("SendCommand").length > 0 || progress.allDone || n >= 10) return progress;
    d.w.advance(progress.waitSeconds);
  }
}
/** Ticks (waiting waitSeconds between) until integrate is done (its progress) or fails (the error). */
async function untilEnd(d: Drill, with_: IntegrateDeps = deps(d)): Promise<IntegrationProgress | Error> {
  for (let n = 1; ; n++) {
    const progress = await tick(d, with_).catch((e: unknown) => e as Error);
    if (progress instanceof Error || progress.allDone || n >= 20) return progress;
    d.w.advance(progress.waitSeconds);
  }
}
/** Ticks until the volume is attached and the mount targets are available (the mount is next). */
async function upToTheMount(d: Drill): Promise<void> {
  for (let n = 0; n < 10; n++) {
    const mts = d.w.world.inspect().fileSystems[0]?.mountTargets ?? [];
    const attached = d.w.world.inspect().volumes[0]?.state === "in-use";
    const ready =
      mts.length === 2 &&
      [...d.w.world.recovery.mountTargets.values()].every((m) => m.readyAt <= d.w.now().getTime());
    if (attached && ready) return;
    const progress = await tick(d);
    d.w.advance(progress.waitSeconds);
  }
}

describe("integrate", () => {
  it("integrates rds, ebs and efs over several ticks, in dependsOn order", async () => {
    const d = await drill();
    const [instance] = instances(d);
    const { "orders-db": orders, "web-data": web, "shared-files": files } = d.restores;
    const started = d.w.now();
    // Act 1: first tick
    const first = await tick(d);
    // Assess 1: orders-db done (endpoint written under the drill prefix); the volume and the file
    // system just tagged: their attach and mount targets wait TAG_SETTLE_SECONDS for IAM to count
    // the new tags (a call refused meanwhile would trip "unauthorized API call" alarms)
    expect(first).toMatchObject({ total: 3, done: 1, pending: 2, allDone: false });
    expect((await savedDocument(d)).resources.map((r) => [r.name, r.status])).toEqual([
      ["orders-db", "DONE"],
      ["web-data", "IN_PROGRESS"],
      ["shared-files", "IN_PROGRESS"],
    ]);
    expect(first.waitSeconds).toBe(TAG_SETTLE_SECONDS);
    expect(d.w.requests("AttachVolume")).toEqual([]);
    expect(d.w.requests("CreateMountTarget")).toEqual([]);
    expect(parameter(d, `${PREFIX}/shop/db/endpoint`)).toBe(await dbEndpoint(d, `orders-db-${RUN.suffix}`));
    expect(inputs(d, "PutParameter")[0]).toMatchObject({ Overwrite: false });
    expect(inputs(d, "AddTagsToResource")).toEqual([
      { ResourceName: orders?.arn, Tags: tagList(runTags(RUN)) },
    ]);
    expect(inputs(d, "DescribeInstances")[0]?.Filters).toEqual(
      expect.arrayContaining([
        { Name: "tag:role", Values: ["web"] },
        { Name: `tag:${STACK_TAG}`, Values: [RUN.stackName] },
      ]),
    );
    const fsId = idOf(files?.arn ?? "");

    // Act 2: the tags count; the mount targets become available, the instance a managed instance
    d.w.advance(first.waitSeconds);
    const second = await untilSent(d);
    // Assess 2: the volume attached; file system id written, mount command sent to the stack's instances
    expect(second).toMatchObject({ done: 2, pending: 1, allDone: false });
    expect(inputs(d, "AttachVolume")).toEqual([
      { VolumeId: idOf(web?.arn ?? ""), InstanceId: instance?.id, Device: "/dev/sdf" },
    ]);
    expect(inputs(d, "CreateMountTarget")).toEqual([
      { FileSystemId: fsId, SubnetId: "subnet-0dra", SecurityGroups: ["sg-0drdb"] },
      { FileSystemId: fsId, SubnetId: "subnet-0drb", SecurityGroups: ["sg-0drdb"] },
    ]);
    expect(parameter(d, `${PREFIX}/shop/efs/id`)).toBe(fsId);
    const send = inputs(d, "SendCommand")[0] as { InstanceIds: string[]; Parameters: { commands: string[] } };
    expect(send.InstanceIds).toEqual([instance?.id]);
    expect(send.Parameters.commands[0]).toContain(`mount -t efs -o tls ${fsId}:/ /mnt/shared`);
    expect(send.Parameters.commands[0]).toMatch(/^mkdir -p \/mnt\/shared && /);
    expect(inputs(d, "CreateMountTarget")).toHaveLength(2);
    // Nothing was refused on the way (but the first read of the integration document, not written
    // yet), and the parameter written once, not again on each look at the mount.
    const refused = d.w.requests().filter((r) => r.error !== undefined && r.error !== "NoSuchKey");
    expect(refused.map((r) => `${r.operation} ${r.error}`)).toEqual([]);

    // Act 3: the command succeeded
    d.w.advance(TIMINGS.commandSeconds);
    const third = await tick(d);
    // Assess 3
    expect(third).toMatchObject({ done: 3, pending: 0, allDone: true, completedAt: d.w.now().toISOString() });
    expect(inputs(d, "SendCommand")).toHaveLength(1);
    expect(inputs(d, "AttachVolume")).toHaveLength(1);
    const doc = await savedDocument(d);
    const commandId = inputs(d, "GetCommandInvocation")[0]?.CommandId;
    expect(doc.resources.find((r) => r.name === "shared-files")).toMatchObject({
      status: "DONE",
      restoredArn: files?.arn,
      commandIds: [commandId],
      instanceIds: [instance?.id],
      parameters: [`${PREFIX}/shop/efs/id`],
      // Started by the first tick (no Task retry: the refused attach only made the volume wait)
      startedAt: started.toISOString(),
      integratedAt: d.w.now().toISOString(),
    });
    expect(doc.resources.find((r) => r.name === "web-data")).toMatchObject({
      status: "DONE",
      instanceIds: [instance?.id],
    });
    expect(d.w.world.inspect().volumes[0]).toMatchObject({ state: "in-use", attachedTo: instance?.id });
  });

  it("tries a refused action again in a few seconds when IAM counts new tags later than drctl waits", async () => {
    // Prepare: AWS takes 20 s to count a tag (drctl waits TAG_SETTLE_SECONDS)
    const d = await drill({ tagPropagationSeconds: 20 });
    // Act
    const progress = await untilEnd(d);
    // Assess: each gated call refused while the tags did not count yet, then done without a Task retry
    expect(progress).toMatchObject({ allDone: true });
    const attaches = d.w.requests("AttachVolume").map((r) => r.error ?? "ok");
    expect(attaches.length).toBeGreaterThan(1);
    expect(
      attaches.slice(0, -1).every((e) => e === "UnauthorizedOperation"),
      attaches.join(),
    ).toBe(true);
    expect(attaches.at(-1)).toBe("ok");
    expect(d.w.requests("CreateMountTarget").at(-1)?.error).toBeUndefined();
  });

  it("does not start a resource before everything it depends on is DONE", async () => {
    // Prepare: the restored DB instance is not available yet
    const d = await drill();
    const db = d.w.world.recovery.dbInstances.get(`orders-db-${RUN.suffix}`);
    if (!db) throw new Error("no restored DB instance");
    db.readyAt = d.w.now().getTime() + 3600_000;
    // Act
    const progress = await tick(d);
    // Assess
    expect(progress.done).toBe(0);
    expect(d.w.requests("DescribeFileSystems")).toHaveLength(0);
    expect((await savedDocument(d)).resources.find((r) => r.name === "shared-files")?.status).toBe("PENDING");
    expect((await savedDocument(d)).resources.find((r) => r.name === "orders-db")?.status).toBe(
      "IN_PROGRESS",
    );
  });

  it("adds an instance to a restored Aurora cluster and writes the cluster endpoint once it is available", async () => {
    // Prepare
    const d = await drill({
      resources: [
        {
          name: "ledger",
          type: "aurora",
          restoreSeconds: 60,
          integrate: { ssmParameter: "/shop/ledger/endpoint" },
        },
      ],
      metadata: { ledger: { dbinstanceclass: "db.r6g.xlarge" } },
    });
    const clusterId = `ledger-${RUN.suffix}`;
    // Act
    const first = await tick(d);
    d.w.advance(TIMINGS.rdsCreateInstanceSeconds - 16);
    const second = await tick(d);
    d.w.advance(400);
    const third = await tick(d);
    // Assess
    expect(first.allDone).toBe(false);
    expect(second.allDone).toBe(false);
    expect(third.allDone).toBe(true);
    expect(inputs(d, "CreateDBInstance")).toHaveLength(1);
    expect(inputs(d, "CreateDBInstance")[0]).toMatchObject({
      DBInstanceIdentifier: `${clusterId}-i1`,
      DBClusterIdentifier: clusterId,
      DBInstanceClass: "db.r6g.xlarge",
      Engine: "aurora-postgresql",
    });
    const cluster = await d.w.seed("rds", "DescribeDBClusters", { DBClusterIdentifier: clusterId });
    const c = (cluster.DBClusters as { Endpoint: string; Port: number }[])[0];
    expect(parameter(d, `${PREFIX}/shop/ledger/endpoint`)).toBe(`${c?.Endpoint}:${c?.Port}`);
  });

  it("overwrites the production parameter (no prefix) in a failover", async () => {
    // Prepare
    const run = runContext({
      mode: "failover",
      parameterPrefix: "",
      stackName: "shop-dr",
      name: "failover-shop-x",
    });
    const d = await drill({ run });
    await d.w.seed("ssm", "PutParameter", {
      Name: "/shop/db/endpoint",
      Value: "primary.us-east-1.rds.amazonaws.com:5432",
      Type: "String",
    });
    // Act
    await tick(d);
    // Assess
    expect(parameter(d, "/shop/db/endpoint")).toBe(await dbEndpoint(d, `orders-db-${run.suffix}`));
    expect(inputs(d, "PutParameter")[0]).toMatchObject({ Name: "/shop/db/endpoint", Overwrite: true });
  });

  it("accepts a drill parameter that exists with our value (a retried tick)", async () => {
    // Prepare
    const d = await drill();
    await d.w.seed("ssm", "PutParameter", {
      Name: `${PREFIX}/shop/db/endpoint`,
      Value: await dbEndpoint(d, `orders-db-${RUN.suffix}`),
      Type: "String",
    });
    // Act
    await tick(d);
    // Assess
    expect((await savedDocument(d)).resources[0]).toMatchObject({
      name: "orders-db",
      status: "DONE",
      parameters: [`${PREFIX}/shop/db/endpoint`],
    });
  });

  it("refuses a drill parameter that exists with another value", async () => {
    // Prepare
    const d = await drill();
    await d.w.seed("ssm", "PutParameter", {
      Name: `${PREFIX}/shop/db/endpoint`,
      Value: "someone-else:5432",
      Type: "String",
    });
    // Act
    const err = await failure(d);
    // Assess
    expect(err).toMatchObject({ name: "IntegrationFailed" });
    expect(err.message).toContain("orders-db (rds): SSM parameter");
    expect(err.message).toContain("exists with another value (someone-else:5432)");
  });

  it("fails with IntegrationFailed naming the resource when the mount command fails", async () => {
    // Prepare: a mount target in us-west-2a exists already; the command's invocation answers Failed
    const d = await drill();
    const fsId = idOf(d.restores["shared-files"]?.arn ?? "");
    await d.w.seed("efs", "CreateMountTarget", { FileSystemId: fsId, SubnetId: "subnet-0dra" });
    const [instance] = instances(d);
    const ssm = d.w.apis.ssm;
    const failing: IntegrateDeps = {
      ...deps(d),
      ssm: {
        ...ssm,
        getCommandInvocation: async (commandId, instanceId) => ({
          commandId,
          instanceId,
          status: "Failed",
          stderr: "mount.nfs4: access denied by server\n",
        }),
      },
    };
    // Act: ticks until integrate ends (one mount target per AZ: it creates the one for 2b; then the command)
    const err = await untilEnd(d, failing);
    // Assess
    const commandId = (await savedDocument(d)).resources.find((r) => r.name === "shared-files")
      ?.commandIds?.[0];
    expect(err).toMatchObject({ name: "IntegrationFailed" });
    expect((err as Error).message).toBe(
      `shared-files (efs): mount command ${commandId} Failed on ${instance?.id}: mount.nfs4: access denied by server`,
    );
    expect(inputs(d, "CreateMountTarget").map((i) => i.SubnetId)).toEqual(["subnet-0drb"]);
    expect((await savedDocument(d)).resources.find((r) => r.name === "orders-db")?.status).toBe("DONE");
  });

  it("waits for the instances to become SSM managed instances before it sends the mount command", async () => {
    // Prepare: everything ready but the instance's SSM Agent, which registers 850 s after launch
    const d = await drill({ app: { ssmRegistrationSeconds: 850 } });
    const [instance] = instances(d);
    const registers = (await launchedAt(d)) + 850_000;
    await upToTheMount(d);
    expect(d.w.now().getTime()).toBeLessThan(registers);

    // Act 1: not registered yet
    const first = await tick(d);
    // Assess 1: waiting, no command sent
    expect(first).toMatchObject({ done: 2, pending: 1, allDone: false });
    expect(d.w.requests("SendCommand")).toHaveLength(0);
    expect(inputs(d, "DescribeInstanceInformation").at(-1)).toMatchObject({
      Filters: [{ Key: "InstanceIds", Values: [instance?.id] }],
    });

    // Act 2: registered
    d.w.advance((registers - d.w.now().getTime()) / 1000 + 1);
    const second = await tick(d);
    // Assess 2: the command goes out once
    expect(second.pending).toBe(1);
    expect(d.w.requests("SendCommand")).toHaveLength(1);
    expect((await savedDocument(d)).resources.find((r) => r.name === "shared-files")).toMatchObject({
      commandIds: [expect.any(String)],
      instanceIds: [instance?.id],
    });
  });

  it("waits when SendCommand still answers InvalidInstanceId for an instance listed Online", async () => {
    // Prepare: DescribeInstanceInformation says Online, Run Command does not accept it yet (once)
    const d = await drill();
    d.w.fault({ call: "ssm:SendCommand", error: "InvalidInstanceId", times: 1 });
    // Act
    const first = await untilSent(d);
    d.w.advance(30);
    const second = await tick(d);
    // Assess
    expect(first.pending).toBe(1);
    expect(second.pending).toBe(1);
    expect(d.w.requests("SendCommand").map((r) => r.error)).toEqual(["InvalidInstanceId", undefined]);
    const commandIds = (await savedDocument(d)).resources.find((r) => r.name === "shared-files")?.commandIds;
    expect(commandIds).toEqual([inputs(d, "GetCommandInvocation")[0]?.CommandId ?? expect.any(String)]);
  });

  it("fails with InstancesNotManaged once an instance is still not registered 15 minutes after launch", async () => {
    // Prepare: the SSM Agent never registers within the drill
    const d = await drill({ app: { ssmRegistrationSeconds: 7200 } });
    const [instance] = instances(d);
    const limit = (await launchedAt(d)) + 900_000;
    await upToTheMount(d);
    // Act
    d.w.advance((limit - d.w.now().getTime()) / 1000);
    const inTime = await tick(d);
    d.w.advance(1);
    const err = await failure(d);
    // Assess
    expect(inTime.pending).toBe(1);
    expect(err).toMatchObject({ name: "InstancesNotManaged" });
    expect(err.message).toMatch(
      new RegExp(
        `^shared-files \\(efs\\): cannot mount: instance\\(s\\) of stack .* are not Systems Manager managed instances 15 minutes after launch: ${instance?.id} \\(not registered\\)`,
      ),
    );
    expect(d.w.requests("SendCommand")).toHaveLength(0);
  });

  it("sends one mount command per 50 instances", async () => {
    // Prepare: 120 instances of the stack (the template's group stops at 20: the others are added to the World as is)
    const d = await drill({ stackParameters: { DesiredCapacity: "20" } });
    const region = d.w.world.recovery;
    const model = [...region.instances.values()].find((i) => i.az === "us-west-2a");
    if (!model) throw new Error("no stack instance in us-west-2a");
    for (const i of [...region.instances.values()]) if (i.az !== "us-west-2a") region.instances.delete(i.id);
    for (let n = region.instances.size; n < 120; n++) {
      const id = `i-0${n.toString(16).padStart(16, "0")}`;
      region.instances.set(id, {
        ...model,
        id,
        arn: model.arn.replace(model.id, id),
        tags: { ...model.tags },
      });
    }
    // Act
    await untilSent(d);
    // Assess
    const sent = inputs(d, "SendCommand").map((i) => (i.InstanceIds as string[]).length);
    expect(sent).toEqual([50, 50, 20]);
    const described = inputs(d, "DescribeInstanceInformation").map(
      (i) => (i.Filters as { Values: string[] }[])[0]?.Values.length,
    );
    expect(described.slice(-2)).toEqual([100, 20]);
    expect(
      (await savedDocument(d)).resources.find((r) => r.name === "shared-files")?.commandIds,
    ).toHaveLength(3);
  });

  it("turns an AWS refusal into IntegrationFailed naming the resource", async () => {
    // Prepare
    const d = await drill();
    d.w.fault({ call: "ec2:AttachVolume", error: "InvalidVolume.ZoneMismatch", times: 1 });
    // Act: ticks until it fails (the first attach is refused by IAM right after tagging and waits)
    const err = await untilEnd(d);
    // Assess
    expect(err).toMatchObject({ name: "IntegrationFailed" });
    expect((err as Error).message).toMatch(
      /^web-data \(ebs\): ec2:AttachVolume failed .*InvalidVolume\.ZoneMismatch/,
    );
  });

  it("fails when the stack has no instance with the attach tag", async () => {
    // Prepare: the stack's instances are tagged role=app
    const d = await drill({ stackParameters: { InstanceRoleTag: "app" } });
    // Act
    const err = await failure(d);
    // Assess
    expect(err).toMatchObject({ name: "IntegrationFailed" });
    expect(err.message).toContain(`web-data (ebs): stack ${RUN.stackName} has no instance tagged role=web`);
  });

  it("gives up on a resource still pending two hours after it started", async () => {
    // Prepare: the restored DB instance does not become available
    const d = await drill();
    const db = d.w.world.recovery.dbInstances.get(`orders-db-${RUN.suffix}`);
    if (!db) throw new Error("no restored DB instance");
    db.readyAt = d.w.now().getTime() + 24 * 3600_000;
    await tick(d);
    // Act
    d.w.advance(7201);
    const err = await failure(d);
    // Assess
    expect(err).toMatchObject({ name: "IntegrationFailed" });
    expect(err.message).toContain("orders-db (rds): not integrated 120 minutes after it started");
  });

  it("fails when a resource's restore job did not complete", async () => {
    // Prepare
    const d = await drill();
    const orders = d.restores["orders-db"];
    await d.w.putJson(`${RUN.artifactsPrefix}jobs.json`, {
      run: RUN.name,
      jobs: [{ ...orders?.record, status: "FAILED", createdResourceArn: undefined }],
    });
    // Act
    const err = await failure(d);
    // Assess
    expect(err.message).toBe(`orders-db (rds): restore job ${orders?.jobId} is FAILED; nothing to integrate`);
  });
});

describe("integrate: when a waiting resource is looked at again", () => {
  it("after the Recover parallel, within 30 s of its last look, though it asked for two minutes", async () => {
    // Prepare: an Aurora cluster whose added instance is being created (its next look asked for in 120 s)
    const d = await drill({
      resources: [
        { name: "catalog", type: "aurora", restoreSeconds: 60, integrate: { ssmParameter: "/shop/cat" } },
      ],
    });
    await tick(d);
    d.w.advance(5);
    const creating = await tick(d);
    const record = (await savedDocument(d)).resources[0];
    expect(inputs(d, "CreateDBInstance")).toHaveLength(1);
    expect(Date.parse(record?.checkAfter ?? "") - d.w.now().getTime()).toBe(120_000);
    const looks = d.w.requests("DescribeDBClusters").length;
    // Act
    d.w.advance(creating.waitSeconds);
    await tick(d);
    // Assess
    expect(creating.waitSeconds).toBe(30);
    expect(d.w.requests("DescribeDBClusters").length).toBe(looks + 1);
  });
});

describe("integrate alongside the restores (no stack in the event)", () => {
  /** The event IntegrateRestored passes: the plan and the restores' progress, no stack. */
  const alongside = (run: RunContext, pollWait = 90): IntegrateEvent => {
    const { plan, restores } = drillState(run).recovery;
    return { run, recovery: { plan, restores: { ...restores, waitSeconds: pollWait } } } as IntegrateEvent;
  };
  const tickAlongside = (d: Drill, pollWait?: number) =>
    d.w.task(() => integrate(alongside(d.run, pollWait), deps(d)));
  const statuses = async (d: Drill) =>
    Object.fromEntries((await savedDocument(d)).resources.map((r) => [r.name, r.status]));

  it("integrates only the resources whose restore job has COMPLETED, and leaves the others alone", async () => {
    // Prepare: shared-files (efs) is still restoring; orders-db and web-data are restored; no stack yet
    const d = await drill({ stack: false });
    const files = d.restores["shared-files"];
    await d.w.putJson(`${RUN.artifactsPrefix}jobs.json`, {
      run: RUN.name,
      jobs: Object.values(d.restores).map((r) =>
        r === files ? { ...r.record, status: "RUNNING", createdResourceArn: undefined } : r.record,
      ),
    });
    // Act
    const progress = await tickAlongside(d);
    // Assess: the endpoint is written; the volume waits for the stack; the file system is not touched
    expect(await statuses(d)).toMatchObject({ "orders-db": "DONE", "web-data": "IN_PROGRESS" });
    expect((await savedDocument(d)).resources.find((r) => r.name === "shared-files")).toMatchObject({
      status: "PENDING",
      actions: [],
    });
    expect(parameter(d, `${PREFIX}/shop/db/endpoint`)).toBe(await dbEndpoint(d, `orders-db-${RUN.suffix}`));
    expect(inputs(d, "AttachVolume")).toEqual([]);
    expect(inputs(d, "CreateMountTarget")).toEqual([]);
    expect(progress).toMatchObject({ done: 1, allDone: false, restoresSeen: 2, active: 0 });
    // Nothing in flight but the stack: the loop's next look is the restores' poll.
    expect(progress.waitSeconds).toBe(90);
  });

  it("attaches the volume once the run's stack is deployed, and starts the time limit then", async () => {
    // Prepare: the volume stopped at the stack three hours ago (longer than the two-hour limit)
    const d = await drill({ stack: false, resources: RESOURCES.slice(0, 2) });
    await tickAlongside(d);
    expect((await savedDocument(d)).resources.find((r) => r.name === "web-data")).toMatchObject({
      status: "IN_PROGRESS",
      waitingForStack: true,
    });
    d.w.advance(3 * 3600);
    const looks = d.w.requests("DescribeVolumes").length;
    // Act 1: the stack is not there yet
    await tickAlongside(d);
    // Assess 1: no second look at the volume while the stack is not deployed
    expect(inputs(d, "AttachVolume")).toEqual([]);
    expect(d.w.requests("DescribeVolumes").length).toBe(looks);
    // Act 2: the stack is deployed
    await d.w.createStack(RUN.stackName, RUN.parameterPrefix, runTags(RUN), { DesiredCapacity: "1" });
    await tickAlongside(d);
    // Assess 2: attached to the stack's instance, not failed for the hours it waited for the stack
    const [instance] = instances(d);
    expect(inputs(d, "AttachVolume")).toEqual([
      { VolumeId: idOf(d.restores["web-data"]?.arn ?? ""), InstanceId: instance?.id, Device: "/dev/sdf" },
    ]);
    expect((await savedDocument(d)).resources.find((r) => r.name === "web-data")).toMatchObject({
      waitingForStack: false,
    });
  });

  it("never acts on the stack of the name while the run replaces it", async () => {
    // Prepare: a usable stack of the run's name (the one a failed failover left, being replaced)
    const d = await drill();
    const run = { ...RUN, replaceStack: true };
    // Act
    await d.w.task(() => integrate(alongside(run), deps(d)));
    // Assess
    expect(inputs(d, "AttachVolume")).toEqual([]);
    expect(d.w.requests("DescribeStacks")).toEqual([]);
    expect((await savedDocument(d)).resources.find((r) => r.name === "web-data")).toMatchObject({
      waitingForStack: true,
    });
  });

  it("waits for the work in flight or the next poll, whichever comes first", async () => {
    // Prepare: an Aurora cluster restored; its instance takes minutes
    const d = await drill({
      stack: false,
      resources: [
        { name: "catalog", type: "aurora", restoreSeconds: 60, integrate: { ssmParameter: "/shop/cat" } },
      ],
    });
    // Act: the first look tags the cluster (the instance waits 5 s for the tags to count in IAM)
    await tickAlongside(d, 3000);
    d.w.advance(5);
    const soon = await tickAlongside(d, 3000);
    const late = await tickAlongside(d, 7);
    // Assess
    expect(inputs(d, "CreateDBInstance")).toHaveLength(1);
    expect(soon).toMatchObject({ active: 1, restoresSeen: 1 });
    expect(soon.waitSeconds).toBeLessThan(3000);
    expect(late.waitSeconds).toBe(7);
  });
});

describe("integrate handler", () => {
  it("rejects a bad event with InputInvalid", async () => {
    // Prepare
    vi.stubEnv("ARTIFACTS_BUCKET", "drctl-artifacts-test");
    // Act
    const err = await handler({ run: { name: 1 } }, localContext("integrate")).catch((e: unknown) => e);
    // Assess
    expect(err).toMatchObject({ name: "InputInvalid" });
    expect((err as Error).message).toContain("integrate input: run.name");
    vi.unstubAllEnvs();
  });
});
