import { describe, expect, it } from "vitest";
import type { SandboxError } from "../../../scripts/sandbox/types.js";
import { buildStack } from "../../../scripts/sandbox/world/cfn/build.js";
import { evaluate, NO_VALUE, type Scope } from "../../../scripts/sandbox/world/cfn/intrinsics.js";
import { parseTemplate } from "../../../scripts/sandbox/world/cfn/parse.js";
import { parseBody } from "../../../scripts/sandbox/world/cfn/yaml.js";

const scope = (refs: Record<string, unknown> = {}, conditions: Record<string, boolean> = {}): Scope => ({
  ref: (name) => refs[name],
  getAtt: (id, attr) => `${id}.${attr}`,
  condition: (name) => conditions[name] ?? false,
  mapping: (m, a, b) => `${m}/${a}/${b}`,
  azs: () => ["us-west-2a", "us-west-2b"],
});

const failure = (fn: () => unknown): SandboxError => {
  try {
    fn();
  } catch (e) {
    return e as SandboxError;
  }
  throw new Error("expected a failure");
};

const ctx = {
  stackName: "app",
  stackId: "arn:aws:cloudformation:us-west-2:111122223333:stack/app/1",
  region: "us-west-2",
  account: "111122223333",
  partition: "aws",
  azs: ["us-west-2a", "us-west-2b"],
};

describe("template parsing", () => {
  it("expands the YAML short-form tags on scalars, sequences and mappings into the long form", () => {
    // Act
    const v = parseBody(
      [
        "a: !Ref Name",
        "b: !GetAtt LB.DNSName",
        "c: !Sub 'http://${LB.DNSName}/x'",
        "d: !Join [',', !Ref Subnets]",
        "e: !Select [0, !GetAZs '']",
        "f: !If [Cond, yes, !Ref AWS::NoValue]",
        "g: !Equals [!Ref A, b]",
        "h: !Base64 { 'Fn::Sub': x }",
        "i: !GetAtt [LB, CanonicalHostedZoneID]",
      ].join("\n"),
    );
    // Assess
    expect(v).toEqual({
      a: { Ref: "Name" },
      b: { "Fn::GetAtt": ["LB", "DNSName"] },
      c: { "Fn::Sub": "http://${LB.DNSName}/x" },
      d: { "Fn::Join": [",", { Ref: "Subnets" }] },
      e: { "Fn::Select": [0, { "Fn::GetAZs": "" }] },
      f: { "Fn::If": ["Cond", "yes", { Ref: "AWS::NoValue" }] },
      g: { "Fn::Equals": [{ Ref: "A" }, "b"] },
      h: { "Fn::Base64": { "Fn::Sub": "x" } },
      i: { "Fn::GetAtt": ["LB", "CanonicalHostedZoneID"] },
    });
  });

  it("reads JSON templates and words malformed ones as CloudFormation does", () => {
    // Act
    const json = parseTemplate('{"Resources": {"Q": {"Type": "AWS::SNS::Topic"}}}');
    const badYaml = failure(() => parseTemplate("Resources:\n  A: [unclosed\n"));
    const badJson = failure(() => parseTemplate('{"Resources": }'));
    const noResources = failure(() => parseTemplate("Parameters: {}\n"));
    const noType = failure(() => parseTemplate("Resources:\n  A:\n    Properties: {}\n"));
    const badSection = failure(() => parseTemplate("Resource: {}\n"));
    const badType = failure(() =>
      parseTemplate("Parameters:\n  P: {Type: Strin}\nResources:\n  A: {Type: AWS::SNS::Topic}\n"),
    );
    // Assess
    expect(json.Resources.Q?.Type).toBe("AWS::SNS::Topic");
    expect(badYaml).toMatchObject({
      code: "ValidationError",
      message: expect.stringMatching(
        /^Template format error: YAML not well-formed\. \(line \d+, column \d+\)$/,
      ),
    });
    expect(badJson.message).toMatch(/^Template format error: JSON not well-formed\./);
    expect(noResources.message).toBe("Template format error: At least one Resources member must be defined.");
    expect(noType.message).toBe(
      "Template format error: [/Resources/A] Every Resources object must contain a Type member.",
    );
    expect(badSection.message).toBe(
      "Template format error: Invalid template property or properties [Resource]",
    );
    expect(badType.message).toBe("Template format error: Unrecognized parameter type: Strin");
  });
});

