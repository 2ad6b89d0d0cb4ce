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
});
