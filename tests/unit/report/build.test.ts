import { describe, expect, it } from "vitest";
import {
  buildReport,
  Report,
  type ReportInput,
  StateSnapshot,
} from "../../../functions/shared/report/index.js";
import { appConfig, RUN_NAME, runContext } from "../../support/fixtures.js";
import {
  drillHistory,
  drillState,
  HistoryBuilder,
  integrationDocument,
  iso,
  jobsDocument,
  planDocument,
  sfnWith,
} from "../../support/fixtures-report.js";

async function input(history: HistoryBuilder, overrides: Partial<ReportInput> = {}): Promise<ReportInput> {
  const events = await sfnWith(history.events).api.getExecutionHistory("arn");
  return {
    run: runContext(),
    config: appConfig(),
    state: StateSnapshot.parse(drillState()),
    history: events,
    plan: planDocument(),
    jobs: jobsDocument(),
    integration: integrationDocument(),
    final: false,
    now: events[events.length - 1]?.timestamp ?? new Date(),
    ...overrides,
  };
}

describe("buildReport: a successful drill", () => {
  it("computes phases from state enter/exit events, in PHASES order", async () => {
    // Prepare
    const history = drillHistory();
    // Act
    const report = buildReport(await input(history));
    // Assess
    expect(report.phases.map((p) => [p.name, p.startedAt, p.endedAt, p.seconds, p.status])).toEqual([
      ["lock", iso(0), iso(2), 2, "SUCCEEDED"],
      ["deploy", iso(3), iso(543), 540, "SUCCEEDED"],
      ["plan", iso(3), iso(10), 7, "SUCCEEDED"],
      ["restore", iso(10), iso(2115), 2105, "SUCCEEDED"],
      ["integrate", iso(2116), iso(2200), 84, "SUCCEEDED"],
      ["validate", iso(2201), iso(2260), 59, "SUCCEEDED"],
      ["report", iso(2261), iso(2261), 0, "RUNNING"],
    ]);
    expect(Report.safeParse(report).success).toBe(true);
  });

  it("computes RTO to health validated, RPO as the worst resource, and the history counts", async () => {
    // Prepare
    const history = drillHistory();
    const enteredCount = history.events.filter((e) => String(e.type).endsWith("StateEntered")).length;
    // Act
    const report = buildReport(await input(history));
    // Assess
    expect(report.rtoSeconds).toBe(2260);
    expect(report.rpoSeconds).toBe(1500);
    expect(report.execution).toMatchObject({
      name: RUN_NAME,
      mode: "drill",
      startedAt: iso(0),
      endedAt: iso(2261),
      historyEvents: history.events.length,
      stateTransitions: enteredCount,
      maxPayloadBytes: 9120,
    });
    expect(report.outcome).toBe("SUCCEEDED");
    expect(report.failedStep).toBeNull();
    expect(report.error).toBeNull();
    expect(report.dns).toEqual({ changed: false, record: "app.example.com.", from: null, to: null });
    expect(report.cleanup).toMatchObject({ status: "PENDING", deleted: [], leftovers: [] });
  });

  it("computes the critical path: lock + plan + the gating restore + its integration chain + validate", async () => {
    // Prepare: lock 2, plan 7, deploy 540, restores 2100/300/900, chain orders-db 4 + shared-files 80 = 84
    // (web-data 64), validate 59
    const history = drillHistory();
    // Act
    const report = buildReport(await input(history));
    // Assess
    expect(report.criticalPath?.map((p) => `${p.kind} ${p.name}`)).toEqual([
      "phase lock",
      "phase plan",
      "restore orders-db",
      "integration orders-db",
      "integration shared-files",
      "phase validate",
    ]);
    // The sum of the path's durations: the gaps between them (waits, polling) are left out.
    expect(report.criticalPathSeconds).toBe(2 + 7 + 2100 + 84 + 59);
  });

  it("lists every planned resource with its restore and integration", async () => {
    // Act
    const report = buildReport(await input(drillHistory()));
    // Assess
    expect(report.resources[0]).toEqual({
      name: "orders-db",
      type: "rds",
      recoveryPointArn: expect.stringContaining("orders-db-rp"),
      recoveryPointCreatedAt: iso(-1500),
      rpoSeconds: 1500,
      restoreJobId: "job-orders-db",
      status: "COMPLETED",
      restoreSeconds: 2100,
      restoredArn: expect.stringContaining(":db:orders-db-3b5a1c"),
      integratedAt: iso(2120),
      attempts: 1,
      // jobs recorded before the first poll saw them: drctl's StartRestoreJob time stands in
      restoreCreatedAt: iso(10),
      restoreCompletedAt: iso(2110),
      noticedAt: null,
      detectionGapSeconds: null,
    });
    expect(report.resources.map((r) => r.name)).toEqual(["orders-db", "web-data", "shared-files"]);
    expect(report.detectionGap).toBeNull();
  });

  it("times restores by the jobs' own CreationDate → CompletionDate and shows when polling noticed them", async () => {
    // Prepare: AWS created the jobs 2 s after drctl asked; polls noticed them 0-95 s late
    const jobs = jobsDocument().jobs.map((j, i) => ({
      ...j,
      createdAt: iso(12),
      noticedAt: new Date(Date.parse(j.completedAt ?? "") + ([95, 0, 40][i] ?? 0) * 1000).toISOString(),
    }));
    // Act
    const report = buildReport(await input(drillHistory(), { jobs: { run: "r", jobs } }));
    // Assess
    expect(
      report.resources.map((r) => [r.name, r.restoreSeconds, r.restoreCreatedAt, r.detectionGapSeconds]),
    ).toEqual([
      ["orders-db", 2098, iso(12), 95],
      ["web-data", 298, iso(12), 0],
      ["shared-files", 898, iso(12), 40],
    ]);
    expect(report.resources[0]?.noticedAt).toBe(iso(2205));
    expect(report.detectionGap).toEqual({ jobs: 3, maxSeconds: 95, avgSeconds: 45 });
    // The critical path takes the longest restore by the job's own dates.
    const before = buildReport(await input(drillHistory()));
    expect(before.criticalPathSeconds - report.criticalPathSeconds).toBe(2);
  });

  it("includes cleanup, and pending items as leftovers in the final report", async () => {
    // Act
    const report = buildReport(
      await input(drillHistory(), {
        final: true,
        cleanup: {
          run: "r",
          deleted: ["a", "b"],
          leftovers: ["c: refused"],
          pending: ["restore job j RUNNING"],
        },
      }),
    );
    // Assess
    expect(report.cleanup).toMatchObject({ status: "INCOMPLETE", reason: "cleanup did not finish" });
    expect(report.cleanup?.deleted).toEqual(["a", "b"]);
    expect(report.cleanup?.leftovers.slice(0, 2)).toEqual([
      "c: refused",
      "restore job j RUNNING (still pending)",
    ]);
    // Cleanup did not finish: no restored resource is known to be gone.
    expect(report.cleanup?.leftovers.slice(2)).toEqual(
      report.resources.flatMap((r) =>
        r.restoredArn ? [`${r.restoredArn}: not confirmed deleted (cleanup did not finish)`] : [],
      ),
    );
  });
});

