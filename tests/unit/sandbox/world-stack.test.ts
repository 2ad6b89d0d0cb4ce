import { describe, expect, it } from "vitest";
import { TIMINGS } from "../../../scripts/sandbox/world/index.js";
import { harness, modelProblems, scenarioOf } from "./world-helpers.js";

const TAGS = [{ Key: "drctl:execution", Value: "drill-shop-20260301T0900Z" }];
const create = (name = "shop-dr-drill-abc123", token = "drill-shop-20260301T0900Z") => ({
  StackName: name,
  TemplateURL: "https://example.com/dr-app.yaml",
  Parameters: [{ ParameterKey: "ParameterPrefix", ParameterValue: "/drctl-drill/drill-shop-20260301T0900Z" }],
  Capabilities: ["CAPABILITY_NAMED_IAM"],
  Tags: TAGS,
  ClientRequestToken: token,
});

type StackOut = {
  StackStatus: string;
  StackStatusReason?: string;
  Outputs?: { OutputKey: string; OutputValue: string }[];
};
type InstanceOut = {
  InstanceId: string;
  SubnetId: string;
  Placement: { AvailabilityZone: string };
  Tags: { Key: string; Value: string }[];
};

describe("cloudformation: the DR app stack", () => {
  it("goes CREATE_IN_PROGRESS → CREATE_COMPLETE after deploySeconds, with outputs and tagged instances in the DR subnets", async () => {
    // Prepare
    const h = harness(scenarioOf(), 7777);
    const { StackId } = await h.call("cloudformation", "CreateStack", create());
    const describe = async () =>
      (
        (await h.call("cloudformation", "DescribeStacks", { StackName: "shop-dr-drill-abc123" }))
          .Stacks as StackOut[]
      )[0];
    // Act
    h.clock.advanceBy(539);
    const before = await describe();
    h.clock.advanceBy(1);
    const after = await describe();
    const instances = await h.call("ec2", "DescribeInstances", {
      Filters: [{ Name: "tag:aws:cloudformation:stack-name", Values: ["shop-dr-drill-abc123"] }],
    });
    // Assess
    expect(StackId).toMatch(/^arn:aws:cloudformation:us-west-2:111122223333:stack\/shop-dr-drill-abc123\//);
    expect(before?.StackStatus).toBe("CREATE_IN_PROGRESS");
    expect(before?.Outputs).toBeUndefined();
    expect(after?.StackStatus).toBe("CREATE_COMPLETE");
    const outputs = Object.fromEntries((after?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
    expect(outputs.LoadBalancerDnsName).toMatch(
      /^shop-dr-drill-abc123-alb-\d+\.us-west-2\.elb\.amazonaws\.com$/,
    );
    expect(outputs.HealthUrl).toBe("http://127.0.0.1:7777/_sandbox/health/us-west-2/shop-dr-drill-abc123");
    const list = (instances.Reservations as { Instances: InstanceOut[] }[]).flatMap((r) => r.Instances);
    const tag = (i: InstanceOut, k: string) => i.Tags.find((t) => t.Key === k)?.Value;
    expect(list.map((i) => tag(i, "role")).sort()).toEqual(["app", "app", "web"]);
    expect(list.every((i) => ["subnet-0dra", "subnet-0drb"].includes(i.SubnetId))).toBe(true);
    expect(list.every((i) => tag(i, "drctl:execution") === "drill-shop-20260301T0900Z")).toBe(true);
    expect(list.find((i) => tag(i, "role") === "web")?.Placement.AvailabilityZone).toBe("us-west-2a");
  });

  it("ClientRequestToken makes CreateStack idempotent; another token is AlreadyExistsException", async () => {
    // Prepare
    const h = harness(scenarioOf());
    const first = await h.call("cloudformation", "CreateStack", create());
    // Act
    const retry = await h.call("cloudformation", "CreateStack", create());
    const clash = await h.fail("cloudformation", "CreateStack", create(undefined, "someone-else"));
    // Assess
    expect(retry.StackId).toBe(first.StackId);
    expect(clash).toMatchObject({ code: "AlreadyExistsException", httpStatus: 400 });
  });

  it("a stack fault rolls the stack back with the reason in the status and the events", async () => {
    // Prepare
    const h = harness(
      scenarioOf({ faults: [{ stack: "shop-dr", status: "ROLLBACK_COMPLETE", reason: "Subnet capacity" }] }),
    );
    await h.call("cloudformation", "CreateStack", create());
    const describe = async () =>
      (
        (await h.call("cloudformation", "DescribeStacks", { StackName: "shop-dr-drill-abc123" }))
          .Stacks as StackOut[]
      )[0];
    // Act
    h.clock.advanceBy(270);
    const rolling = await describe();
    h.clock.advanceBy(TIMINGS.stackRollbackSeconds);
    const rolled = await describe();
    const events = await h.call("cloudformation", "DescribeStackEvents", {
      StackName: "shop-dr-drill-abc123",
    });
    const instances = await h.call("ec2", "DescribeInstances", {
      Filters: [{ Name: "tag-key", Values: ["aws:cloudformation:stack-name"] }],
    });
    // Assess
    expect(rolling?.StackStatus).toBe("ROLLBACK_IN_PROGRESS");
    expect(rolled?.StackStatus).toBe("ROLLBACK_COMPLETE");
    expect(rolled?.StackStatusReason).toContain("failed to create");
    const list = events.StackEvents as {
      ResourceStatus: string;
      ResourceStatusReason?: string;
      Timestamp: Date;
    }[];
    expect(list[0]?.ResourceStatus).toBe("ROLLBACK_COMPLETE");
    expect(list.find((e) => e.ResourceStatus === "CREATE_FAILED")?.ResourceStatusReason).toBe(
      "Subnet capacity",
    );
    expect(list.map((e) => e.Timestamp.getTime())).toEqual(
      [...list.map((e) => e.Timestamp.getTime())].sort((a, b) => b - a),
    );
    expect(instances.Reservations).toEqual([]);
    // the fault fired once: the next stack succeeds
    expect(h.world.faults.entries[0]?.remaining).toBe(0);
  });

  it("DeleteStack: DELETE_IN_PROGRESS → DELETE_COMPLETE, terminating its instances; then the name no longer exists", async () => {
    // Prepare
    const h = harness(scenarioOf());
    const { StackId } = await h.call("cloudformation", "CreateStack", create());
    h.clock.advanceBy(600);
    // Act
    await h.call("cloudformation", "DeleteStack", { StackName: "shop-dr-drill-abc123" });
    const deleting = (await h.call("cloudformation", "DescribeStacks", { StackName: "shop-dr-drill-abc123" }))
      .Stacks as StackOut[];
    h.clock.advanceBy(TIMINGS.stackDeleteSeconds);
    const byName = await h.fail("cloudformation", "DescribeStacks", { StackName: "shop-dr-drill-abc123" });
    const byId = (await h.call("cloudformation", "DescribeStacks", { StackName: StackId }))
      .Stacks as StackOut[];
    const states = await h.call("ec2", "DescribeInstances", {
      Filters: [{ Name: "tag:aws:cloudformation:stack-name", Values: ["shop-dr-drill-abc123"] }],
    });
    // Assess
    expect(deleting[0]?.StackStatus).toBe("DELETE_IN_PROGRESS");
    expect(byName).toMatchObject({
      code: "ValidationError",
      message: "Stack with id shop-dr-drill-abc123 does not exist",
    });
    expect(byId[0]?.StackStatus).toBe("DELETE_COMPLETE");
    const names = (states.Reservations as { Instances: { State: { Name: string } }[] }[]).map(
      (r) => r.Instances[0]?.State.Name,
    );
    expect(names.length).toBeGreaterThan(0);
    expect(new Set(names)).toEqual(new Set(["terminated"]));
  });

  it("DescribeStacks of an unknown stack is a ValidationError", async () => {
    const h = harness(scenarioOf());
    const err = await h.fail("cloudformation", "DescribeStacks", { StackName: "nope" });
    expect(err).toMatchObject({
      code: "ValidationError",
      httpStatus: 400,
      message: "Stack with id nope does not exist",
    });
  });
});

describe("outputs", () => {
  it("every output above fits the SDK v3 models (no member the SDK would drop, right types)", async () => {
    // Act
    const problems = await modelProblems();
    // Assess
    expect(problems).toEqual([]);
  });
});
