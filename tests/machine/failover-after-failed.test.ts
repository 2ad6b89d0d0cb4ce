import { afterEach, describe, expect, it } from "vitest";
import { openSandbox, runIn, type Sandbox } from "./stopped-support.js";

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

const stacks = (s: Sandbox) =>
  s.box.world.call({
    service: "cloudformation",
    operation: "DescribeStacks",
    region: "eu-central-1",
    input: {},
  }) as Promise<{
    Stacks: {
      StackName: string;
      StackId: string;
      StackStatus: string;
      Tags: { Key: string; Value: string }[];
    }[];
  }>;

/**
 * shop-failover with Route 53 refusing every change: the failover fails at its last step and the
 * DR stack stays (CREATE_COMPLETE). The refusal is lifted before this returns.
 */
async function failedFailoverLeavingStack() {
  const s = await openSandbox("scenarios/shop-failover.yaml");
  sandbox = s;
  const refusal = s.box.world.faults.add({
    call: "route53:ChangeResourceRecordSets",
    error: "InvalidInput",
    times: 1000,
  });
  const failed = await runIn(s, { mode: "failover", name: "failover-dns-refused" });
  expect(failed.stopped.status).toBe("FAILED");
  expect(failed.report?.failedStep).toBe("Failover");
  const left = (await stacks(s)).Stacks.filter((st) => st.StackName === "shop-dr");
  expect(left).toEqual([expect.objectContaining({ StackStatus: "CREATE_COMPLETE" })]);
  refusal.remaining = 0;
  return { s, failed, left: left[0] };
}

describe("a failed failover does not block the next one (scenarios/shop-failover.yaml)", () => {
  it("a failover refused by its plan (NoRecoveryPoint) creates nothing; the next failover succeeds", async () => {
    sandbox = await openSandbox("scenarios/shop-failover.yaml");

    const refused = await runIn(sandbox, {
      mode: "failover",
      name: "failover-too-early",
      input: { restoreTo: "2020-01-01T00:00:00Z" },
    });
    expect(refused.stopped.status).toBe("FAILED");
    expect(refused.report?.error?.name).toBe("NoRecoveryPoint");
    expect(refused.report?.failedStep).toBe("PlanRestores");
    // The plan and its gate come first: no DR stack, no restore job.
    expect((await stacks(sandbox)).Stacks.filter((st) => st.StackName === "shop-dr")).toEqual([]);
    expect(refused.box.world.leftovers(refused.runName)).toEqual([]);
    expect(refused.lock).toBeUndefined();

    const next = await runIn(sandbox, { mode: "failover", name: "failover-again" });
    expect(next.stopped.error).toBeUndefined();
    expect(next.stopped.status).toBe("SUCCEEDED");
    expect(next.report?.outcome).toBe("SUCCEEDED");
  });

  it("a failover that failed after creating the DR stack: the next failover adopts the stack and succeeds", async () => {
    const { s, failed } = await failedFailoverLeavingStack();
    // Hours of simulated time later: restore to the same instant (the primary takes no backups).
    const restoreTo = failed.report?.execution.startedAt;
    const next = await runIn(s, { mode: "failover", name: "failover-again", input: { restoreTo } });
    expect(next.stopped.error).toBeUndefined();
    expect(next.stopped.status).toBe("SUCCEEDED");
    expect(next.report?.dns.changed).toBe(true);
    // The same stack, not a second one.
    expect((await stacks(s)).Stacks.filter((st) => st.StackName === "shop-dr")).toHaveLength(1);
  });

  it("replaceStack: the next failover deletes the stack a failed failover left, waits for DELETE_COMPLETE and creates a fresh one", async () => {
    const { s, failed, left } = await failedFailoverLeavingStack();
    const restoreTo = failed.report?.execution.startedAt;
    const next = await runIn(s, {
      mode: "failover",
      name: "failover-replacing",
      input: { restoreTo, replaceStack: true },
    });
    expect(next.stopped.error).toBeUndefined();
    expect(next.stopped.status).toBe("SUCCEEDED");
    const live = (await stacks(s)).Stacks.filter((st) => st.StackName === "shop-dr");
    // One live stack, a new one, created by this run; the old one is gone (DELETE_COMPLETE by id).
    expect(live).toHaveLength(1);
    expect(live[0]?.StackId).not.toBe(left?.StackId);
    expect(live[0]?.Tags).toContainEqual({ Key: "drctl:execution", Value: next.runName });
    const old = (await s.box.world.call({
      service: "cloudformation",
      operation: "DescribeStacks",
      region: "eu-central-1",
      input: { StackName: left?.StackId },
    })) as { Stacks: { StackStatus: string }[] };
    expect(old.Stacks[0]?.StackStatus).toBe("DELETE_COMPLETE");
    // The wait for the delete shows in the history: DeployStack, then ReplaceStack after the delete.
    const entered = next.stopped.history.flatMap((e) =>
      e.type === "TaskStateEntered" ? [e.stateEnteredEventDetails?.name] : [],
    );
    expect(entered).toContain("ReplaceStack");
  });

  it("replaceStack on a drill is refused in ValidateInput (InputInvalid)", async () => {
    sandbox = await openSandbox("scenarios/shop-failover.yaml");
    const refused = await runIn(sandbox, {
      mode: "drill",
      name: "drill-replace",
      input: { replaceStack: true },
    });
    expect(refused.stopped.status).toBe("FAILED");
    expect(refused.stopped.error).toBe("InputInvalid");
    expect(refused.stopped.cause).toMatch(/replaceStack.*failover/);
  });
});