describe("buildReport: failures", () => {
  it("names the task that failed inside Recover, marks its phase FAILED and the other branch ABORTED", async () => {
    // Prepare
    const h = new HistoryBuilder();
    h.task("ValidateInput", 0, 2).choice("FailoverOrDrill", 2).choice("DryRun?", 2);
    h.enter("Recover", 3, "Parallel");
    h.task("DeployStack", 3, 5).task("PlanRestores", 3, 10).task("StartRestores", 10, 15);
    h.wait("WaitForStack", 5, 300).enter("WaitForRestores", 15, "Wait");
    h.failTask(
      "CheckStack",
      300,
      302,
      "StackFailed",
      '{"errorType":"StackFailed","errorMessage":"ROLLBACK_COMPLETE"}',
    );
    h.parallelFailed("Recover", 302, "StackFailed");
    h.pass("FailedAtRecover", 302).task("NotifyFailure", 303, 304);
    const state = StateSnapshot.parse({
      run: runContext(),
      failure: { step: "Recover", error: { Error: "StackFailed", Cause: "ROLLBACK_COMPLETE" } },
    });
    // Act
    const report = buildReport(
      await input(h, { state, plan: planDocument(), jobs: undefined, integration: undefined }),
    );
    // Assess
    expect(report.outcome).toBe("FAILED");
    expect(report.failedStep).toBe("CheckStack");
    expect(report.error).toEqual({ name: "StackFailed", cause: "ROLLBACK_COMPLETE" });
    expect(report.phases.find((p) => p.name === "deploy")).toMatchObject({
      status: "FAILED",
      endedAt: iso(302),
    });
    expect(report.phases.find((p) => p.name === "restore")).toMatchObject({
      status: "ABORTED",
      endedAt: iso(302),
    });
    expect(report.rtoSeconds).toBeNull();
    expect(report.resources.every((r) => r.status === "PLANNED" && r.restoreJobId === null)).toBe(true);
  });

  it("falls back to the catching state when the history has no matching failure", async () => {
    // Prepare
    const h = new HistoryBuilder()
      .task("ValidateInput", 0, 1)
      .enter("Integrate", 5)
      .pass("FailedAtIntegrate", 9);
    const state = StateSnapshot.parse({
      run: runContext(),
      failure: { step: "Integrate", error: { Error: "IntegrationFailed" } },
    });
    // Act
    const report = buildReport(await input(h, { state }));
    // Assess
    expect(report.failedStep).toBe("Integrate");
    expect(report.error).toEqual({ name: "IntegrationFailed", cause: null });
    expect(report.phases.find((p) => p.name === "integrate")).toMatchObject({ status: "FAILED", seconds: 4 });
  });

  it("takes the failover RTO at DNS INSYNC and adds DNS propagation to the critical path", async () => {
    // Prepare
    const h = drillHistory();
    h.events.pop(); // WriteReport
    h.task("Failover", 2261, 2262).choice("DnsInSync?", 2262).wait("WaitForDns", 2262, 2322);
    h.task("CheckDns", 2322, 2323).choice("DnsInSync?", 2323).enter("WriteReport", 2324);
    const dns = {
      changed: true,
      record: "app.example.com.",
      from: "primary.example.com",
      to: "dr.example.com",
      changeId: "C1",
      status: "INSYNC",
      waitSeconds: 1,
    };
    const state = StateSnapshot.parse({ ...drillState(runContext({ mode: "failover" })), dns });
    // Act
    const report = buildReport(await input(h, { run: runContext({ mode: "failover" }), state }));
    // Assess
    expect(report.rtoSeconds).toBe(2323);
    expect(report.dns).toEqual({
      changed: true,
      record: "app.example.com.",
      from: "primary.example.com",
      to: "dr.example.com",
    });
    expect(report.phases.find((p) => p.name === "failover")).toMatchObject({
      seconds: 62,
      status: "SUCCEEDED",
    });
    expect(report.criticalPathSeconds).toBe(2 + 7 + 2100 + 84 + 59 + 62);
  });

  it("shows cleanup FAILED when CleanupAfterFailure ended in an error, and lists what it could not delete", async () => {
    // Prepare: Integrate failed; cleanup after failure ran a round, then ended CleanupIncomplete (caught)
    const h = new HistoryBuilder()
      .task("ValidateInput", 0, 1)
      .failTask("Integrate", 5, 6, "IntegrationFailed");
    h.pass("FailedAtIntegrate", 6).task("NotifyFailure", 6, 7).choice("FailedDrillCleanup?", 7);
    h.task("CleanupAfterFailure", 7, 8).choice("CleanupAfterFailureDone?", 8);
    h.wait("WaitForCleanupAfterFailure", 8, 38);
    h.failTask("CleanupAfterFailure", 38, 39, "CleanupIncomplete").enter("ReportFailure", 39);
    const state = StateSnapshot.parse({
      ...drillState(),
      failure: { step: "Integrate", error: { Error: "IntegrationFailed" } },
      stepError: { Error: "CleanupIncomplete", Cause: "left 1 resource(s)" },
    });
    const cleanup = {
      run: "r",
      deleted: ["a"],
      leftovers: ["vol-1: ec2:DescribeVolumes failed: UnauthorizedOperation"],
      pending: [],
      done: true,
    };
    // Act
    const report = buildReport(await input(h, { state, cleanup, final: true }));
    // Assess
    expect(report.phases.find((p) => p.name === "cleanup")?.status).toBe("FAILED");
    expect(report.phases.find((p) => p.name === "integrate")?.status).toBe("FAILED");
    expect(report.cleanup).toEqual({
      status: "INCOMPLETE",
      reason: "some resources could not be deleted",
      deleted: ["a"],
      leftovers: ["vol-1: ec2:DescribeVolumes failed: UnauthorizedOperation"],
    });
  });

  it("says cleanup does not apply to a failover, instead of a bare null", async () => {
    const run = runContext({ mode: "failover" });
    const report = buildReport(
      await input(drillHistory(), { run, state: StateSnapshot.parse(drillState(run)), final: true }),
    );
    expect(report.cleanup).toMatchObject({ status: "NOT_APPLICABLE", deleted: [], leftovers: [] });
    expect(report.cleanup?.reason).toContain("failover keeps what it restored");
  });
});
