import { describe, expect, it } from "vitest";
import { TIMINGS } from "../../../scripts/sandbox/world/index.js";
import {
  type Harness,
  harness,
  modelProblems,
  NETWORK_PARAMETERS,
  putTemplate,
  scenarioOf,
} from "./world-helpers.js";

const TAGS = [{ Key: "drctl:execution", Value: "drill-shop-20260301T0900Z" }];
const PARAMETERS = [
  { ParameterKey: "ParameterPrefix", ParameterValue: "/drctl-drill/drill-shop-20260301T0900Z" },
  ...NETWORK_PARAMETERS,
];
const create = (templateUrl: string, name = "shop-dr-drill-abc123", token = "drill-shop-20260301T0900Z") => ({
  StackName: name,
  TemplateURL: templateUrl,
  Parameters: PARAMETERS,
  Capabilities: ["CAPABILITY_NAMED_IAM"],
  RoleARN: "arn:aws:iam::111122223333:role/shop-dr-cloudformation",
  Tags: TAGS,
  ClientRequestToken: token,
});

type StackOut = {
  StackStatus: string;
  StackStatusReason?: string;
  RoleARN?: string;
  Outputs?: { OutputKey: string; OutputValue: string }[];
};
type EventOut = {
  LogicalResourceId: string;
  ResourceType: string;
  ResourceStatus: string;
  ResourceStatusReason?: string;
  Timestamp: Date;
};
type InstanceOut = {
  InstanceId: string;
  SubnetId: string;
  Placement: { AvailabilityZone: string };
  Tags: { Key: string; Value: string }[];
};

/** Creates the DR app stack from templates/dr-app.yaml in the sandbox's S3. */
async function createAppStack(h: Harness, overrides: Record<string, unknown> = {}) {
  const url = await putTemplate(h);
  return h.call("cloudformation", "CreateStack", { ...create(url), ...overrides });
}

