/**
 * PollRestores over a restore job's whole life, under each way AWS Backup reports progress
 * (docs/fidelity.md, "AWS Backup: restore jobs"): the Wait → PollRestores loop is replayed on a
 * virtual clock. The loop must notice the job's completion promptly (within max(15 s, min(300 s,
 * 10 % of the job's running time))) and must not flood AWS (a bounded number of ticks, one
 * ListRestoreJobs call each).
 *
 * The progress models the sandbox's World has (linear, stuck, absent: world/restore-progress.ts)
 * run against the World (tests/support/step-world.ts), the job started there and polled through
 * the product's Backup wrapper signed as pollRestores. Two reporting patterns the World does not
 * model (a coarse PercentDone step, an overestimating ExpectedCompletionTimeMinutes) are replayed
 * on aws-sdk-client-mock, each tick answering ListRestoreJobs from the pattern at that time.
 */
import { BackupClient, ListRestoreJobsCommand, type RestoreJobsListMember } from "@aws-sdk/client-backup";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pollRestores } from "../../../functions/pollRestores/pollRestores.js";
import { backupApi } from "../../../functions/shared/aws/backup.js";
import {
  JobsDocument,
  type RestoreJobRecord,
  type RestoreProgress,
} from "../../../functions/shared/types.js";
import { RESTORE_POLL } from "../../../functions/shared/waits.js";
import type { ScenarioInput } from "../../../scripts/sandbox/scenario.js";
import { TIMINGS } from "../../../scripts/sandbox/world/index.js";
import {
  appConfig,
  jobRecord,
  memoryS3,
  plannedRestore,
  RESTORE_ROLE_ARN,
  runContext,
} from "../../support/fixtures.js";
import { type StepWorld, stepWorld, worldPlan } from "../../support/step-world.js";

const CREATED = Date.parse("2026-03-01T09:02:00Z");

/** What ListRestoreJobs shows of a job `elapsed` seconds after its CreationDate. */
type Model = (elapsed: number, duration: number) => Partial<RestoreJobsListMember>;
const pct = (p: number) => `${p.toFixed(2)}%`;
/** Patterns the World does not model (mocked). */
const MOCK_MODELS: Record<string, Model> = {
  // One coarse step (1 % after a tenth of the time) that linear extrapolation misreads.
  coarse: (e, d) => ({ PercentDone: e >= d / 10 ? "1.00%" : "0.00%" }),
  // AWS's estimate three times too long.
  overestimated: (e, d) => ({
    PercentDone: pct((100 * e) / d),
    ExpectedCompletionTimeMinutes: Math.ceil((3 * d) / 60),
  }),
};

/**
 * The PollRestores loop as the state machine runs it for one job: from StartRestores' result (the
 * first Wait) until every job is terminal; `advance` moves the clock by each wait. Returns the last
 * progress and the waits taken.
 */
async function pollUntilTerminal(
  jobsKey: string,
  advance: (seconds: number) => void,
  poll: (restores: RestoreProgress) => Promise<RestoreProgress>,
): Promise<{ progress: RestoreProgress; waits: number[] }> {
  let progress: RestoreProgress = {
    jobsKey,
    total: 1,
    completed: 0,
    running: 1,
    failed: 0,
    allTerminal: false,
    waitSeconds: 30,
    ticks: 0,
  };
  const waits: number[] = [];
  while (!progress.allTerminal && progress.ticks < 5000) {
    waits.push(progress.waitSeconds);
    advance(progress.waitSeconds);
    progress = await poll(progress);
  }
  return { progress, waits };
}

