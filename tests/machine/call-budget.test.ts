/**
 * The AWS call budget of a drill: the generated benchmark drill (mixed types, dependsOn chains,
 * ongoing backups) with 20 and with 40 resources, every call of the steps counted at the sandbox's
 * dispatch per operation. What the extra 20 resources cost is what each restored resource costs:
 * at most 12 calls, with no DescribeRestoreJob (one ListRestoreJobs per poll covers every job) and
 * no per-resource ListRecoveryPointsByBackupVault (one listing of the vault's recent window).
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
  }, 300_000);

  it("fixed costs: configuration and plan kept per container, saves without a read, cleanup rounds without re-listing", async () => {
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
    // Cleanup: the run's tag is swept in the first round and before done, not in every round;
    // restores the jobs document saw COMPLETED are not listed again.
    const rounds = calls("cleanup s3:PutObject");
    expect(rounds).toBeGreaterThan(2);
    expect(calls("cleanup ec2:DescribeInstances"), all).toBeLessThanOrEqual(2);
    expect(calls("cleanup backup:ListRestoreJobs"), all).toBe(0);
    // Parameters are deleted without a GetParameter first (ParameterNotFound: never written).
    expect(calls("cleanup ssm:GetParameter"), all).toBe(0);
    // Per round: the jobs, integration and cleanup documents; configuration and plan once.
    expect(calls("cleanup s3:GetObject"), all).toBeLessThanOrEqual(3 * rounds + 2);
  }, 300_000);
});