describe("cloudformation: the DR app stack", () => {
  it("goes CREATE_IN_PROGRESS → CREATE_COMPLETE after deploySeconds, with the template's outputs and its Auto Scaling group's instances", async () => {
    // Prepare
    const h = harness(scenarioOf(), 7777);
    const { StackId } = await createAppStack(h);
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
    expect(after?.RoleARN).toBe("arn:aws:iam::111122223333:role/shop-dr-cloudformation");
    const outputs = Object.fromEntries((after?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
    expect(Object.keys(outputs).sort()).toEqual([
      "AutoScalingGroupName",
      "HealthUrl",
      "LoadBalancerDnsName",
      "LoadBalancerHostedZoneId",
      "PublicUrl",
    ]);
    expect(outputs.LoadBalancerDnsName).toMatch(
      /^shop-dr-d-LoadBalan-[A-Z0-9]{12}-\d+\.us-west-2\.elb\.amazonaws\.com$/,
    );
    expect(outputs.LoadBalancerHostedZoneId).toBe("Z1H1FL5HABSF5");
    expect(outputs.HealthUrl).toBe(`http://${outputs.LoadBalancerDnsName}/health`);
    const list = (instances.Reservations as { Instances: InstanceOut[] }[]).flatMap((r) => r.Instances);
    const tag = (i: InstanceOut, k: string) => i.Tags.find((t) => t.Key === k)?.Value;
    expect(list).toHaveLength(2); // DesiredCapacity 2, one per DR subnet
    expect(list.map((i) => i.SubnetId).sort()).toEqual(["subnet-0dra", "subnet-0drb"]);
    for (const i of list) {
      expect(tag(i, "role")).toBe("web"); // the group's PropagateAtLaunch tag
      expect(tag(i, "drctl:execution")).toBe("drill-shop-20260301T0900Z"); // the stack's tags
      expect(tag(i, "aws:cloudformation:logical-id")).toBe("AppGroup");
      expect(tag(i, "aws:autoscaling:groupName")).toBe(outputs.AutoScalingGroupName);
    }
    expect(list.find((i) => i.SubnetId === "subnet-0dra")?.Placement.AvailabilityZone).toBe("us-west-2a");
  });

  it("ClientRequestToken makes CreateStack idempotent; another token is AlreadyExistsException", async () => {
    // Prepare
    const h = harness(scenarioOf());
    const url = await putTemplate(h);
    const first = await h.call("cloudformation", "CreateStack", create(url));
    // Act
    const retry = await h.call("cloudformation", "CreateStack", create(url));
    const clash = await h.fail("cloudformation", "CreateStack", create(url, undefined, "someone-else"));
    // Assess
    expect(retry.StackId).toBe(first.StackId);
    expect(clash).toMatchObject({ code: "AlreadyExistsException", httpStatus: 400 });
  });

  it("a stack fault fails the template's Auto Scaling group, cancels what is in progress and rolls back in reverse order", async () => {
    // Prepare
    const h = harness(
      scenarioOf({ faults: [{ stack: "shop-dr", status: "ROLLBACK_COMPLETE", reason: "Subnet capacity" }] }),
    );
    await createAppStack(h);
    const describe = async () =>
      (
        (await h.call("cloudformation", "DescribeStacks", { StackName: "shop-dr-drill-abc123" }))
          .Stacks as StackOut[]
      )[0];
    // Act
    h.clock.advanceBy(539);
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
    expect(rolled?.StackStatusReason).toBe(
      "The following resource(s) failed to create: [AppGroup]. Rollback requested by user.",
    );
    const list = events.StackEvents as EventOut[];
    expect(list[0]).toMatchObject({
      LogicalResourceId: "shop-dr-drill-abc123",
      ResourceStatus: "ROLLBACK_COMPLETE",
    });
    expect(list.find((e) => e.ResourceStatus === "CREATE_FAILED")).toMatchObject({
      LogicalResourceId: "AppGroup",
      ResourceType: "AWS::AutoScaling::AutoScalingGroup",
      ResourceStatusReason: "Subnet capacity",
    });
    const deleted = list
      .filter((e) => e.ResourceStatus === "DELETE_COMPLETE")
      .map((e) => e.LogicalResourceId);
    expect(deleted.at(-1)).toBe("AppGroup"); // newest first: the group is deleted first
    expect(deleted).toContain("LoadBalancer");
    expect(list.map((e) => e.Timestamp.getTime())).toEqual(
      [...list.map((e) => e.Timestamp.getTime())].sort((a, b) => b - a),
    );
    expect(instances.Reservations).toEqual([]);
    // the fault fired once: the next stack succeeds
    expect(h.world.faults.entries[0]?.remaining).toBe(0);
  });

  it("a stack fault naming a logical id fails that resource and cancels the ones in progress with it", async () => {
    // Prepare
    const h = harness(
      scenarioOf({
        faults: [{ stack: "shop-dr", status: "ROLLBACK_COMPLETE", resource: "InstanceProfile" }],
      }),
    );
    await createAppStack(h);
    // Act
    h.clock.advanceBy(540 + TIMINGS.stackRollbackSeconds);
    const events = (
      await h.call("cloudformation", "DescribeStackEvents", { StackName: "shop-dr-drill-abc123" })
    ).StackEvents as EventOut[];
    const stack = (
      (await h.call("cloudformation", "DescribeStacks", { StackName: "shop-dr-drill-abc123" }))
        .Stacks as StackOut[]
    )[0];
    // Assess
    const failed = events.filter((e) => e.ResourceStatus === "CREATE_FAILED");
    expect(failed.find((e) => e.LogicalResourceId === "InstanceProfile")?.ResourceStatusReason).toMatch(
      /^Resource handler returned message/,
    );
    // the load balancer (slowest) was still being created: cancelled
    expect(failed.find((e) => e.LogicalResourceId === "LoadBalancer")?.ResourceStatusReason).toBe(
      "Resource creation cancelled",
    );
    expect(events.some((e) => e.LogicalResourceId === "AppGroup")).toBe(false); // never started
    expect(stack?.StackStatusReason).toBe(
      "The following resource(s) failed to create: [InstanceProfile, LoadBalancer]. Rollback requested by user.",
    );
  });

  it("DeleteStack: DELETE_IN_PROGRESS → DELETE_COMPLETE, terminating its instances; then the name no longer exists", async () => {
    // Prepare
    const h = harness(scenarioOf());
    const { StackId } = await createAppStack(h);
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