/** Replays the loop on the mock from StartRestores' first wait until PollRestores reports all terminal. */
async function replayMocked(model: Model, durationSeconds: number) {
  const run = runContext();
  const s3 = memoryS3();
  const jobsKey = `${run.artifactsPrefix}jobs.json`;
  const rec = jobRecord("orders-db", { status: "PENDING", startedAt: new Date(CREATED).toISOString() });
  s3.putJson(jobsKey, { run: run.name, jobs: [rec] });
  s3.putJson(`${run.artifactsPrefix}plan.json`, {
    run: run.name,
    createdAt: new Date(CREATED).toISOString(),
    restores: [plannedRestore("orders-db")],
  });
  const client = new BackupClient({ region: "us-west-2" });
  const backup = mockClient(client);
  let now = CREATED;
  const endsAt = CREATED + durationSeconds * 1000;
  backup.on(ListRestoreJobsCommand).callsFake(() => {
    const elapsed = (now - CREATED) / 1000;
    const done = now >= endsAt;
    const job: RestoreJobsListMember = {
      RestoreJobId: rec.restoreJobId,
      RecoveryPointArn: rec.recoveryPointArn,
      CreationDate: new Date(CREATED),
      Status: done ? "COMPLETED" : elapsed < 30 ? "PENDING" : "RUNNING",
      ...(done
        ? { CompletionDate: new Date(endsAt), CreatedResourceArn: "arn:aws:rds:us-west-2:1:db:orders-db-x" }
        : model(elapsed, durationSeconds)),
    };
    if (done && model(0, durationSeconds).PercentDone !== undefined) job.PercentDone = "100.00%";
    return { RestoreJobs: [job] };
  });
  const deps = {
    backup: backupApi(client),
    store: s3.store,
    roleArn: RESTORE_ROLE_ARN,
    now: () => new Date(now),
  };
  const { progress, waits } = await pollUntilTerminal(
    jobsKey,
    (seconds) => {
      now += seconds * 1000;
    },
    (restores) => pollRestores({ run: run, restores }, { ...deps, config: appConfig() }),
  );
  const doc = JobsDocument.parse(s3.getJson(jobsKey));
  return {
    ticks: progress.ticks,
    waits,
    gapSeconds: (now - endsAt) / 1000,
    listCalls: backup.commandCalls(ListRestoreJobsCommand).length,
    calls: backup.calls().length,
    record: doc.jobs[0],
  };
}

/** The promptness bound: a completion is noticed within this many seconds. */
const gapBound = (duration: number) =>
  Math.max(
    RESTORE_POLL.floorSeconds,
    Math.min(RESTORE_POLL.ceilingSeconds, RESTORE_POLL.fraction * duration),
  ) + 1;
/** The flood bound: ticks over a job's life (fast polls in its first minutes, then ≤ 1 per ceiling). */
const tickBudget = (duration: number) => 45 + Math.ceil(duration / RESTORE_POLL.ceilingSeconds);

// Ends that fall just after a tick of a fixed 300 s or 30 s rhythm show a late notice.
const DURATIONS = [
  ["5 min", 301],
  ["35 min", 2131],
  ["6 h", 6 * 3600 + 1],
] as const;

type Replay = Awaited<ReturnType<typeof replayMocked>>;

/** Prompt (the gap bound), not flooding (the tick budget), waits within bounds, one list call per tick. */
function assessReplay(r: Replay, duration: number) {
  expect(r.gapSeconds, `detection gap, waits ${r.waits.join(",")}`).toBeLessThanOrEqual(gapBound(duration));
  expect(r.gapSeconds).toBeGreaterThanOrEqual(0);
  expect(r.ticks, `ticks, waits ${r.waits.join(",")}`).toBeLessThanOrEqual(tickBudget(duration));
  expect(Math.min(...r.waits)).toBeGreaterThanOrEqual(RESTORE_POLL.floorSeconds);
  expect(Math.max(...r.waits)).toBeLessThanOrEqual(RESTORE_POLL.ceilingSeconds);
  // One paged ListRestoreJobs call per tick and nothing else.
  expect(r.listCalls).toBe(r.ticks);
  expect(r.calls).toBe(r.ticks);
}

