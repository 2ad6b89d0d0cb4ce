/**
 * StartRestores against the sandbox's World (tests/support/step-world.ts): the plan's restores
 * start from the World's recovery points through the product's Backup wrapper, signed as the
 * startRestores function under its synthesized IAM; the jobs it records are the World's jobs.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { localContext } from "../../../functions/shared/middleware.js";
import { restoreIdempotencyToken } from "../../../functions/shared/naming.js";
import { JobsDocument, type RunContext } from "../../../functions/shared/types.js";
import { handler } from "../../../functions/startRestores/handler.js";
import { type StartRestoresDeps, startRestores } from "../../../functions/startRestores/startRestores.js";
import type { ScenarioInput } from "../../../scripts/sandbox/scenario.js";
import { BUCKET, RESTORE_ROLE_ARN, runContext } from "../../support/fixtures.js";
import { type StepWorld, stepWorld, worldPlan } from "../../support/step-world.js";

const TABLES = Array.from({ length: 25 }, (_, i) => `t-${i}`);
const RESOURCES: ScenarioInput["resources"] = [
  { name: "orders-db", type: "rds", restoreSeconds: 600 },
  { name: "carts", type: "dynamodb", restoreSeconds: 60 },
  ...TABLES.map((name) => ({ name, type: "dynamodb" as const, restoreSeconds: 60 })),
];

let w: StepWorld;
beforeAll(async () => {
  w = await stepWorld("startRestores", { scenario: { resources: RESOURCES } });
});
afterAll(async () => {
  await w.close();
});

/** A run of its own per case (its own artifacts prefix and restore names). */
let runs = 0;
const freshRun = (): RunContext =>
  runContext({ startedAt: new Date(Date.parse("2026-03-01T09:00:00Z") + ++runs * 60_000).toISOString() });

async function setup(names: string[]) {
  const run = freshRun();
  const planDoc = await worldPlan(w, run, names);
  const planKey = `${run.artifactsPrefix}plan.json`;
  await w.putJson(planKey, planDoc);
  const plan = { planKey, total: names.length, worstRpoSeconds: 1500, rpoExceeded: [] };
  const deps: StartRestoresDeps = {
    backup: w.apis.backup,
    store: w.store,
    roleArn: w.names.restoreRoleArn,
    now: w.now,
    concurrency: 10,
  };
  const jobsKey = `${run.artifactsPrefix}jobs.json`;
  const jobs = () => w.store.getJson(jobsKey, JobsDocument).then((d) => d.jobs);
  const starts = () =>
    w.requests("StartRestoreJob").filter((r) => JSON.stringify(r.input).includes(run.suffix));
  return { run, planDoc, plan, deps, jobsKey, jobs, starts };
}

describe("startRestores", () => {
  it("starts one job per planned restore and records them", async () => {
    // Prepare
    const { run, planDoc, plan, deps, jobsKey, jobs, starts } = await setup(["orders-db", "carts"]);
    // Act
    const progress = await startRestores({ run, plan }, deps);
    // Assess
    expect(progress).toEqual({
      jobsKey,
      total: 2,
      completed: 0,
      running: 2,
      failed: 0,
      allTerminal: false,
      waitSeconds: 30,
      ticks: 0,
      // The version it wrote: the first poll reads exactly that one.
      jobsVersion: deps.store.seenVersion(jobsKey),
    });
    expect(progress.jobsVersion).toMatch(/^"[0-9a-f]{32}"$/);
    const [db, carts] = planDoc.restores;
    expect(starts()[0]?.input).toEqual({
      RecoveryPointArn: db?.recoveryPointArn,
      IamRoleArn: w.names.restoreRoleArn,
      Metadata: db?.metadata,
      ResourceType: "RDS",
      IdempotencyToken: restoreIdempotencyToken(run.executionArn, "orders-db", 1),
    });
    expect(starts()[1]?.input).toMatchObject({
      RecoveryPointArn: carts?.recoveryPointArn,
      ResourceType: "DynamoDB",
    });
    const recorded = await jobs();
    expect(recorded).toEqual([
      expect.objectContaining({
        name: "orders-db",
        attempt: 1,
        status: "PENDING",
        startedAt: w.now().toISOString(),
      }),
      expect.objectContaining({ name: "carts", type: "dynamodb", attempt: 1, status: "PENDING" }),
    ]);
    // The recorded jobs are the World's: they run to the planned restores.
    w.advance(900);
    for (const rec of recorded) {
      const job = await w.seed("backup", "DescribeRestoreJob", { RestoreJobId: rec.restoreJobId });
      expect(job).toMatchObject({ Status: "COMPLETED", RecoveryPointArn: rec.recoveryPointArn });
      expect(job.CreatedResourceArn).toContain(`${rec.name}-${run.suffix}`);
    }
  });

  it("keeps a record of the jobs started before a failure, and reuses them when retried", async () => {
    // Prepare: StartRestoreJob of t-11 throttled on every SDK attempt of the first invocation
    const names = TABLES.slice(0, 12);
    const { run, plan, deps, jobs, starts } = await setup(names);
    w.fault({ call: "backup:StartRestoreJob", resource: "t-11", error: "ThrottlingException", times: 4 });
    // Act
    const err = await startRestores({ run, plan }, { ...deps, concurrency: 5 }).catch((e: unknown) => e);
    // Assess
    expect((err as Error).name).toBe("AwsTransient");
    expect((await jobs()).map((j) => j.name)).toEqual(names.slice(0, 11));

    // Act (the state machine retries the Task)
    const progress = await startRestores({ run, plan }, { ...deps, concurrency: 5 });
    // Assess: only t-11 started again; every accepted start is one job
    expect(progress.total).toBe(12);
    const accepted = starts().filter((r) => r.error === undefined);
    expect(accepted).toHaveLength(12);
    expect(starts().filter((r) => r.error === "ThrottlingException")).toHaveLength(4);
    const recorded = await jobs();
    expect(recorded.map((j) => j.name)).toEqual(names);
    expect(new Set(recorded.map((j) => j.restoreJobId)).size).toBe(12);
  });

  it("never has more than the given number of starts in flight", async () => {
    // Prepare: every call reaching the World takes 2 ms
    const { run, plan, deps, starts } = await setup(TABLES);
    const call = w.world.call.bind(w.world);
    let inFlight = 0;
    let peak = 0;
    w.world.call = async (...args) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      try {
        await new Promise((r) => setTimeout(r, 2));
        return await call(...args);
      } finally {
        inFlight--;
      }
    };
    // Act
    try {
      await startRestores({ run, plan }, deps);
    } finally {
      w.world.call = call;
    }
    // Assess
    expect(starts()).toHaveLength(25);
    expect(peak).toBe(10);
  });
});

describe("startRestores handler", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("rejects a malformed event with InputInvalid", async () => {
    vi.stubEnv("ARTIFACTS_BUCKET", BUCKET);
    vi.stubEnv("RESTORE_ROLE_ARN", RESTORE_ROLE_ARN);
    await expect(
      handler({ run: runContext(), plan: { planKey: 3 } }, localContext("startRestores")),
    ).rejects.toMatchObject({
      name: "InputInvalid",
      message: expect.stringMatching(/plan.planKey/),
    });
  });
});
