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
  }) as Promise<{ Stacks: { StackName: string; StackStatus: string }[] }>;

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
});
