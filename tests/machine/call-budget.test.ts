/**
 * The AWS call budget of a drill: the generated benchmark drill (mixed types, dependsOn chains,
 * ongoing backups) with 20 and with 40 resources, every call of the steps counted at the sandbox's
 * dispatch per operation. What the extra 20 resources cost is what each restored resource costs:
 * at most 12 calls, with no DescribeRestoreJob (one ListRestoreJobs per poll covers every job) and
 * no per-resource ListRecoveryPointsByBackupVault (one listing of the vault's recent window);
 * cleanup's own share of it, and its fixed costs per round, pinned on their own.
 */
import { describe, expect, it } from "vitest";
import { benchDrill, type DrillMetrics } from "../../scripts/bench-drill.js";

const byOperation = (m: DrillMetrics): Map<string, number> => {
  const out = new Map<string, number>();
  for (const [key, n] of m.callsByStep) {
    const op = key.split(" ")[1] ?? key;
    out.set(op, (out.get(op) ?? 0) + n);
  }
  return out;
};

describe("AWS calls per restored resource", () => {
  it("a drill makes at most 12 calls per additional resource, polls with a list and plans with one listing", async () => {
    // Act
    const small = await benchDrill(20);
    const large = await benchDrill(40);
    // Assess
    expect(small.outcome).toBe("SUCCEEDED");
    expect(large.outcome).toBe("SUCCEEDED");
    expect(large.leftovers).toBe(0);
    const a = byOperation(small);
    const b = byOperation(large);
    const marginal = (op: string) => ((b.get(op) ?? 0) - (a.get(op) ?? 0)) / 20;
    const perResource = (large.stepCalls - small.stepCalls) / 20;
    const table = [...b.keys()].map((op) => `${op} ${marginal(op)}`).join(", ");
    expect(perResource, table).toBeLessThanOrEqual(12);
    expect(b.get("backup:DescribeRestoreJob") ?? 0).toBe(0);
    expect(marginal("backup:ListRecoveryPointsByBackupVault")).toBe(0);
    expect(marginal("backup:ListRestoreJobs")).toBe(0);
    // One restore and one metadata read per resource, never more.
    expect(marginal("backup:StartRestoreJob")).toBe(1);
    expect(marginal("backup:GetRecoveryPointRestoreMetadata")).toBe(1);
    // Cleanup: per 5 resources (one of each type) about 9 deletes (a volume, two DB instances, a
    // cluster, two mount targets, a file system, a table, part of a DeleteParameters) plus one
    // ListTagsOfResource per table and one DescribeMountTargets per file system; describes are
    // batched, so the rounds add nothing per resource (it was 3.4 per resource).
    const cleanupCalls = (m: DrillMetrics) =>
      [...m.callsByStep].filter(([k]) => k.startsWith("cleanup ")).reduce((sum, [, n]) => sum + n, 0);
    const cleanupTable = [...large.callsByStep].filter(([k]) => k.startsWith("cleanup ")).join("; ");
    expect((cleanupCalls(large) - cleanupCalls(small)) / 20, cleanupTable).toBeLessThanOrEqual(2.25);
  }, 300_000);

  it("fixed costs: configuration and plan kept per container, saves without a read, cleanup rounds without re-listing or re-describing what is not due", async () => {
    // Act
    const m = await benchDrill(10);
    // Assess
    expect(m.outcome).toBe("SUCCEEDED");
    expect(m.leftovers).toBe(0);
    const calls = (key: string) => m.callsByStep.get(key) ?? 0;
    const all = [...m.callsByStep].map(([k, n]) => `${k} ${n}`).join(", ");
    // CheckStack reads the configuration once per run (it was one GET per tick).
    expect(calls("checkStack s3:GetObject"), all).toBeLessThanOrEqual(1);
    // PollRestores: one jobs document read per tick, the configuration once per 10 minutes, no read to save.
    const ticks = calls("pollRestores backup:ListRestoreJobs");
    expect(calls("pollRestores s3:GetObject"), all).toBeLessThanOrEqual(ticks + 6);
    // Integrate: the jobs document once per version PollRestores wrote, the configuration once per
    // 10 minutes (4 in this drill), the plan and the integration document once per container; never
    // its own write read back (after the Recover parallel it was, once per look: 22 reads in all).
    expect(calls("integrate s3:GetObject"), all).toBeLessThanOrEqual(calls("pollRestores s3:PutObject") + 6);
    // WriteReport reads the configuration, plan, jobs, integration and cleanup documents once;
    // FinalizeReport (same container) only the cleanup document, the one that changed since.
    expect(calls("writeReport s3:GetObject"), all).toBeLessThanOrEqual(6);
    // Cleanup: the run's tag is swept in the first round and before done, not in every round;
    // restores the jobs document saw COMPLETED are not listed again.
    const rounds = calls("cleanup s3:PutObject");
    expect(rounds).toBeGreaterThan(2);
    expect(calls("cleanup ec2:DescribeInstances"), all).toBeLessThanOrEqual(2);
    expect(calls("cleanup backup:ListRestoreJobs"), all).toBe(0);
    // Parameters are deleted without a GetParameter first (ParameterNotFound: never written).
    expect(calls("cleanup ssm:GetParameter"), all).toBe(0);
    // Per round the cleanup document; the configuration, plan, jobs and integration documents once
    // (no restore job was running: what they name is kept in the cleanup document).
    expect(calls("cleanup s3:GetObject"), all).toBeLessThanOrEqual(rounds + 4);
    // The 8 drill parameters in one DeleteParameters (10 names a call), none one by one.
    expect(calls("cleanup ssm:DeleteParameter"), all).toBe(0);
    expect(calls("cleanup ssm:DeleteParameters"), all).toBe(1);
    // Tables: the restore job named their ARNs, so their tags alone are read (no DescribeTable).
    expect(calls("cleanup dynamodb:DescribeTable"), all).toBe(0);
    // Mount targets are listed once per file system (NumberOfMountTargets tells the rest).
    expect(calls("cleanup efs:DescribeMountTargets"), all).toBe(calls("cleanup efs:DeleteFileSystem"));
    // What a round waits for (databases, the stack) is looked at again only once half its
    // expected time has passed: the databases in the first round (from the sweep's listing), in
    // the two rounds they are due (instances, cluster members) and in the last sweep (it was two
    // calls every round and three in the first: 15 in 7 rounds); the stack in fewer rounds than there are.
    expect(calls("cleanup rds:DescribeDBInstances"), all).toBeLessThanOrEqual(1 + 2 * 2 + 1);
    expect(calls("cleanup cloudformation:DescribeStacks"), all).toBeLessThan(rounds);
    // A round waits until the nearest expected end, not 15 s when it is "soon" (it was 7 rounds).
    expect(rounds, all).toBeLessThanOrEqual(6);
  }, 300_000);
});
