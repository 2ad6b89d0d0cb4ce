import { BackupClient, StartRestoreJobCommand } from "@aws-sdk/client-backup";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it, vi } from "vitest";
import { backupApi } from "../../../functions/shared/aws/backup.js";
import { localContext } from "../../../functions/shared/middleware.js";
import { restoreIdempotencyToken } from "../../../functions/shared/naming.js";
import { JobsDocument, type PlanDocument, type PlannedRestore } from "../../../functions/shared/types.js";
import { handler } from "../../../functions/startRestores/handler.js";
import { startRestores } from "../../../functions/startRestores/startRestores.js";
import { BUCKET, memoryS3, plannedRestore, RESTORE_ROLE_ARN, runContext } from "../../support/fixtures.js";

const NOW = new Date("2026-03-01T09:02:00Z");

function setup(restores: PlannedRestore[]) {
  const run = runContext();
  const s3 = memoryS3();
  const planKey = `${run.artifactsPrefix}plan.json`;
  s3.putJson(planKey, { run: run.name, createdAt: NOW.toISOString(), restores } satisfies PlanDocument);
  const client = new BackupClient({ region: "us-west-2" });
  const backup = mockClient(client);
  const deps = {
    backup: backupApi(client),
    store: s3.store,
    roleArn: RESTORE_ROLE_ARN,
    now: () => NOW,
    concurrency: 10,
  };
  const plan = { planKey, total: restores.length, worstRpoSeconds: 1500, rpoExceeded: [] };
  return { run, s3, backup, deps, plan, jobsKey: `${run.artifactsPrefix}jobs.json` };
}

describe("startRestores", () => {
  it("starts one job per planned restore and records them", async () => {
    // Prepare
    const { run, s3, backup, deps, plan, jobsKey } = setup([
      plannedRestore("orders-db"),
      plannedRestore("carts", "dynamodb"),
    ]);
    backup
      .on(StartRestoreJobCommand)
      .callsFake((input) => ({ RestoreJobId: `job-${input.Metadata?.DBInstanceIdentifier ?? "carts"}` }));
    // Act
    const progress = await startRestores({ run: run, plan: plan }, deps);
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
    });
    const first = backup.commandCalls(StartRestoreJobCommand)[0]?.args[0].input;
    expect(first).toEqual({
      RecoveryPointArn: "arn:aws:backup:us-west-2:111122223333:recovery-point:orders-db",
      IamRoleArn: RESTORE_ROLE_ARN,
      Metadata: { DBInstanceIdentifier: "orders-db-abc123" },
      ResourceType: "RDS",
      IdempotencyToken: restoreIdempotencyToken(run.executionArn, "orders-db", 1),
    });
    expect(backup.commandCalls(StartRestoreJobCommand)[1]?.args[0].input.ResourceType).toBe("DynamoDB");
    const doc = JobsDocument.parse(s3.getJson(jobsKey));
    expect(doc.jobs).toEqual([
      expect.objectContaining({
        name: "orders-db",
        restoreJobId: "job-orders-db-abc123",
        attempt: 1,
        status: "PENDING",
        startedAt: NOW.toISOString(),
      }),
      expect.objectContaining({ name: "carts", type: "dynamodb", attempt: 1, status: "PENDING" }),
    ]);
  });

  it("keeps a record of the jobs started before a failure, and reuses them when retried", async () => {
    // Prepare
    const restores = Array.from({ length: 12 }, (_, i) => plannedRestore(`db-${i}`));
    const { run, s3, backup, deps, plan, jobsKey } = setup(restores);
    let calls = 0;
    backup.on(StartRestoreJobCommand).callsFake((input) => {
      calls++;
      if (input.Metadata?.DBInstanceIdentifier === "db-11-abc123" && calls <= 12) {
        throw Object.assign(new Error("Rate exceeded"), {
          name: "ThrottlingException",
          $metadata: { httpStatusCode: 400 },
        });
      }
      return { RestoreJobId: `job-${input.Metadata?.DBInstanceIdentifier}` };
    });
    // Act
    const err = await startRestores({ run: run, plan: plan }, { ...deps, concurrency: 5 }).catch(
      (e: unknown) => e,
    );
    // Assess
    expect((err as Error).name).toBe("AwsTransient");
    const partial = JobsDocument.parse(s3.getJson(jobsKey));
    expect(partial.jobs.map((j) => j.name)).toEqual(restores.slice(0, 11).map((r) => r.name));

    // Act (the state machine retries the Task)
    const progress = await startRestores({ run: run, plan: plan }, { ...deps, concurrency: 5 });
    // Assess
    expect(progress.total).toBe(12);
    expect(backup.commandCalls(StartRestoreJobCommand)).toHaveLength(13);
    expect(JobsDocument.parse(s3.getJson(jobsKey)).jobs.map((j) => j.name)).toEqual(
      restores.map((r) => r.name),
    );
  });

  it("never has more than the given number of starts in flight", async () => {
    const { run, backup, deps, plan } = setup(
      Array.from({ length: 25 }, (_, i) => plannedRestore(`db-${i}`)),
    );
    let inFlight = 0;
    let peak = 0;
    backup.on(StartRestoreJobCommand).callsFake(async (input) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight--;
      return { RestoreJobId: `job-${input.Metadata?.DBInstanceIdentifier}` };
    });
    await startRestores({ run: run, plan: plan }, deps);
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