describe("intrinsic functions", () => {
  it("resolves Ref, Fn::Sub (attributes, own variables, ${!Literal}), Join, Select, Split, GetAZs, FindInMap, Base64", () => {
    const s = scope({ Subnets: ["subnet-a", "subnet-b"], Prefix: "/p", "AWS::Region": "us-west-2" });
    expect(evaluate({ "Fn::Sub": "http://${LB.DNSName}${Prefix}/${!Literal}" }, s)).toBe(
      "http://LB.DNSName/p/${Literal}",
    );
    expect(evaluate({ "Fn::Sub": ["${X}-${AWS::Region}", { X: { Ref: "Prefix" } }] }, s)).toBe(
      "/p-us-west-2",
    );
    expect(evaluate({ "Fn::Join": [",", { Ref: "Subnets" }] }, s)).toBe("subnet-a,subnet-b");
    expect(evaluate({ "Fn::Select": ["1", { Ref: "Subnets" }] }, s)).toBe("subnet-b");
    expect(evaluate({ "Fn::Split": ["/", "a/b"] }, s)).toEqual(["a", "b"]);
    expect(evaluate({ "Fn::Select": [0, { "Fn::GetAZs": "" }] }, s)).toBe("us-west-2a");
    expect(evaluate({ "Fn::FindInMap": ["M", "a", "b"] }, s)).toBe("M/a/b");
    expect(evaluate({ "Fn::Base64": "hi" }, s)).toBe("aGk=");
  });

  it("evaluates conditions and drops AWS::NoValue from objects and lists", () => {
    const s = scope({ Env: "prod" }, { IsProd: true });
    expect(evaluate({ "Fn::Equals": [{ Ref: "Env" }, "prod"] }, s)).toBe(true);
    expect(
      evaluate({ "Fn::And": [{ Condition: "IsProd" }, { "Fn::Not": [{ "Fn::Equals": ["a", "b"] }] }] }, s),
    ).toBe(true);
    expect(evaluate({ "Fn::Or": [{ "Fn::Equals": ["a", "b"] }, { Condition: "Other" }] }, s)).toBe(false);
    expect(
      evaluate(
        {
          A: { "Fn::If": ["Other", "x", { Ref: "AWS::NoValue" }] },
          B: ["1", { "Fn::If": ["IsProd", "2", "3"] }],
        },
        {
          ...s,
          ref: (n) => (n === "AWS::NoValue" ? NO_VALUE : undefined),
        },
      ),
    ).toEqual({ B: ["1", "2"] });
  });

  it("refuses a Ref to a name the template does not declare", () => {
    const err = failure(() => evaluate({ Ref: "Nope" }, scope()));
    expect(err.message).toBe(
      "Template format error: Unresolved resource dependencies [Nope] in the Resources block of the template",
    );
  });
});

describe("building a stack", () => {
  const template = (body: string) => parseTemplate(body);
  const params = { refs: { Name: "web" }, given: { Name: "web" }, resolved: {} };

  it("orders resources by their dependencies and resolves Ref and Fn::GetAtt of resources in outputs", () => {
    // Act
    const built = buildStack(
      template(
        [
          "Conditions:",
          "  Never: !Equals [a, b]",
          "Resources:",
          "  Listener:",
          "    Type: AWS::ElasticLoadBalancingV2::Listener",
          "    Properties: { LoadBalancerArn: !Ref LB }",
          "  LB:",
          "    Type: AWS::ElasticLoadBalancingV2::LoadBalancer",
          "    Properties: { Scheme: internal }",
          "Outputs:",
          "  Dns: { Value: !GetAtt LB.DNSName }",
          "  Zone: { Value: !GetAtt LB.CanonicalHostedZoneID }",
          "  Url: { Value: !Sub 'http://${LB.DNSName}/${Name}' }",
          "  Hidden: { Condition: Never, Value: x }",
        ].join("\n"),
      ),
      params,
      ctx,
    );
    // Assess
    expect(built.resources.map((r) => r.logicalId)).toEqual(["LB", "Listener"]);
    expect(built.resources[1]?.start).toBe(built.resources[0]?.end);
    const out = Object.fromEntries(built.outputs.map((o) => [o.OutputKey, o.OutputValue]));
    expect(Object.keys(out)).toEqual(["Dns", "Zone", "Url"]);
    expect(out.Dns).toMatch(/^internal-app-LB-[A-Z0-9]{12}-\d+\.us-west-2\.elb\.amazonaws\.com$/);
    expect(out.Zone).toBe("Z1H1FL5HABSF5");
    expect(out.Url).toBe(`http://${out.Dns}/web`);
    expect(built.resources[1]?.properties.LoadBalancerArn).toMatch(
      /^arn:aws:elasticloadbalancing:us-west-2:111122223333:loadbalancer\/app\/app-LB-[A-Z0-9]{12}\/[0-9a-f]{16}$/,
    );
  });

  it("refuses unknown attributes, unknown references and circular dependencies", () => {
    const attr = failure(() =>
      buildStack(
        template(
          "Resources:\n  LB: {Type: AWS::ElasticLoadBalancingV2::LoadBalancer}\nOutputs:\n  X: {Value: !GetAtt LB.DNSNam}\n",
        ),
        params,
        ctx,
      ),
    );
    const dep = failure(() =>
      buildStack(template("Resources:\n  A: {Type: AWS::SNS::Topic, DependsOn: Missing}\n"), params, ctx),
    );
    const out = failure(() =>
      buildStack(
        template("Resources:\n  A: {Type: AWS::SNS::Topic}\nOutputs:\n  X: {Value: !Ref B}\n"),
        params,
        ctx,
      ),
    );
    const cycle = failure(() =>
      buildStack(
        template(
          "Resources:\n  A: {Type: AWS::SNS::Topic, DependsOn: B}\n  B: {Type: AWS::SNS::Topic, DependsOn: A}\n",
        ),
        params,
        ctx,
      ),
    );
    expect(attr.message).toBe(
      "Template error: resource LB does not support attribute type DNSNam in Fn::GetAtt",
    );
    expect(dep.message).toBe(
      "Template format error: Unresolved resource dependencies [Missing] in the Resources block of the template",
    );
    expect(out.message).toBe(
      "Template format error: Unresolved resource dependencies [B] in the Outputs block of the template",
    );
    expect(cycle.message).toMatch(/^Circular dependency between resources: \[/);
  });
});
