/**
 * What cleanup asks AWS, against the sandbox's World under the cleanup role's synthesized IAM:
 * parameters in batches of ten, a file system's mount targets listed only when its describe shows
 * more than cleanup deleted, a table known by its ARN read by its tags alone.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type CleanupDeps, cleanup } from "../../../functions/cleanup/cleanup.js";
import {
  CleanupDocument,
  type CleanupProgress,
  type IntegrationDocument,
  type RestoreJobRecord,
  runTags,
} from "../../../functions/shared/types.js";
import type { ScenarioInput } from "../../../scripts/sandbox/scenario.js";
import { runContext } from "../../support/fixtures.js";
import { type StepWorld, stepWorld } from "../../support/step-world.js";

const RUN = runContext();
const PREFIX = RUN.parameterPrefix;
const OURS = runTags(RUN);

const RESOURCES: ScenarioInput["resources"] = [
  { name: "orders-db", type: "rds", restoreSeconds: 600 },
  { name: "shared-files", type: "efs", restoreSeconds: 900, integrate: { ssmParameter: "/shop/efs/id" } },
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
const round = (): Promise<CleanupProgress> => cleanup({ run: RUN }, deps());
/** The error a round throws (undefined: none). */
const failure = (): Promise<Error | undefined> =>
  round().then(
    () => undefined,
    (e: unknown) => e as Error,
  );
const cleanupDocument = () => w.store.getJson(`${RUN.artifactsPrefix}cleanup.json`, CleanupDocument);
const ops = (operation: string) => w.requests(operation).length;
const idOf = (arn: string) => arn.split(/[/:]/).at(-1) as string;
const tagList = (tags: Record<string, string>) =>
  Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
const putJobs = (jobs: RestoreJobRecord[]) =>
  w.putJson(`${RUN.artifactsPrefix}jobs.json`, { run: RUN.name, jobs });
const putIntegration = (parameters: string[]) => {
  const doc: IntegrationDocument = {
    run: RUN.name,
    resources: [
      {
        name: "shared-files",
        status: "DONE",
        actions: [],
        parameters,
        startedAt: RUN.startedAt,
        integratedAt: RUN.startedAt,
      },
    ],
  };
  return w.putJson(`${RUN.artifactsPrefix}integration.json`, doc);
};
/** Rounds until done (at most 10), the clock moved on by each round's wait. */
async function untilDone(): Promise<CleanupProgress> {
  let last = await round();
  for (let i = 0; i < 10 && !last.done; i++) {
    w.advance(last.waitSeconds);
    last = await round();
  }
  return last;
}

