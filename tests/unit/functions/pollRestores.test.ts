import {
  BackupClient,
  DescribeRestoreJobCommand,
  ListRestoreJobsCommand,
  type RestoreJobsListMember,
  StartRestoreJobCommand,
} from "@aws-sdk/client-backup";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it, vi } from "vitest";
import { handler } from "../../../functions/pollRestores/handler.js";
import { pollRestores } from "../../../functions/pollRestores/pollRestores.js";
import { backupApi } from "../../../functions/shared/aws/backup.js";
import { localContext } from "../../../functions/shared/middleware.js";
import { restoreIdempotencyToken } from "../../../functions/shared/naming.js";
import {
  JobsDocument,
  type RestoreJobRecord,
  type RestoreProgress,
} from "../../../functions/shared/types.js";
import {
  appConfig,
  BUCKET,
  jobRecord,
  memoryS3,
  plannedRestore,
  RESTORE_ROLE_ARN,
  runContext,
} from "../../support/fixtures.js";

const CREATED = new Date("2026-03-01T09:02:00Z");
const at = (minutes: number) => new Date(CREATED.getTime() + minutes * 60_000);

function setup(jobs: RestoreJobRecord[], nowMinutes = 10) {
  const run = runContext();
  const s3 = memoryS3();
  const jobsKey = `${run.artifactsPrefix}jobs.json`;
  s3.putJson(jobsKey, { run: run.name, jobs });
  s3.putJson(`${run.artifactsPrefix}plan.json`, {
    run: run.name,
    createdAt: CREATED.toISOString(),
    restores: jobs.map((j) => plannedRestore(j.name)),
  });
  const client = new BackupClient({ region: "us-west-2" });
  const backup = mockClient(client);
  const deps = {
    backup: backupApi(client),
    store: s3.store,
    roleArn: RESTORE_ROLE_ARN,
    now: () => at(nowMinutes),
  };
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
  const doc = () => JobsDocument.parse(s3.getJson(jobsKey));
  return { run, s3, backup, deps, progress, doc };
}

const listed = (id: string, extra: Partial<RestoreJobsListMember> = {}): RestoreJobsListMember => ({
  RestoreJobId: id,
  RecoveryPointArn: "arn:rp",
  CreationDate: CREATED,
  Status: "RUNNING",
  ...extra,
});

