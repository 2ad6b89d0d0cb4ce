import { describe, expect, it } from "vitest";
import { callsWithError, runScenario } from "./support.js";

describe("state machine path: happy failover (scenarios/shop-failover.yaml)", () => {
  it("succeeds, points the record at the DR load balancer and absorbs the injected faults", async () => {
    // Act
    const run = await runScenario("scenarios/shop-failover.yaml");

    // Assess
    expect(run.exitCode).toBe(0);
    expect(run.report.outcome).toBe("SUCCEEDED");
    expect(run.report.execution.mode).toBe("failover");
    // The DR stack's load balancer, from the sandbox's own CloudFormation.
    const world = run.world;
    if (!world) throw new Error("no world");
    const stacks = (await world.call({
      service: "cloudformation",
      operation: "DescribeStacks",
      region: "eu-central-1",
      input: { StackName: "shop-dr" },
    })) as { Stacks: { Outputs?: { OutputKey: string; OutputValue: string }[] }[] };
    const outputs = stacks.Stacks[0]?.Outputs ?? [];
    const drTarget = outputs.find((o) => /dns|loadbalancer|alb/i.test(o.OutputKey))?.OutputValue;
    expect(drTarget).toMatch(/eu-central-1/);
    const dns = world.inspect().dns;
    expect(dns.changed).toBe(true);
    expect(dns.values).toEqual([drTarget]);
    expect(run.report.dns).toMatchObject({
      changed: true,
      from: "primary-alb-123.eu-west-1.elb.amazonaws.com",
      to: drTarget,
    });
    // Faults happened and were retried away.
    expect(callsWithError(run, "StartRestoreJob", "ThrottlingException")).toBe(2);
    expect(callsWithError(run, "ChangeResourceRecordSets", "PriorRequestNotComplete")).toBe(1);
    expect(run.report.resources.every((r) => r.status === "COMPLETED")).toBe(true);
    expect(run.report.expect).toEqual({ held: true, failures: [] });
  });
});
