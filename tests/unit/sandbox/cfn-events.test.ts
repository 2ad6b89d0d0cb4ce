import { describe, expect, it } from "vitest";
import { healthForHost } from "../../../scripts/sandbox/world/index.js";
import { outputsOf, stackInput } from "./cfn-helpers.js";
import { DR_APP_TEMPLATE, harness, putTemplate, scenarioOf } from "./world-helpers.js";

describe("stack events and template summary", () => {
  it("names the template's logical ids and types, each resource created after what it references", async () => {
    const h = harness(scenarioOf());
    const url = await putTemplate(h);
    await h.call("cloudformation", "CreateStack", stackInput(url));
    h.clock.advanceBy(540);
    const events = (
      (await h.call("cloudformation", "DescribeStackEvents", { StackName: "shop-dr-drill-abc123" }))
        .StackEvents as {
        LogicalResourceId: string;
        ResourceType: string;
        ResourceStatus: string;
        Timestamp: Date;
      }[]
    ).reverse();
    const at = (id: string, status: string) =>
      events.find((e) => e.LogicalResourceId === id && e.ResourceStatus === status)?.Timestamp.getTime() ??
      Number.NaN;
    const types = Object.fromEntries(events.map((e) => [e.LogicalResourceId, e.ResourceType]));
    expect(types).toMatchObject({
      "shop-dr-drill-abc123": "AWS::CloudFormation::Stack",
      LoadBalancer: "AWS::ElasticLoadBalancingV2::LoadBalancer",
      TargetGroup: "AWS::ElasticLoadBalancingV2::TargetGroup",
      Listener: "AWS::ElasticLoadBalancingV2::Listener",
      LaunchTemplate: "AWS::EC2::LaunchTemplate",
      AppGroup: "AWS::AutoScaling::AutoScalingGroup",
      InstanceProfile: "AWS::IAM::InstanceProfile",
    });
    expect(at("LoadBalancer", "CREATE_COMPLETE")).toBeLessThanOrEqual(at("Listener", "CREATE_IN_PROGRESS"));
    expect(at("InstanceProfile", "CREATE_COMPLETE")).toBeLessThanOrEqual(
      at("LaunchTemplate", "CREATE_IN_PROGRESS"),
    );
    expect(at("Listener", "CREATE_COMPLETE")).toBeLessThanOrEqual(at("AppGroup", "CREATE_IN_PROGRESS"));
    expect(events.at(-1)).toMatchObject({
      LogicalResourceId: "shop-dr-drill-abc123",
      ResourceStatus: "CREATE_COMPLETE",
    });
  });

  it("GetTemplateSummary lists the parameters with defaults, the resource types and the IAM capability; ValidateTemplate too", async () => {
    const h = harness(scenarioOf());
    const url = await putTemplate(h);
    const summary = await h.call("cloudformation", "GetTemplateSummary", { TemplateURL: url });
    const validated = await h.call("cloudformation", "ValidateTemplate", { TemplateBody: DR_APP_TEMPLATE });
    const params = summary.Parameters as { ParameterKey: string; DefaultValue?: string; NoEcho: boolean }[];
    expect(params.map((p) => p.ParameterKey)).toEqual(
      expect.arrayContaining(["ParameterPrefix", "DrctlExecution", "VpcId", "SubnetIds", "InstanceRoleTag"]),
    );
    expect(params.find((p) => p.ParameterKey === "VpcId")?.DefaultValue).toBeUndefined();
    expect(params.find((p) => p.ParameterKey === "HealthCheckPath")?.DefaultValue).toBe("/health");
    expect(summary.Capabilities).toEqual(["CAPABILITY_IAM"]);
    expect(validated.Capabilities).toEqual(["CAPABILITY_IAM"]);
    expect((validated.Parameters as { ParameterKey: string }[]).map((p) => p.ParameterKey)).toEqual(
      params.map((p) => p.ParameterKey),
    );
    expect(summary.CapabilitiesReason).toBe(
      "The following resource(s) require capabilities: [AWS::IAM::Role, AWS::IAM::InstanceProfile]",
    );
  });
});

describe("health through the load balancer", () => {
  it("the HealthUrl's host answers for the stack: 503 until healthy after deploy, then 200 on the health path", async () => {
    const h = harness(scenarioOf());
    const url = await putTemplate(h);
    await h.call("cloudformation", "CreateStack", stackInput(url));
    h.clock.advanceBy(540);
    const stacks = (await h.call("cloudformation", "DescribeStacks", { StackName: "shop-dr-drill-abc123" }))
      .Stacks;
    const health = new URL(outputsOf(stacks).HealthUrl as string);
    const warming = healthForHost(h.world, health.host, health.pathname);
    h.clock.advanceBy(h.scenario.app.healthyAfterSeconds);
    const healthy = healthForHost(h.world, health.host, health.pathname);
    const unknown = healthForHost(h.world, "nope-1.us-west-2.elb.amazonaws.com", "/health");
    expect(warming.status).toBe(503);
    expect(healthy).toMatchObject({ status: 200, body: { healthy: true } });
    expect(unknown.status).toBe(404);
  });
});