const WORLD_MODELS = ["linear", "stuck", "absent"] as const;
type WorldModel = (typeof WORLD_MODELS)[number];
/** One scenario resource per model and duration: its job ends `duration` s after its CreationDate. */
const job = (model: WorldModel, duration: number): ScenarioInput["resources"][number] => ({
  name: `${model}-${duration}`,
  type: "dynamodb",
  restoreSeconds: duration - TIMINGS.restorePendingSeconds,
  restoreProgress: model,
});
const WORLD_RESOURCES = [
  ...WORLD_MODELS.flatMap((m) => DURATIONS.map(([, d]) => job(m, d))),
  job("stuck", 2400),
];

let w: StepWorld;
beforeAll(async () => {
  w = await stepWorld("pollRestores", { iam: false, scenario: { resources: WORLD_RESOURCES } });
});
afterAll(async () => {
  await w.close();
});

/** Replays the loop in the World: the job started now, polled from StartRestores' first wait until all terminal. */
async function replayInWorld(model: WorldModel, duration: number) {
  w.advance(60);
  const name = `${model}-${duration}`;
  const run = runContext({ startedAt: w.now().toISOString() });
  await w.putJson(`${run.artifactsPrefix}plan.json`, await worldPlan(w, run, [name]));
  const { jobId, record } = await w.startRestore(name, `${name}-${run.suffix}`);
  const created = w.now().getTime();
  const jobsKey = `${run.artifactsPrefix}jobs.json`;
  await w.putJson(jobsKey, {
    run: run.name,
    jobs: [{ ...record, status: "PENDING" } satisfies RestoreJobRecord],
  });
  const deps = {
    backup: w.apis.backup,
    store: w.store,
    roleArn: w.names.restoreRoleArn,
    now: w.now,
    config: w.config,
  };
  const before = w.requests().length;
  const { progress, waits } = await pollUntilTerminal(
    jobsKey,
    (seconds) => w.advance(seconds),
    (restores) => pollRestores({ run, restores }, deps),
  );
  const done = await w.seed("backup", "DescribeRestoreJob", { RestoreJobId: jobId });
  const endsAt = new Date(done.CompletionDate as Date).getTime();
  // The step's AWS Backup calls (its artifacts are in the World's S3 too).
  const calls = w
    .requests()
    .slice(before)
    .filter((c) => c.service === "backup");
  return {
    created,
    endsAt,
    ticks: progress.ticks,
    waits,
    gapSeconds: (w.now().getTime() - endsAt) / 1000,
    listCalls: calls.filter((c) => c.operation === "ListRestoreJobs").length,
    calls: calls.length,
    record: (await w.store.getJson(jobsKey, JobsDocument)).jobs[0],
  };
}

describe("pollRestores: waits bounded and prompt however AWS reports progress (World models)", () => {
  it.each(WORLD_MODELS.flatMap((m) => DURATIONS.map(([label, d]) => [m, label, d] as const)))(
    "%s progress, %s restore: noticed promptly, without flooding",
    async (model, _label, duration) => {
      // Act
      const r = await replayInWorld(model, duration);
      // Assess
      expect(r.endsAt - r.created).toBe(duration * 1000);
      assessReplay(r, duration);
    },
  );

  it("records the job's own CreationDate and CompletionDate, and when the poll noticed it", async () => {
    // Act
    const r = await replayInWorld("stuck", 2400);
    // Assess
    expect(r.record).toMatchObject({
      status: "COMPLETED",
      createdAt: new Date(r.created).toISOString(),
      completedAt: new Date(r.created + 2400_000).toISOString(),
      noticedAt: new Date(r.created + 2400_000 + r.gapSeconds * 1000).toISOString(),
    });
  });
});

describe("pollRestores: waits bounded and prompt under progress reports the World does not model (mocked)", () => {
  it.each(Object.keys(MOCK_MODELS).flatMap((m) => DURATIONS.map(([label, d]) => [m, label, d] as const)))(
    "%s progress, %s restore: noticed promptly, without flooding",
    async (model, _label, duration) => {
      // Act
      const r = await replayMocked(MOCK_MODELS[model] as Model, duration);
      // Assess
      assessReplay(r, duration);
    },
  );
});