describe("cleanup's calls", () => {
  it("deletes the drill's parameters with DeleteParameters, ten names a call; names never written are not counted", async () => {
    // Prepare: 12 recorded parameters (the configured one among them), 9 of them written
    const names = Array.from({ length: 11 }, (_, i) => `${PREFIX}/shop/p${String(i).padStart(2, "0")}`);
    const recorded = [...names, `${PREFIX}/shop/efs/id`];
    const written = recorded.slice(0, 9);
    for (const name of written)
      await w.seed("ssm", "PutParameter", { Name: name, Value: "v", Type: "String" });
    await w.seed("ssm", "PutParameter", { Name: "/shop/efs/id", Value: "fs-production", Type: "String" });
    await putIntegration(recorded);
    // Act
    const first = await round();
    const second = await round();
    // Assess: two calls, no single-name deletes, only the drill's written parameters deleted
    expect(first).toMatchObject({ done: true, leftovers: 0, deleted: 9 });
    expect(w.requests("DeleteParameters").map((r) => (r.input.Names as string[]).length)).toEqual([10, 2]);
    expect(ops("DeleteParameter")).toBe(0);
    const left = Object.keys(w.world.inspect().parameters);
    expect(left).toContain("/shop/efs/id");
    expect(left.filter((n) => n.startsWith(PREFIX))).toEqual([]);
    expect((await cleanupDocument()).deleted.sort()).toEqual([...written].sort());
    // Called again: nothing asked again
    expect(second).toMatchObject({ done: true, deleted: 9 });
    expect(ops("DeleteParameters")).toBe(2);
  });

  it("a refused DeleteParameters makes its own names leftovers; the other batch is deleted", async () => {
    // Prepare
    const names = Array.from({ length: 12 }, (_, i) => `${PREFIX}/shop/p${String(i).padStart(2, "0")}`);
    for (const name of names) await w.seed("ssm", "PutParameter", { Name: name, Value: "v", Type: "String" });
    await putIntegration(names);
    w.fault({ call: "ssm:DeleteParameters", error: "AccessDeniedException", times: 1 });
    // Act
    const err = await failure();
    // Assess
    expect(err?.name).toBe("CleanupIncomplete");
    const doc = await cleanupDocument();
    // The configured /shop/efs/id (never written) is in the first batch with nine others.
    const firstBatch = w.requests("DeleteParameters")[0]?.input.Names as string[];
    expect(firstBatch).toHaveLength(10);
    expect(doc.leftovers.map((l) => l.split(": ")[0]).sort()).toEqual([...firstBatch].sort());
    expect(doc.leftovers[0]).toContain("ssm:DeleteParameters failed for");
    const secondBatch = w.requests("DeleteParameters")[1]?.input.Names as string[];
    expect(doc.deleted.sort()).toEqual(secondBatch.filter((n) => names.includes(n)).sort());
  });

  it("lists a file system's mount targets once: waits on NumberOfMountTargets, deletes it when 0", async () => {
    // Prepare: a file system with two mount targets, tagged by Integrate
    const files = await w.restore("shared-files", target("shared-files"));
    const fsId = idOf(files.arn);
    await w.seed("efs", "TagResource", { ResourceId: fsId, Tags: tagList(OURS) });
    for (const SubnetId of ["subnet-0dra", "subnet-0drb"])
      await w.seed("efs", "CreateMountTarget", { FileSystemId: fsId, SubnetId });
    await putJobs([files.record]);
    w.advance(150);
    // Act
    const first = await round();
    w.advance(10); // the mount targets still deleting (30 s)
    const second = await round();
    const last = await untilDone();
    // Assess
    expect(first.done).toBe(false);
    expect(second.done).toBe(false);
    expect(ops("DeleteMountTarget")).toBe(2);
    expect(ops("DescribeMountTargets")).toBe(1);
    expect(w.requests("DeleteFileSystem").map((r) => r.error)).toEqual([undefined]);
    expect(last).toMatchObject({ done: true, leftovers: 0 });
    expect(w.world.inspect().fileSystems).toEqual([]);
  });

  it("a DeleteFileSystem answered FileSystemInUse is waited for and asked again, not a leftover", async () => {
    // Prepare: a tagged file system without mount targets; AWS answers FileSystemInUse once
    const files = await w.restore("shared-files", target("shared-files"));
    await w.seed("efs", "TagResource", { ResourceId: idOf(files.arn), Tags: tagList(OURS) });
    await putJobs([files.record]);
    w.advance(150);
    w.fault({ call: "efs:DeleteFileSystem", error: "FileSystemInUse", times: 1 });
    // Act
    const first = await round();
    const last = await untilDone();
    // Assess
    expect(first).toMatchObject({ done: false, leftovers: 0 });
    expect((await cleanupDocument()).track?.[`delete ${files.arn}`]?.refused).toBeUndefined();
    expect(w.requests("DeleteFileSystem").map((r) => r.error)).toEqual(["FileSystemInUse", undefined]);
    expect(last).toMatchObject({ done: true, leftovers: 0 });
    expect(w.world.inspect().fileSystems).toEqual([]);
  });

  it("a database and the stack being deleted are not described again until half their expected time has passed", async () => {
    // Prepare: a restored database and the drill stack, both tagged as the run's
    const stackId = await w.createStack(RUN.stackName, PREFIX, OURS);
    const orders = await w.restore("orders-db", target("orders-db"));
    await w.seed("rds", "AddTagsToResource", { ResourceName: orders.arn, Tags: tagList(OURS) });
    await putJobs([orders.record]);
    w.advance(150);
    const looks = () => [ops("DescribeDBInstances"), ops("DescribeStacks")];
    // Act: DeleteDBInstance (expected 300 s) and DeleteStack (120 s) accepted, then rounds after 15 s and 170 s
    const first = await round();
    const afterFirst = looks();
    w.advance(15);
    const second = await round();
    const afterSecond = looks();
    const pendingSecond = (await cleanupDocument()).pending;
    w.advance(155);
    const third = await round();
    // Assess
    expect(ops("DeleteDBInstance")).toBe(1);
    expect(w.requests("DeleteStack").map((r) => r.input.StackName)).toEqual([stackId]);
    expect([first.done, second.done]).toEqual([false, false]);
    expect(afterSecond).toEqual(afterFirst);
    expect(pendingSecond.sort()).toEqual(
      [`DB instance ${target("orders-db")} deleting`, `stack ${RUN.stackName} deleting`].sort(),
    );
    expect(looks()[0]).toBeGreaterThan(afterFirst[0] ?? 0);
    expect(looks()[1]).toBeGreaterThan(afterFirst[1] ?? 0);
    expect(third).toMatchObject({ done: true, leftovers: 0 });
  });

  it("deletes a table the restore job named by its tags alone: no DescribeTable", async () => {
    // Prepare
    const carts = await w.restore("carts", target("carts"));
    await w.seed("dynamodb", "TagResource", { ResourceArn: carts.arn, Tags: tagList(OURS) });
    await putJobs([carts.record]);
    w.advance(150); // the tags visible to IAM
    // Act
    const last = await untilDone();
    // Assess
    expect(last).toMatchObject({ done: true, leftovers: 0 });
    expect(ops("DescribeTable")).toBe(0);
    expect(ops("ListTagsOfResource")).toBe(1);
    expect(ops("DeleteTable")).toBe(1);
    expect((await cleanupDocument()).deleted).toContain(carts.arn);
  });

  it("a refused ListTagsOfResource (the table's only read) makes the table a leftover with the reason", async () => {
    // Prepare
    const carts = await w.restore("carts", target("carts"));
    await w.seed("dynamodb", "TagResource", { ResourceArn: carts.arn, Tags: tagList(OURS) });
    await putJobs([carts.record]);
    w.advance(150);
    w.fault({ call: "dynamodb:ListTagsOfResource", error: "AccessDeniedException", times: 1_000 });
    // Act
    const err = await failure();
    // Assess
    expect(err?.name).toBe("CleanupIncomplete");
    expect(ops("DeleteTable")).toBe(0);
    const leftovers = (await cleanupDocument()).leftovers;
    expect(leftovers).toHaveLength(1);
    expect(leftovers[0]).toMatch(
      new RegExp(`^${carts.arn}: dynamodb:ListTagsOfResource failed for ${carts.arn}: AccessDeniedException`),
    );
  });

  it("rounds after the first read only the cleanup document once the run's documents are complete, and keep their leftovers", async () => {
    // Prepare: a table to delete; integration recorded a source resource (never deleted)
    const carts = await w.restore("carts", target("carts"));
    await w.seed("dynamodb", "TagResource", { ResourceArn: carts.arn, Tags: tagList(OURS) });
    const jobs = [carts.record];
    // Every planned restore recorded (the others as failed jobs that created nothing).
    for (const name of ["orders-db", "shared-files"])
      jobs.push({ ...carts.record, name, restoreJobId: `job-${name}`, status: "FAILED" });
    delete (jobs[1] as { createdResourceArn?: string }).createdResourceArn;
    delete (jobs[2] as { createdResourceArn?: string }).createdResourceArn;
    await putJobs(jobs);
    const source = w.config.resources.find((r) => r.name === "orders-db")?.sourceArn ?? "";
    await w.putJson(`${RUN.artifactsPrefix}integration.json`, {
      run: RUN.name,
      resources: [
        {
          name: "orders-db",
          status: "DONE",
          restoredArn: source,
          actions: [],
          parameters: [],
          startedAt: RUN.startedAt,
        },
      ],
    } satisfies IntegrationDocument);
    w.advance(150);
    const reads = () =>
      w.requests("GetObject").map((r) => String(r.input.Key).replace(RUN.artifactsPrefix, ""));
    // Act
    const first = await round();
    const afterFirst = reads().length;
    w.advance(first.waitSeconds);
    await round().catch(() => undefined);
    // Assess
    expect(reads().slice(afterFirst)).toEqual(["cleanup.json"]);
    const doc = await cleanupDocument();
    expect(doc.leftovers).toEqual([`${source}: is a protected source resource; not deleted`]);
    expect(doc.deleted).toContain(carts.arn);
  });

  it("while a restore job runs, every round reads the jobs document again", async () => {
    // Prepare
    const orders = await w.startRestore("orders-db", target("orders-db"));
    await putJobs([orders.record]);
    const reads = () =>
      w.requests("GetObject").map((r) => String(r.input.Key).replace(RUN.artifactsPrefix, ""));
    // Act
    const first = await round();
    const afterFirst = reads().length;
    await round();
    // Assess
    expect(first.done).toBe(false);
    expect(reads().slice(afterFirst).sort()).toEqual(["cleanup.json", "integration.json", "jobs.json"]);
  });

  it("the round that sweeps describes databases and file systems from the sweep's listings", async () => {
    // Prepare
    const orders = await w.restore("orders-db", target("orders-db"));
    const files = await w.restore("shared-files", target("shared-files"));
    await w.seed("rds", "AddTagsToResource", { ResourceName: orders.arn, Tags: tagList(OURS) });
    await w.seed("efs", "TagResource", { ResourceId: idOf(files.arn), Tags: tagList(OURS) });
    await putJobs([orders.record, files.record]);
    w.advance(150);
    // Act
    await round();
    // Assess: one listing of each (unfiltered), and both deleted
    expect(w.requests("DescribeDBInstances").map((r) => r.input)).toEqual([{ MaxRecords: 100 }]);
    expect(w.requests("DescribeFileSystems").map((r) => r.input)).toEqual([{ MaxItems: 100 }]);
    expect(ops("DeleteDBInstance")).toBe(1);
    expect(ops("DeleteFileSystem")).toBe(1);
  });

  it("a failed listing leaves its kind to the round's own describes", async () => {
    // Prepare
    const orders = await w.restore("orders-db", target("orders-db"));
    await w.seed("rds", "AddTagsToResource", { ResourceName: orders.arn, Tags: tagList(OURS) });
    await putJobs([orders.record]);
    w.advance(150);
    w.fault({ call: "rds:DescribeDBInstances", error: "Throttling", times: 4 });
    // Act
    await round();
    // Assess: the listing throttled (retried next round), the instance described by id and deleted
    const described = w.requests("DescribeDBInstances").filter((r) => r.error === undefined);
    expect(described.map((r) => r.input.Filters)).toEqual([
      [{ Name: "db-instance-id", Values: [target("orders-db")] }],
    ]);
    expect(ops("DeleteDBInstance")).toBe(1);
  });

  it("a table of another run found by its ARN is a leftover, not deleted", async () => {
    // Prepare
    const carts = await w.restore("carts", target("carts"));
    const theirs = { ...OURS, "drctl:execution": "drill-shop-other" };
    await w.seed("dynamodb", "TagResource", { ResourceArn: carts.arn, Tags: tagList(theirs) });
    await putJobs([carts.record]);
    // Act
    const err = await failure();
    // Assess
    expect(err?.name).toBe("CleanupIncomplete");
    expect(ops("DeleteTable")).toBe(0);
    expect((await cleanupDocument()).leftovers).toEqual([
      `${carts.arn}: found by restore job ${carts.jobId} but tagged drctl:execution=drill-shop-other; not deleted`,
    ]);
  });
});
