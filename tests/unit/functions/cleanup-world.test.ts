/**
 * Cleanup against the sandbox world (in process, IAM enforced, the real handler): a drill of
 * scenarios/shop-drill.yaml left everything behind, then cleanup runs round by round with faults on
 * its own calls.
 */
import { afterEach, describe, expect, it } from "vitest";
import { LOOP_LIMITS } from "../../../functions/cleanup/cleanup.js";
import type { SandboxCall } from "../../../scripts/sandbox/types.js";
import { type LeftDrill, leftDrill } from "./cleanup-world.js";

let drill: LeftDrill | undefined;

afterEach(async () => {
  await drill?.close();
  drill = undefined;
});

const callsOf = (d: LeftDrill, operation: string) =>
  d.sandbox.world.calls.filter((c) => c.operation === operation);

describe("cleanup against the sandbox world", () => {
  it("a refused describe of one kind does not stop the others: only the DB instance is left, with the reason", async () => {
    drill = await leftDrill();
    const d = drill;
    const dbArn = d.sandbox.world.leftovers(d.run.name).find((a) => a.includes(":db:"));
    expect(dbArn).toBeDefined();
    d.fault({ call: "rds:DescribeDBInstances", error: "AccessDenied", times: 100000 });

    const { last } = await d.untilDone();

    expect(last.error?.name).toBe("CleanupIncomplete");
    expect(d.sandbox.world.leftovers(d.run.name)).toEqual([dbArn]);
    const doc = await d.document();
    expect(doc.leftovers.find((l) => l.includes(dbArn as string))).toMatch(
      /DescribeDBInstances.*AccessDenied/,
    );
    // The volume, file system, table, parameters and stack were deleted.
    expect(doc.deleted.length).toBeGreaterThanOrEqual(7);
  });

  it("a throttled delete is retried in a later round and succeeds; the others go on meanwhile", async () => {
    drill = await leftDrill();
    const d = drill;
    // Every attempt the SDK makes for one DeleteTable call (4) is throttled.
    d.fault({ call: "dynamodb:DeleteTable", error: "ThrottlingException", times: 4 });

    const first = await d.round();
    expect(first.error).toBeUndefined();
    expect(first.progress?.done).toBe(false);
    expect(callsOf(d, "DeleteDBInstance").filter((c) => c.error === undefined)).toHaveLength(1);
    d.sandbox.clock.advanceBy(first.progress?.waitSeconds ?? 0);
    const { last } = await d.untilDone();

    expect(last.error).toBeUndefined();
    expect(last.progress).toMatchObject({ done: true, leftovers: 0 });
    expect(d.sandbox.world.leftovers(d.run.name)).toEqual([]);
    const deletes = callsOf(d, "DeleteTable");
    expect(deletes.filter((c) => c.error === "ThrottlingException")).toHaveLength(4);
    expect(deletes.filter((c) => c.error === undefined)).toHaveLength(1);
  });

  it("a detach AWS accepts but never completes is bounded: the stack goes on and the loop ends", async () => {
    drill = await leftDrill();
    const d = drill;
    const world = d.sandbox.world;
    const original = world.call.bind(world);
    // DetachVolume answers as accepted, but the volume stays attached (a stuck detachment).
    world.call = async (call: SandboxCall, caller) => {
      if (call.operation === "DetachVolume") {
        world.calls.push({
          at: "",
          service: "ec2",
          operation: "DetachVolume",
          region: call.region,
          step: "cleanup",
        });
        return {};
      }
      return original(call, caller);
    };

    const { rounds, last } = await d.untilDone(400);

    expect(rounds).toBeLessThan(400);
    expect(last.error).toBeUndefined();
    expect(last.progress?.done).toBe(true);
    // Deleting the stack terminated the instance, which detached the volume: nothing is left.
    expect(world.leftovers(d.run.name)).toEqual([]);
    expect(callsOf(d, "DetachVolume").length).toBeLessThanOrEqual(5);
  });

  it("a restore job that never ends: the whole loop stops at its bound with the job listed", async () => {
    drill = await leftDrill();
    const d = drill;
    // The orders-db restore job reports RUNNING from now on (its resource exists, tagged by Integrate).
    const job = [...d.sandbox.world.recovery.restoreJobs.values()].find(
      (j) => j.resource.name === "orders-db",
    );
    if (!job) throw new Error("no orders-db restore job");
    job.endsAt = Number.MAX_SAFE_INTEGER;
    // The run stopped before its poll saw the job end (COMPLETED is final: a job its documents saw
    // COMPLETED is not asked about again).
    await d.editJobs((doc) => ({
      ...doc,
      jobs: doc.jobs.map((r) => (r.name === "orders-db" ? { ...r, status: "RUNNING" } : r)),
    }));
    const start = d.sandbox.clock.now().getTime();

    const { rounds, last } = await d.untilDone(400);

    expect(last.error?.name).toBe("CleanupIncomplete");
    expect(rounds).toBeLessThanOrEqual(LOOP_LIMITS.maxRounds);
    const hours = (d.sandbox.clock.now().getTime() - start) / 3_600_000;
    expect(hours).toBeLessThanOrEqual(LOOP_LIMITS.maxSeconds / 3600 + 0.2);
    const doc = await d.document();
    expect(doc.leftovers).toContainEqual(
      expect.stringMatching(
        new RegExp(`restore job ${job.id} \\(orders-db\\) RUNNING.*when cleanup stopped`),
      ),
    );
    // Everything else is gone, the DB instance included (found by its tag): only the job runs on.
    expect(d.sandbox.world.leftovers(d.run.name)).toEqual([expect.stringContaining(`restore-job:${job.id}`)]);
  });
});
