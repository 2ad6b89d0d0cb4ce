/**
 * PollRestores against the sandbox's World (tests/support/step-world.ts): restore jobs are started
 * in the World (its restore faults make them end FAILED/ABORTED), the jobs document records them as
 * startRestores would, and the step polls, restarts and times them through the product's Backup
 * wrapper, signed as the pollRestores function under its synthesized IAM, on the virtual clock.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { INTEGRATION_SPACING_SECONDS } from "../../../functions/pollRestores/alongside.js";
import { handler } from "../../../functions/pollRestores/handler.js";
import {
  type PollRestoresDeps,
  type PollRestoresEvent,
  pollRestores,
} from "../../../functions/pollRestores/pollRestores.js";
import { localContext } from "../../../functions/shared/middleware.js";
import { restoreIdempotencyToken } from "../../../functions/shared/naming.js";
import {
  JobsDocument,
  type RestoreJobRecord,
  type RestoreProgress,
  type RunContext,
} from "../../../functions/shared/types.js";
import type { ScenarioInput } from "../../../scripts/sandbox/scenario.js";
import { BUCKET, RESTORE_ROLE_ARN, runContext } from "../../support/fixtures.js";
import { type StepWorld, stepWorld, worldFault, worldPlan } from "../../support/step-world.js";

const RESOURCES: ScenarioInput["resources"] = [
  { name: "orders-db", type: "rds", restoreSeconds: 420 },
  { name: "carts", type: "dynamodb", restoreSeconds: 60 },
  { name: "audit", type: "dynamodb", restoreSeconds: 60 },
  // Linear progress (PercentDone and ExpectedCompletionTimeMinutes = ceil((30 s + restoreSeconds) / 60)).
  { name: "long-35", type: "dynamodb", restoreSeconds: 2070, restoreProgress: "linear" },
  { name: "long-21", type: "dynamodb", restoreSeconds: 1230, restoreProgress: "linear" },
  { name: "long-32", type: "dynamodb", restoreSeconds: 1890, restoreProgress: "linear" },
  // 97 % done after 12 h 05 min (30 s PENDING first).
  { name: "endless", type: "dynamodb", restoreSeconds: 44_814, restoreProgress: "linear" },
];

let w: StepWorld;
beforeAll(async () => {
  w = await stepWorld("pollRestores", { scenario: { resources: RESOURCES } });
});
afterAll(async () => {
  await w.close();
});

/**
 * A run started now (its own artifacts and restore names), its plan of `names`, and their restore
 * jobs started in the World and recorded as startRestores records them (`records` overrides them).
 * `early` restores start 10 minutes before the run (before its ListRestoreJobs lookback).
 */
async function setup(
  names: string[],
  opts: { records?: Partial<RestoreJobRecord>[]; early?: string[] } = {},
) {
  const early = opts.early ?? [];
  const started = new Map<string, RestoreJobRecord>();
  w.advance(60);
  const suffix = `${w.now().getTime() / 1000}`;
  for (const name of early) started.set(name, (await w.startRestore(name, `${name}-e${suffix}`)).record);
  if (early.length > 0) w.advance(600);
  const run: RunContext = runContext({ startedAt: w.now().toISOString() });
  await w.putJson(`${run.artifactsPrefix}plan.json`, await worldPlan(w, run, [...early, ...names]));
  for (const name of names) started.set(name, (await w.startRestore(name, `${name}-${run.suffix}`)).record);
  const jobs = [...early, ...names].map(
    (name, i) => ({ ...started.get(name), status: "PENDING", ...opts.records?.[i] }) as RestoreJobRecord,
  );
  const jobsKey = `${run.artifactsPrefix}jobs.json`;
  await w.putJson(jobsKey, { run: run.name, jobs });
  const progress: RestoreProgress = {
    jobsKey,
    total: jobs.length,
    completed: 0,
    running: jobs.length,
    failed: 0,
    allTerminal: false,
    waitSeconds: 30,
    ticks: 3,
  };
  const deps = (config = w.config): PollRestoresDeps => ({
    backup: w.apis.backup,
    store: w.store,
    roleArn: w.names.restoreRoleArn,
    now: w.now,
    config,
  });
  const poll = (restores = progress, config = w.config, alongside?: PollRestoresEvent["alongside"]) =>
    pollRestores({ run, restores, ...(alongside ? { alongside } : {}) }, deps(config));
  const doc = () => w.store.getJson(jobsKey, JobsDocument);
  const calls = w.requests().length;
  /** The step's requests of one operation since setup. */
  const since = (operation: string) =>
    w
      .requests()
      .slice(calls)
      .filter((r) => r.operation === operation);
  return { run, jobs, poll, doc, since };
}

