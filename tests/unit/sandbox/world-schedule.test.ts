/**
 * The world's time-ordered event queue: events run once, earliest first (FIFO at equal times), and
 * a call settles only what is due, so its cost does not grow with the number of resources.
 */
import { describe, expect, it } from "vitest";
import type { ScenarioInput } from "../../../scripts/sandbox/scenario.js";
import { EventQueue } from "../../../scripts/sandbox/world/schedule.js";
import { harness, scenarioOf } from "./world-helpers.js";

describe("sandbox event queue", () => {
  it("runs due actions earliest first, equal times in scheduling order, and nothing early", () => {
    // Prepare
    const q = new EventQueue();
    const ran: string[] = [];
    const times = [50, 10, 30, 10, 70, 20, 30, 60, 40, 10];
    times.forEach((t, i) => {
      q.schedule(t, (at) => ran.push(`${at}:${i}`));
    });
    // Act
    const first = q.runDue(29);
    const second = q.runDue(100);
    // Assess
    expect(first).toBe(4);
    expect(ran).toEqual(["10:1", "10:3", "10:9", "20:5", "30:2", "30:6", "40:8", "50:0", "60:7", "70:4"]);
    expect(second).toBe(6);
    expect(q.size).toBe(0);
  });

  it("runs an action scheduled by an action in the same call when it is already due", () => {
    // Prepare
    const q = new EventQueue();
    const ran: number[] = [];
    const chain = (at: number) => {
      ran.push(at);
      if (at < 40) q.schedule(at + 10, chain);
    };
    q.schedule(10, chain);
    // Act
    q.runDue(35);
    // Assess
    expect(ran).toEqual([10, 20, 30]);
    expect(q.nextAt()).toBe(40);
  });

  it("refuses a time that is not finite (an event that could never run)", () => {
    expect(() => new EventQueue().schedule(Number.POSITIVE_INFINITY, () => undefined)).toThrow(RangeError);
  });
});

describe("world settlement from the queue", () => {
  const many = (n: number): ScenarioInput["resources"] =>
    Array.from({ length: n }, (_, i) => ({
      name: `db-${i}`,
      type: "rds" as const,
      recoveryPoints: { count: 2, intervalMinutes: 15, newestAgeMinutes: 5, sizeGiB: 20 },
    }));

  it("holds one pending copy per resource with ongoing backups, and a call between copies settles nothing", async () => {
    // Prepare
    const h = harness(scenarioOf({ resources: many(300) }));
    // Assess: one scheduled copy per resource, nothing due at t=0.
    expect(h.world.events.size).toBe(300);
    expect(h.world.events.runDue(h.clock.now().getTime())).toBe(0);
    // Act: 15 minutes later every resource got exactly one new copy, and the next one is scheduled.
    h.clock.advanceBy(15 * 60);
    const out = await h.call("backup", "ListRecoveryPointsByBackupVault", { BackupVaultName: "dr-vault" });
    // Assess
    const points = out.RecoveryPoints as { ResourceName: string }[];
    expect(points.filter((p) => p.ResourceName === "db-7")).toHaveLength(3);
    expect(points).toHaveLength(900);
    expect(h.world.events.size).toBe(300);
    expect(h.world.events.runDue(h.clock.now().getTime())).toBe(0);
  });

  it("removes a deleted table exactly at the end of its deletion, not before", async () => {
    // Prepare
    const h = harness(scenarioOf({ resources: [{ name: "carts", type: "dynamodb" }] }));
    const rps = await h.call("backup", "ListRecoveryPointsByBackupVault", { BackupVaultName: "dr-vault" });
    const rp = (rps.RecoveryPoints as { RecoveryPointArn: string }[])[0]?.RecoveryPointArn;
    await h.call("backup", "StartRestoreJob", {
      RecoveryPointArn: rp,
      IamRoleArn: "arn:aws:iam::111122223333:role/drctl-restore",
      Metadata: { targetTableName: "carts-dr" },
    });
    h.clock.advanceBy(3 * 3600);
    await h.call("dynamodb", "DeleteTable", { TableName: "carts-dr" });
    // Act
    h.clock.advanceBy(19.999);
    const during = h.world.recovery.tables.has("carts-dr");
    h.clock.advanceBy(0.001);
    h.world.settle();
    // Assess
    expect(during).toBe(true);
    expect(h.world.recovery.tables.has("carts-dr")).toBe(false);
  });
});
