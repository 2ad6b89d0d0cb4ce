/**
 * Approval of automatic failovers (docs/design.md, "Approval"): a failover an alarm started waits
 * on a task token (RequestApproval) before it creates anything; the scenario's approver answers
 * with drctl approve / reject through the sandbox's Step Functions API, or never.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MachineRun, runScenario } from "./support.js";

const SCENARIO = "scenarios/shop-alarm-failover.yaml";
const APPROVER = "approver: { action: approve, afterMinutes: 12, by: oncall@example.com }";
let dir: string;
let text: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "drctl-approval-"));
  text = await readFile(SCENARIO, "utf8");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The alarm failover scenario with some lines replaced. */
async function variant(name: string, replacements: [string, string][]): Promise<string> {
  let t = text;
  for (const [from, to] of replacements) {
    if (!t.includes(from)) throw new Error(`${SCENARIO} has no '${from}'`);
    t = t.replace(from, to);
  }
  const path = join(dir, `${name}.yaml`);
  await writeFile(path, t);
  return path;
}

const FAILED_AT_APPROVAL =
  "expect: { outcome: FAILED, failedStep: RequestApproval, dnsChanged: false, leftovers: 0 }";
const EXPECT = "expect: { outcome: SUCCEEDED, dnsChanged: true }";

function world(run: MachineRun) {
  if (!run.world) throw new Error("no world");
  return run.world.inspect();
}

/** Nothing was created and the lock is free. */
function nothingCreated(run: MachineRun) {
  const w = world(run);
  expect(w.stacks).toEqual([]);
  expect(w.restoreJobs).toEqual([]);
  expect(w.dbClusters).toEqual([]);
  expect(Object.keys(w.parameters).filter((p) => p.startsWith("/drctl/lock/"))).toEqual([]);
  expect(w.dns.changed).toBe(false);
  expect(run.leftovers).toEqual([]);
}

describe("approval of an alarm-triggered failover", () => {
  it("waits for the approval before it creates anything, then goes on and succeeds", async () => {
    // Act
    const run = await runScenario(SCENARIO);
    // Assess
    expect(run.report.outcome).toBe("SUCCEEDED");
    expect(run.report.execution.trigger).toBe("alarm");
    expect(run.report.approval).toEqual({
      decision: "approved",
      by: "oncall@example.com",
      reason: null,
      requestedAt: "2026-06-14T02:17:00.000Z",
      decidedAt: "2026-06-14T02:29:00.000Z",
      waitedSeconds: 720,
    });
    const approve = run.report.phases.find((p) => p.name === "approve");
    expect(approve).toMatchObject({ seconds: 720, status: "SUCCEEDED" });
    for (const p of run.report.phases.filter((x) => ["deploy", "plan", "restore"].includes(x.name))) {
      expect(p.startedAt >= (approve?.endedAt ?? "")).toBe(true);
    }
    // The request: the commands and the task token, published before the run went on.
    const request = world(run).messages.find((m) => /approval needed/.test(m.subject ?? ""));
    expect(request?.message).toContain(`drctl approve ${run.executionArn}`);
    expect(request?.message).toContain(`drctl reject ${run.executionArn} --reason`);
    // Detect read the scenario's alarm in the primary region's CloudWatch (and its IAM let it).
    expect(request?.message).toContain("alarms: in ALARM: shop-alb-5xx (Threshold Crossed: 1 datapoint");
    expect(request?.message).toMatch(
      /aws stepfunctions send-task-success --region eu-central-1 --task-token '[\w.-]{40,}'/,
    );
    expect(request?.message).toMatch(/Window: {5}30 minutes \(approval.mode "wait"\)/);
    expect(request?.at).toBe("2026-06-14T02:17:00.000Z");
    expect(run.files.md).toContain("| Approval | approved by oncall@example.com after 12m 00s |");
    expect(world(run).dns.changed).toBe(true);
  });

  it("a rejection fails the run with FailoverRejected through the failure path: notified, lock released, nothing created", async () => {
    // Prepare
    const path = await variant("reject", [
      [
        APPROVER,
        'approver: { action: reject, afterMinutes: 3, by: lead@example.com, reason: "primary is recovering" }',
      ],
      [EXPECT, FAILED_AT_APPROVAL],
    ]);
    // Act
    const run = await runScenario(path);
    // Assess
    expect(run.exitCode).toBe(0);
    expect(run.status).toBe("FAILED");
    expect(run.error).toBe("FailoverRejected");
    expect(run.report.failedStep).toBe("RequestApproval");
    expect(run.report.error?.name).toBe("FailoverRejected");
    expect(run.report.error?.cause).toMatch(/^Rejected by lead@example.com at .*: primary is recovering$/);
    expect(run.report.approval).toMatchObject({
      decision: "rejected",
      by: "lead@example.com",
      waitedSeconds: 180,
    });
    const failure = world(run).messages.find((m) => /FAILED/.test(m.subject ?? ""));
    expect(failure?.subject).toMatch(/FailoverRejected/);
    expect(world(run).opsItems).toHaveLength(1);
    nothingCreated(run);
  });

  it('"proceed-after": with no answer the failover goes on when the window ends', async () => {
    // Prepare
    const path = await variant("proceed", [
      ["mode: wait\n  windowMinutes: 30", "mode: proceed-after\n  windowMinutes: 20"],
      [APPROVER, "approver: { action: none }"],
    ]);
    // Act
    const run = await runScenario(path);
    // Assess
    expect(run.report.outcome).toBe("SUCCEEDED");
    expect(run.report.approval).toMatchObject({ decision: "window-elapsed", by: null, waitedSeconds: 1200 });
    expect(world(run).dns.changed).toBe(true);
  });

  it('"wait": with no answer within the window the run fails with ApprovalTimedOut, nothing created', async () => {
    // Prepare
    const path = await variant("timeout", [
      [APPROVER, "approver: { action: none }"],
      [EXPECT, FAILED_AT_APPROVAL],
    ]);
    // Act
    const run = await runScenario(path);
    // Assess
    expect(run.error).toBe("ApprovalTimedOut");
    expect(run.report.failedStep).toBe("RequestApproval");
    expect(run.report.approval).toMatchObject({ decision: "timed-out", waitedSeconds: 1800 });
    nothingCreated(run);
  });

  it("a manual failover and a drill never wait, whatever the approval configuration", async () => {
    // Prepare
    const manual = await variant("manual", [["trigger: alarm", "trigger: manual"]]);
    const drill = await variant("drill", [
      ["mode: failover", "mode: drill"],
      [APPROVER, 'approver: { action: reject, afterMinutes: 1, reason: "never asked" }'],
      [EXPECT, "expect: { outcome: SUCCEEDED, dnsChanged: false, leftovers: 0 }"],
    ]);
    // Act
    const runs = [await runScenario(manual), await runScenario(drill)];
    // Assess
    for (const run of runs) {
      expect(run.report.outcome).toBe("SUCCEEDED");
      expect(run.report.approval ?? null).toBeNull();
      expect(run.report.phases.map((p) => p.name)).not.toContain("approve");
      expect(world(run).messages.some((m) => /approval/.test(m.subject ?? ""))).toBe(false);
    }
    expect(runs[1]?.report.execution).toMatchObject({ mode: "drill", trigger: "alarm" });
  });
});