describe("pollRestores", () => {
  it("updates every job from one ListRestoreJobs call and finishes when all completed", async () => {
    // Prepare
    const { run, backup, deps, progress, doc } = setup([
      jobRecord("orders-db"),
      jobRecord("carts", { type: "dynamodb" }),
    ]);
    backup.on(ListRestoreJobsCommand).resolves({
      RestoreJobs: [
        listed("job-orders-db-1", {
          Status: "COMPLETED",
          CompletionDate: at(8),
          CreatedResourceArn: "arn:aws:rds:us-west-2:1:db:orders-db-abc123",
        }),
        listed("job-carts-1", {
          Status: "COMPLETED",
          CompletionDate: at(9),
          CreatedResourceArn: "arn:aws:dynamodb:us-west-2:1:table/carts-abc123",
        }),
        listed("job-of-someone-else", { Status: "FAILED" }),
      ],
    });
    // Act
    const next = await pollRestores({ run: run, restores: progress }, { ...deps, config: appConfig() });
    // Assess
    expect(next).toMatchObject({
      total: 2,
      completed: 2,
      running: 0,
      failed: 0,
      allTerminal: true,
      ticks: 4,
    });
    expect(backup.commandCalls(ListRestoreJobsCommand)).toHaveLength(1);
    expect(backup.commandCalls(ListRestoreJobsCommand)[0]?.args[0].input.ByCreatedAfter).toEqual(
      new Date("2026-03-01T08:55:00Z"),
    );
    expect(backup.commandCalls(DescribeRestoreJobCommand)).toHaveLength(0);
    expect(doc().jobs[0]).toMatchObject({
      status: "COMPLETED",
      completedAt: at(8).toISOString(),
      createdResourceArn: "arn:aws:rds:us-west-2:1:db:orders-db-abc123",
    });
  });

  it("describes only the jobs the list misses", async () => {
    const { run, backup, deps, progress, doc } = setup([jobRecord("orders-db"), jobRecord("carts")]);
    backup.on(ListRestoreJobsCommand).resolves({ RestoreJobs: [listed("job-orders-db-1")] });
    backup
      .on(DescribeRestoreJobCommand)
      .resolves({ RestoreJobId: "job-carts-1", Status: "COMPLETED", CreationDate: CREATED });
    const next = await pollRestores({ run: run, restores: progress }, { ...deps, config: appConfig() });
    expect(backup.commandCalls(DescribeRestoreJobCommand).map((c) => c.args[0].input.RestoreJobId)).toEqual([
      "job-carts-1",
    ]);
    expect(next).toMatchObject({ completed: 1, running: 1, allTerminal: false });
    expect(doc().jobs[1]?.status).toBe("COMPLETED");
  });

  it("restarts a failed job with a new attempt and idempotency token", async () => {
    // Prepare
    const { run, backup, deps, progress, doc } = setup([jobRecord("orders-db")]);
    backup.on(ListRestoreJobsCommand).resolves({
      RestoreJobs: [listed("job-orders-db-1", { Status: "FAILED", StatusMessage: "Volume quota exceeded" })],
    });
    backup.on(StartRestoreJobCommand).resolves({ RestoreJobId: "job-orders-db-2" });
    // Act
    const next = await pollRestores({ run: run, restores: progress }, { ...deps, config: appConfig() });
    // Assess
    const start = backup.commandCalls(StartRestoreJobCommand)[0]?.args[0].input;
    expect(start?.IdempotencyToken).toBe(restoreIdempotencyToken(run.executionArn, "orders-db", 2));
    expect(start?.IdempotencyToken).not.toBe(restoreIdempotencyToken(run.executionArn, "orders-db", 1));
    expect(start).toMatchObject({
      IamRoleArn: RESTORE_ROLE_ARN,
      ResourceType: "RDS",
      Metadata: { DBInstanceIdentifier: "orders-db-abc123" },
    });
    expect(doc().jobs[0]).toMatchObject({
      restoreJobId: "job-orders-db-2",
      attempt: 2,
      status: "PENDING",
      previousJobIds: ["job-orders-db-1"],
      statusMessage: "attempt 1 FAILED: Volume quota exceeded",
    });
    // The new attempt is looked at again soon (the polling floor).
    expect(next).toMatchObject({ running: 1, failed: 0, allTerminal: false, waitSeconds: 15 });
  });

  it("fails with RestoreFailed after the last attempt, naming the resource, job and AWS message", async () => {
    // Prepare
    const { run, backup, deps, progress, doc } = setup([
      jobRecord("orders-db", {
        restoreJobId: "job-orders-db-2",
        attempt: 2,
        previousJobIds: ["job-orders-db-1"],
      }),
    ]);
    backup.on(ListRestoreJobsCommand).resolves({
      RestoreJobs: [listed("job-orders-db-2", { Status: "ABORTED", StatusMessage: "Insufficient capacity" })],
    });
    // Act
    const err = await pollRestores(
      { run: run, restores: progress },
      { ...deps, config: appConfig({ maxRestoreAttempts: 2 }) },
    ).catch((e: unknown) => e);
    // Assess
    expect((err as Error).name).toBe("RestoreFailed");
    expect((err as Error).message).toMatch(
      /orders-db \(job job-orders-db-2, attempt 2\) ABORTED: Insufficient capacity/,
    );
    expect(backup.commandCalls(StartRestoreJobCommand)).toHaveLength(0);
    expect(doc().jobs[0]?.status).toBe("ABORTED");
  });

  it("waits at most a tenth of a job's age; an expected end only makes the wait shorter", async () => {
    // Prepare: now = created + 10 min
    const { run, backup, deps, progress } = setup([jobRecord("orders-db"), jobRecord("carts")]);
    backup
      .on(ListRestoreJobsCommand)
      .resolvesOnce({
        RestoreJobs: [
          listed("job-orders-db-1", { ExpectedCompletionTimeMinutes: 35 }), // 25 min left
          listed("job-carts-1", { PercentDone: "50.00%" }), // 10 min left
        ],
      })
      .resolvesOnce({
        RestoreJobs: [
          listed("job-orders-db-1", { ExpectedCompletionTimeMinutes: 35 }),
          listed("job-carts-1", { ExpectedCompletionTimeMinutes: 10.5 }),
        ],
      });
    // Act
    const far = await pollRestores({ run: run, restores: progress }, { ...deps, config: appConfig() });
    const soon = await pollRestores({ run: run, restores: far }, { ...deps, config: appConfig() });
    // Assess: 10 min old → at most 60 s, whatever the estimates say (25 and 10 min left)
    expect(far.waitSeconds).toBe(60);
    // carts is expected to end in 30 s: look right after
    expect(soon.waitSeconds).toBe(30);
  });

  it("uses the time to the nearest expected end when it is within the job's age bound", async () => {
    // Prepare: 30 min old (bound 180 s), expected to end in 2 min
    const { run, backup, deps, progress } = setup([jobRecord("orders-db")], 30);
    backup
      .on(ListRestoreJobsCommand)
      .resolves({ RestoreJobs: [listed("job-orders-db-1", { ExpectedCompletionTimeMinutes: 32 })] });
    // Act
    const next = await pollRestores({ run: run, restores: progress }, { ...deps, config: appConfig() });
    // Assess
    expect(next.waitSeconds).toBe(120);
  });

  it("gives up on a job running longer than 12 hours", async () => {
    const { run, backup, deps, progress } = setup([jobRecord("orders-db")], 12 * 60 + 5);
    backup
      .on(ListRestoreJobsCommand)
      .resolves({ RestoreJobs: [listed("job-orders-db-1", { PercentDone: "97.0%" })] });
    await expect(
      pollRestores({ run: run, restores: progress }, { ...deps, config: appConfig() }),
    ).rejects.toMatchObject({
      name: "RestoreFailed",
      message: expect.stringMatching(/orders-db .* still RUNNING after 12\.1 h \(limit 12 h, 97% done\)/),
    });
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