const describeJob = (id: string) => w.seed("backup", "DescribeRestoreJob", { RestoreJobId: id });
const failure = (p: Promise<unknown>) =>
  p.then(
    () => new Error("pollRestores succeeded but was expected to fail"),
    (e: unknown) => e as Error,
  );

describe("pollRestores", () => {
  it("updates every job from one ListRestoreJobs call and finishes when all completed", async () => {
    // Prepare: two jobs of the run, and a restore the run did not start (it fails)
    const { run, jobs, poll, doc, since } = await setup(["orders-db", "carts"]);
    worldFault(w, { restore: "audit", status: "FAILED", times: 1 });
    await w.startRestore("audit", `audit-not-ours-${run.suffix}`);
    w.advance(600);
    const db = await describeJob(jobs[0]?.restoreJobId as string);
    // Act
    const next = await poll();
    // Assess
    expect(next).toMatchObject({
      total: 2,
      completed: 2,
      running: 0,
      failed: 0,
      allTerminal: true,
      ticks: 4,
    });
    expect(since("ListRestoreJobs")).toHaveLength(1);
    expect(since("ListRestoreJobs")[0]?.input.ByCreatedAfter).toEqual(
      new Date(Date.parse(run.startedAt) - 5 * 60_000),
    );
    expect(since("DescribeRestoreJob")).toHaveLength(0);
    expect(since("StartRestoreJob")).toHaveLength(0);
    expect((await doc()).jobs[0]).toMatchObject({
      status: "COMPLETED",
      completedAt: new Date(db.CompletionDate as Date).toISOString(),
      createdResourceArn: db.CreatedResourceArn,
    });
    expect(db.CreatedResourceArn).toContain(`orders-db-${run.suffix}`);
  });

  it("describes only the jobs the list misses", async () => {
    // Prepare: carts' job (60 s, done) was created before the run's lookback; orders-db's is new
    const { jobs, poll, doc, since } = await setup(["orders-db"], { early: ["carts"] });
    // Act
    const next = await poll();
    // Assess
    expect(since("DescribeRestoreJob").map((r) => r.input.RestoreJobId)).toEqual([jobs[0]?.restoreJobId]);
    expect(next).toMatchObject({ completed: 1, running: 1, allTerminal: false });
    expect((await doc()).jobs.map((j) => [j.name, j.status])).toEqual([
      ["carts", "COMPLETED"],
      ["orders-db", "PENDING"],
    ]);
  });

  it("restarts a failed job with a new attempt and idempotency token", async () => {
    // Prepare: the first restore job of orders-db fails
    worldFault(w, { restore: "orders-db", status: "FAILED", message: "Volume quota exceeded", times: 1 });
    const { run, jobs, poll, doc, since } = await setup(["orders-db"]);
    w.advance(600);
    // Act
    const next = await poll();
    // Assess
    const start = since("StartRestoreJob")[0]?.input;
    expect(start?.IdempotencyToken).toBe(restoreIdempotencyToken(run.executionArn, "orders-db", 2));
    expect(start?.IdempotencyToken).not.toBe(restoreIdempotencyToken(run.executionArn, "orders-db", 1));
    expect(start).toMatchObject({
      IamRoleArn: w.names.restoreRoleArn,
      ResourceType: "RDS",
      Metadata: expect.objectContaining({ DBInstanceIdentifier: `orders-db-${run.suffix}` }),
    });
    const [rec] = (await doc()).jobs;
    expect(rec).toMatchObject({
      attempt: 2,
      status: "PENDING",
      previousJobIds: [jobs[0]?.restoreJobId],
      statusMessage: "attempt 1 FAILED: Volume quota exceeded",
    });
    // The new attempt is the World's, and it runs.
    expect(rec?.restoreJobId).not.toBe(jobs[0]?.restoreJobId);
    expect(await describeJob(rec?.restoreJobId as string)).toMatchObject({ Status: "PENDING" });
    // The new attempt is looked at again soon (the polling floor).
    expect(next).toMatchObject({ running: 1, failed: 0, allTerminal: false, waitSeconds: 15 });
  });

  it("fails with RestoreFailed after the last attempt, naming the resource, job and AWS message", async () => {
    // Prepare: attempt 2 of orders-db ends ABORTED
    worldFault(w, { restore: "orders-db", status: "ABORTED", message: "Insufficient capacity", times: 1 });
    const { jobs, poll, doc, since } = await setup(["orders-db"], {
      records: [{ attempt: 2, previousJobIds: ["an-earlier-job"] }],
    });
    w.advance(600);
    // Act
    const err = await failure(poll(undefined, { ...w.config, maxRestoreAttempts: 2 }));
    // Assess
    expect(err.name).toBe("RestoreFailed");
    expect(err.message).toContain(
      `orders-db (job ${jobs[0]?.restoreJobId}, attempt 2) ABORTED: Insufficient capacity`,
    );
    expect(since("StartRestoreJob")).toHaveLength(0);
    expect((await doc()).jobs[0]?.status).toBe("ABORTED");
  });

  it("waits at most a tenth of a job's age; an expected end only makes the wait shorter", async () => {
    // Prepare: expected to take 35 and 21 minutes
    const { poll } = await setup(["long-35", "long-21"]);
    // Act: 10 min old (25 and 11 min left), then 19.5 min old (15.5 min and 90 s left)
    w.advance(600);
    const far = await poll();
    w.advance(570);
    const soon = await poll(far);
    // Assess: 10 min old → at most 60 s, whatever the estimates say
    expect(far.waitSeconds).toBe(60);
    // long-21 is expected to end in 90 s, within the 117 s bound: look right after
    expect(soon.waitSeconds).toBe(90);
  });

  it("uses the time to the nearest expected end when it is within the job's age bound", async () => {
    // Prepare: expected to take 32 minutes; 31 min old (bound 90 s: the ceiling)
    const { poll } = await setup(["long-32"]);
    w.advance(1860);
    // Act
    const next = await poll();
    // Assess
    expect(next.waitSeconds).toBe(60);
  });

  it("gives up on a job running longer than 12 hours", async () => {
    const { poll } = await setup(["endless"]);
    w.advance(12 * 3600 + 300);
    const err = await failure(poll());
    expect(err.name).toBe("RestoreFailed");
    expect(err.message).toMatch(/endless .* still RUNNING after 12\.1 h \(limit 12 h, 97% done\)/);
  });
});

