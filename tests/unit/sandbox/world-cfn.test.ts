import { describe, expect, it } from "vitest";
import { TIMINGS } from "../../../scripts/sandbox/world/index.js";
import { outputsOf, type Param, stackInput } from "./cfn-helpers.js";
import { harness, NETWORK_PARAMETERS, putTemplate, scenarioOf } from "./world-helpers.js";

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

describe("parameters without declarations and SSM parameter types", () => {
  it("refuses values for a template without parameters; reads SSM parameter types from Parameter Store", async () => {
    const h = harness(scenarioOf());
    const noParams = JSON.stringify({ Resources: { Topic: { Type: "AWS::SNS::Topic" } } });
    const ssmTemplate = (name: string) =>
      JSON.stringify({
        Parameters: { Ami: { Type: "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>", Default: name } },
        Resources: { Topic: { Type: "AWS::SNS::Topic" } },
        Outputs: { Ami: { Value: { Ref: "Ami" } } },
      });
    await h.call("ssm", "PutParameter", {
      Name: "/golden/ami",
      Value: "ami-0123456789abcdef0",
      Type: "String",
    });
    const unwanted = await h.fail("cloudformation", "CreateStack", {
      StackName: "a",
      TemplateBody: noParams,
      Parameters: [{ ParameterKey: "X", ParameterValue: "y" }],
    });
    const unfetched = await h.fail("cloudformation", "CreateStack", {
      StackName: "b",
      TemplateBody: ssmTemplate("/no/such/parameter"),
    });
    await h.call("cloudformation", "CreateStack", {
      StackName: "c",
      TemplateBody: ssmTemplate("/golden/ami"),
    });
    h.clock.advanceBy(600);
    const c = await h.call("cloudformation", "DescribeStacks", { StackName: "c" });
    expect(unwanted.message).toBe("Parameter values specified for a template which does not require them.");
    expect(unfetched.message).toBe(
      "Unable to fetch parameters [/no/such/parameter] from parameter store for this account.",
    );
    expect((c.Stacks as { Parameters: unknown[] }[])[0]?.Parameters).toEqual([
      { ParameterKey: "Ami", ParameterValue: "/golden/ami", ResolvedValue: "ami-0123456789abcdef0" },
    ]);
    expect(outputsOf(c.Stacks)).toEqual({ Ami: "ami-0123456789abcdef0" });
  });
});
