import { describe, expect, it } from "vitest";
import { healthForHost, TIMINGS } from "../../../scripts/sandbox/world/index.js";
import { harness, NETWORK_PARAMETERS, putTemplate, scenarioOf } from "./world-helpers.js";

type Param = { ParameterKey: string; ParameterValue: string };
const stackInput = (
  url: string,
  parameters: Param[] = NETWORK_PARAMETERS,
  extra: Record<string, unknown> = {},
) => ({
  StackName: "shop-dr-drill-abc123",
  TemplateURL: url,
  Parameters: parameters,
  Capabilities: ["CAPABILITY_IAM"],
  ...extra,
});
const outputsOf = (stacks: unknown) =>
  Object.fromEntries(
    ((stacks as { Outputs?: { OutputKey: string; OutputValue: string }[] }[])[0]?.Outputs ?? []).map((o) => [
      o.OutputKey,
      o.OutputValue,
    ]),
  );

describe("CreateStack reads the template", () => {
  it("refuses a parameter the template does not declare", async () => {
    const h = harness(scenarioOf());
    const url = await putTemplate(h);
    const err = await h.fail(
      "cloudformation",
      "CreateStack",
      stackInput(url, [...NETWORK_PARAMETERS, { ParameterKey: "Nope", ParameterValue: "x" }]),
    );
    expect(err).toMatchObject({
      code: "ValidationError",
      httpStatus: 400,
      message: "Parameters: [Nope] do not exist in the template",
    });
  });

  it("refuses a declared parameter with no Default and no value, and a value outside AllowedValues", async () => {
    const h = harness(scenarioOf());
    const url = await putTemplate(h);
    const missing = await h.fail("cloudformation", "CreateStack", stackInput(url, []));
    const notAllowed = await h.fail(
      "cloudformation",
      "CreateStack",
      stackInput(url, [
        ...NETWORK_PARAMETERS,
        { ParameterKey: "LoadBalancerScheme", ParameterValue: "public" },
      ]),
    );
    const badPattern = await h.fail(
      "cloudformation",
      "CreateStack",
      stackInput(url, [...NETWORK_PARAMETERS, { ParameterKey: "InstanceType", ParameterValue: "big" }]),
    );
    expect(missing).toMatchObject({
      code: "ValidationError",
      message: "Parameters: [VpcId, SubnetIds] must have values",
    });
    expect(notAllowed.message).toBe("Parameter 'LoadBalancerScheme' must be one of AllowedValues");
    expect(badPattern.message).toBe("Parameter 'InstanceType' must be an EC2 instance type such as t3.small");
  });

  it("reads TemplateURL in path-style and virtual-hosted form; refuses other URLs, missing objects and both sources", async () => {
    const h = harness(scenarioOf());
    await putTemplate(h);
    const virtual = "https://dr-templates-111122223333.s3.us-west-2.amazonaws.com/dr-app.yaml";
    const ok = await h.call("cloudformation", "GetTemplateSummary", { TemplateURL: virtual });
    const other = await h.fail(
      "cloudformation",
      "CreateStack",
      stackInput("https://example.com/dr-app.yaml"),
    );
    const absent = await h.fail(
      "cloudformation",
      "CreateStack",
      stackInput("https://s3.us-west-2.amazonaws.com/dr-templates-111122223333/nope.yaml"),
    );
    const both = await h.fail(
      "cloudformation",
      "CreateStack",
      stackInput(virtual, [], { TemplateBody: "{}" }),
    );
    const none = await h.fail("cloudformation", "CreateStack", { StackName: "x" });
    expect(ok.ResourceTypes).toContain("AWS::AutoScaling::AutoScalingGroup");
    expect(other.message).toBe("TemplateURL must be a supported URL.");
    expect(absent.message).toBe("TemplateURL must reference a valid S3 object to which you have access.");
    expect(both.message).toBe("You cannot specify both Template URL and Template Body.");
    expect(none.message).toBe("Either Template URL or Template Body must be specified.");
  });

  it("refuses a template with IAM resources without CAPABILITY_IAM", async () => {
    const h = harness(scenarioOf());
    const url = await putTemplate(h);
    const err = await h.fail(
      "cloudformation",
      "CreateStack",
      stackInput(url, NETWORK_PARAMETERS, { Capabilities: [] }),
    );
    expect(err).toMatchObject({
      code: "InsufficientCapabilitiesException",
      message: "Requires capabilities : [CAPABILITY_IAM]",
    });
  });

  it("rolls the stack back when a subnet parameter names no subnet of the region", async () => {
    const h = harness(scenarioOf());
    const url = await putTemplate(h);
    await h.call(
      "cloudformation",
      "CreateStack",
      stackInput(url, [
        { ParameterKey: "VpcId", ParameterValue: "vpc-0dr" },
        { ParameterKey: "SubnetIds", ParameterValue: "subnet-0dra,subnet-0nope" },
      ]),
    );
    h.clock.advanceBy(TIMINGS.stackRollbackSeconds + 2);
    const stack = (
      (await h.call("cloudformation", "DescribeStacks", { StackName: "shop-dr-drill-abc123" })).Stacks as {
        StackStatus: string;
        StackStatusReason: string;
      }[]
    )[0];
    expect(stack).toMatchObject({
      StackStatus: "ROLLBACK_COMPLETE",
      StackStatusReason:
        "Parameter validation failed: parameter value subnet-0nope for parameter name SubnetIds does not exist. Rollback requested by user.",
    });
  });

  it("takes a JSON TemplateBody; outputs whose Condition is false are left out; NoEcho values are masked", async () => {
    const h = harness(scenarioOf());
    const body = JSON.stringify({
      Parameters: { Secret: { Type: "String", NoEcho: true }, Env: { Type: "String", Default: "drill" } },
      Conditions: { IsProd: { "Fn::Equals": [{ Ref: "Env" }, "prod"] } },
      Resources: { Topic: { Type: "AWS::SNS::Topic" } },
      Outputs: {
        TopicArn: { Value: { Ref: "Topic" } },
        ProdOnly: { Condition: "IsProd", Value: "x" },
        Where: { Value: { "Fn::Sub": "${AWS::Region}/${AWS::AccountId}/${Env}" } },
      },
    });
    await h.call("cloudformation", "CreateStack", {
      StackName: "json-stack",
      TemplateBody: body,
      Parameters: [{ ParameterKey: "Secret", ParameterValue: "s3cr3t" }],
    });
    h.clock.advanceBy(600);
    const out = await h.call("cloudformation", "DescribeStacks", { StackName: "json-stack" });
    const params = (out.Stacks as { Parameters: Param[] }[])[0]?.Parameters;
    expect(outputsOf(out.Stacks)).toEqual({
      TopicArn: expect.stringMatching(/^arn:aws:sns:us-west-2:111122223333:json-stack-Topic-[A-Z0-9]+$/),
      Where: "us-west-2/111122223333/drill",
    });
    expect(params).toEqual([
      { ParameterKey: "Secret", ParameterValue: "****" },
      { ParameterKey: "Env", ParameterValue: "drill" },
    ]);
  });
});

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

  it("GetTemplateSummary lists the parameters with defaults, the resource types and the IAM capability", async () => {
    const h = harness(scenarioOf());
    const url = await putTemplate(h);
    const summary = await h.call("cloudformation", "GetTemplateSummary", { TemplateURL: url });
    const params = summary.Parameters as { ParameterKey: string; DefaultValue?: string; NoEcho: boolean }[];
    expect(params.map((p) => p.ParameterKey)).toEqual(
      expect.arrayContaining(["ParameterPrefix", "DrctlExecution", "VpcId", "SubnetIds", "InstanceRoleTag"]),
    );
    expect(params.find((p) => p.ParameterKey === "VpcId")?.DefaultValue).toBeUndefined();
    expect(params.find((p) => p.ParameterKey === "HealthCheckPath")?.DefaultValue).toBe("/health");
    expect(summary.Capabilities).toEqual(["CAPABILITY_IAM"]);
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