describe("pollRestores: the integration alongside the restores", () => {
  it("says integration is due after a completion, spaced, and keeps its wait within the integration's look", async () => {
    // Prepare: carts' restore completes, long-32's runs on (its own next poll: a minute away); the
    // integration last ran 100 s ago, and wants a look in 40 s
    const { poll } = await setup(["carts", "long-32"]);
    w.advance(600);
    const ranAt = new Date(w.now().getTime() - 100_000).toISOString();
    const dueAt = new Date(w.now().getTime() + 40_000).toISOString();
    // Act
    const fresh = await poll(undefined, undefined, { restoresSeen: 0 });
    const spaced = await poll(undefined, undefined, { restoresSeen: 0, ranAt });
    const looking = await poll(undefined, undefined, { restoresSeen: 1, dueAt });
    // Assess: a new completion is integrated at once, or once INTEGRATION_SPACING_SECONDS have passed
    expect(fresh).toMatchObject({ completed: 1, integrationDue: true });
    expect(spaced).toMatchObject({ integrationDue: false, waitSeconds: INTEGRATION_SPACING_SECONDS - 100 });
    expect(looking).toMatchObject({ integrationDue: false, waitSeconds: 40 });
  });

  it("asks AWS nothing when woken for the integration before its own poll is due", async () => {
    // Prepare: the last poll wants the next one in 90 s; the integration's look is due now
    const { poll, since } = await setup(["long-32"]);
    const pollAt = new Date(w.now().getTime() + 90_000).toISOString();
    const restores = { ...(await poll()), pollAt };
    const lists = since("ListRestoreJobs").length;
    w.advance(30);
    // Act
    const next = await poll(restores, undefined, { restoresSeen: 0, dueAt: w.now().toISOString() });
    // Assess
    expect(since("ListRestoreJobs")).toHaveLength(lists);
    expect(next).toMatchObject({ integrationDue: true, waitSeconds: 60, ticks: restores.ticks });
  });
});

describe("pollRestores handler", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("rejects a malformed event with InputInvalid", async () => {
    vi.stubEnv("ARTIFACTS_BUCKET", BUCKET);
    vi.stubEnv("RESTORE_ROLE_ARN", RESTORE_ROLE_ARN);
    await expect(handler({ run: runContext() }, localContext("pollRestores"))).rejects.toMatchObject({
      name: "InputInvalid",
      message: expect.stringMatching(/restores/),
    });
  });
});
