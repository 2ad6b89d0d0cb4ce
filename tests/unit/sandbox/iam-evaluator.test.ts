/**
 * The sandbox's IAM evaluator against the examples of the IAM JSON policy reference:
 * - condition operators: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * - multivalued keys: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 * - evaluation: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_AccessPolicyLanguage_Interplay.html
 */
import { describe, expect, it } from "vitest";
import { arnMatches, keyHolds, UnsupportedCondition } from "../../../scripts/sandbox/iam/conditions.js";
import {
  evaluate,
  type PolicyDocument,
  requestContext,
  type Statement,
} from "../../../scripts/sandbox/iam/evaluator.js";

const holds = (operator: string, key: string, policy: unknown, ctx: Record<string, string | string[]>) =>
  keyHolds(operator, key, policy, requestContext(ctx));

const doc = (...Statement: Statement[]): PolicyDocument => ({ Version: "2012-10-17", Statement });
const decide = (policy: PolicyDocument, action: string, resource: string, ctx = {}) =>
  evaluate([policy], { action, resource, context: requestContext(ctx) }).effect;

describe("condition operators", () => {
  it("StringEquals: several policy values are OR", () => {
    const values = ["finance", "hr", "legal"];
    expect(
      holds("StringEquals", "aws:PrincipalTag/department", values, { "aws:PrincipalTag/department": "hr" }),
    ).toBe(true);
    expect(
      holds("StringEquals", "aws:PrincipalTag/department", values, { "aws:PrincipalTag/department": "HR" }),
    ).toBe(false);
    expect(holds("StringEquals", "aws:PrincipalTag/department", values, {})).toBe(false);
  });

  it("StringNotEquals: true when the value matches none, and when the key is absent", () => {
    expect(
      holds("StringNotEquals", "aws:RequestedRegion", ["us-east-1"], { "aws:RequestedRegion": "us-west-2" }),
    ).toBe(true);
    expect(
      holds("StringNotEquals", "aws:RequestedRegion", ["us-east-1"], { "aws:RequestedRegion": "us-east-1" }),
    ).toBe(false);
    expect(holds("StringNotEquals", "aws:RequestedRegion", ["us-east-1"], {})).toBe(true);
  });

  it("StringEqualsIgnoreCase, StringLike, StringNotLike", () => {
    expect(
      holds("StringEqualsIgnoreCase", "aws:PrincipalTag/x", "Prod", { "aws:PrincipalTag/x": "PROD" }),
    ).toBe(true);
    expect(
      holds("StringLike", "s3:prefix", ["home/*/notes", "projects/*"], {
        "s3:prefix": "projects/a",
      }),
    ).toBe(true);
    expect(holds("StringLike", "s3:prefix", "proj?cts/*", { "s3:prefix": "projects/a/b" })).toBe(true);
    expect(holds("StringLike", "s3:prefix", "projects/*", { "s3:prefix": "other/a" })).toBe(false);
    expect(holds("StringNotLike", "s3:prefix", "projects/*", { "s3:prefix": "other/a" })).toBe(true);
    expect(holds("StringNotLike", "s3:prefix", "projects/*", {})).toBe(true);
  });

  it("condition key names are case-insensitive, values are not", () => {
    expect(
      holds("StringEquals", "AWS:RequestedRegion", "us-west-2", { "aws:requestedregion": "us-west-2" }),
    ).toBe(true);
    expect(
      holds("StringEquals", "aws:RequestedRegion", "US-WEST-2", { "aws:RequestedRegion": "us-west-2" }),
    ).toBe(false);
  });

  it("ArnEquals / ArnLike compare segment by segment", () => {
    const key = "aws:SourceArn";
    const pattern = "arn:aws:cloudtrail:*:111122223333:trail/*";
    expect(
      holds("ArnLike", key, pattern, { [key]: "arn:aws:cloudtrail:us-east-2:111122223333:trail/t1" }),
    ).toBe(true);
    expect(
      holds("ArnLike", key, pattern, { [key]: "arn:aws:cloudtrail:us-east-2:444455556666:trail/t1" }),
    ).toBe(false);
    expect(
      holds("ArnEquals", key, "arn:aws:sns:us-east-1:111122223333:topic", {
        [key]: "arn:aws:sns:us-east-1:111122223333:topic",
      }),
    ).toBe(true);
    expect(holds("ArnNotLike", key, pattern, {})).toBe(true);
  });

  it("Bool compares true/false", () => {
    expect(holds("Bool", "aws:SecureTransport", "false", { "aws:SecureTransport": "false" })).toBe(true);
    expect(holds("Bool", "aws:SecureTransport", false, { "aws:SecureTransport": "true" })).toBe(false);
    expect(holds("Bool", "aws:SecureTransport", "false", {})).toBe(false);
  });

  it("Null tests whether the key is present", () => {
    expect(holds("Null", "aws:TokenIssueTime", "true", {})).toBe(true);
    expect(
      holds("Null", "aws:TokenIssueTime", "true", { "aws:TokenIssueTime": "2026-01-01T00:00:00Z" }),
    ).toBe(false);
    expect(
      holds("Null", "aws:TokenIssueTime", "false", { "aws:TokenIssueTime": "2026-01-01T00:00:00Z" }),
    ).toBe(true);
  });

  it("...IfExists: true when the key is absent, evaluated as usual when present", () => {
    const types = ["t1.*", "t2.*", "m3.*"];
    expect(holds("StringLikeIfExists", "ec2:InstanceType", types, {})).toBe(true);
    expect(holds("StringLikeIfExists", "ec2:InstanceType", types, { "ec2:InstanceType": "t2.micro" })).toBe(
      true,
    );
    expect(holds("StringLikeIfExists", "ec2:InstanceType", types, { "ec2:InstanceType": "m5.large" })).toBe(
      false,
    );
    expect(
      holds("StringEqualsIfExists", "aws:ResourceTag/app", "shop", { "aws:ResourceTag/app": "blog" }),
    ).toBe(false);
  });

  it("ForAllValues: every request value must match; true for an absent or empty key", () => {
    const op = "ForAllValues:StringLike";
    expect(holds(op, "aws:TagKeys", ["key1*"], { "aws:TagKeys": ["key1a", "key1b"] })).toBe(true);
    expect(holds(op, "aws:TagKeys", ["key1*"], { "aws:TagKeys": ["key1a", "key2"] })).toBe(false);
    expect(holds(op, "aws:TagKeys", ["key1*"], {})).toBe(true);
    expect(holds(op, "aws:TagKeys", ["key1*"], { "aws:TagKeys": [] })).toBe(true);
  });

  it("ForAnyValue: at least one request value must match; false for an absent key", () => {
    const op = "ForAnyValue:StringEquals";
    const policy = ["environment", "cost-center"];
    expect(holds(op, "aws:TagKeys", policy, { "aws:TagKeys": ["environment", "other"] })).toBe(true);
    expect(holds(op, "aws:TagKeys", policy, { "aws:TagKeys": ["other"] })).toBe(false);
    expect(holds(op, "aws:TagKeys", policy, {})).toBe(false);
  });

  it("several keys and several operators in one Condition are AND", () => {
    const policy = doc({
      Effect: "Allow",
      Action: "ec2:CreateTags",
      Resource: "*",
      Condition: {
        StringEquals: { "aws:RequestTag/app": "shop", "aws:RequestedRegion": "us-west-2" },
        "ForAllValues:StringEquals": { "aws:TagKeys": ["app", "mode"] },
      },
    });
    const ok = { "aws:RequestTag/app": "shop", "aws:RequestedRegion": "us-west-2", "aws:TagKeys": ["app"] };
    expect(decide(policy, "ec2:CreateTags", "arn:aws:ec2:us-west-2:1:volume/v", ok)).toBe("Allow");
    const wrongRegion = { ...ok, "aws:RequestedRegion": "us-east-1" };
    expect(decide(policy, "ec2:CreateTags", "arn:aws:ec2:us-west-2:1:volume/v", wrongRegion)).toBe(
      "ImplicitDeny",
    );
    const extraKey = { ...ok, "aws:TagKeys": ["app", "owner"] };
    expect(decide(policy, "ec2:CreateTags", "arn:aws:ec2:us-west-2:1:volume/v", extraKey)).toBe(
      "ImplicitDeny",
    );
  });

  it("fails loudly on an operator it does not model", () => {
    expect(() => holds("NumericLessThan", "s3:max-keys", "10", { "s3:max-keys": "5" })).toThrow(
      UnsupportedCondition,
    );
    expect(() => holds("Sometimes:StringEquals", "a:b", "c", {})).toThrow(UnsupportedCondition);
  });
});

describe("actions and resources", () => {
  it("actions are case-insensitive and take * and ? wildcards", () => {
    const policy = doc({ Effect: "Allow", Action: ["ec2:Describe*", "s3:Get?bject"], Resource: "*" });
    expect(decide(policy, "EC2:describeinstances", "*")).toBe("Allow");
    expect(decide(policy, "s3:GetObject", "arn:aws:s3:::b/k")).toBe("Allow");
    expect(decide(policy, "ec2:AttachVolume", "*")).toBe("ImplicitDeny");
  });

  it("NotAction and NotResource invert the match", () => {
    const policy = doc({ Effect: "Allow", NotAction: "iam:*", NotResource: "arn:aws:s3:::secret/*" });
    expect(decide(policy, "s3:GetObject", "arn:aws:s3:::public/k")).toBe("Allow");
    expect(decide(policy, "s3:GetObject", "arn:aws:s3:::secret/k")).toBe("ImplicitDeny");
    expect(decide(policy, "iam:PassRole", "arn:aws:iam::1:role/r")).toBe("ImplicitDeny");
  });

  it("resource ARNs: wildcards stay within a segment unless they end it", () => {
    expect(arnMatches("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/runs/a/b.json")).toBe(true);
    expect(arnMatches("arn:aws:rds:us-west-2:1:db:*", "arn:aws:rds:us-west-2:1:db:shop-db")).toBe(true);
    expect(arnMatches("arn:aws:rds:us-west-2:1:db:*", "arn:aws:rds:us-west-2:1:cluster:shop-db")).toBe(false);
    expect(
      arnMatches("arn:aws:states:*:1:execution:m:*", "arn:aws:states:us-west-2:1:execution:m:run:x"),
    ).toBe(true);
    expect(arnMatches("arn:aws:ec2:us-*-2:1:volume/*", "arn:aws:ec2:us-west-2:1:volume/vol-1")).toBe(true);
    expect(arnMatches("arn:aws:ec2:us*2:1:volume/*", "arn:aws:ec2:us-west:2:1:volume/vol-1")).toBe(false);
    expect(arnMatches("arn:aws:backup:*", "arn:aws:backup:us-west-2:1:recovery-point:x")).toBe(true);
    expect(
      arnMatches(
        "arn:aws:cloudformation:us-west-2:1:stack/shop-dr/*",
        "arn:aws:cloudformation:us-west-2:1:stack/shop-dr-drill-1/x",
      ),
    ).toBe(false);
  });

  it("a request for '*' (no resource-level permissions) matches only Resource '*'", () => {
    const scoped = doc({
      Effect: "Allow",
      Action: "cloudwatch:DescribeAlarms",
      Resource: "arn:aws:cloudwatch:us-east-1:1:alarm:a",
    });
    expect(decide(scoped, "cloudwatch:DescribeAlarms", "*")).toBe("ImplicitDeny");
    const star = doc({ Effect: "Allow", Action: "cloudwatch:DescribeAlarms", Resource: "*" });
    expect(decide(star, "cloudwatch:DescribeAlarms", "*")).toBe("Allow");
  });
});

describe("evaluation", () => {
  // The documented example: Get*/List* allowed, anything with Report denied, the rest implicitly denied.
  const policy = doc(
    { Sid: "AllowGetList", Effect: "Allow", Action: ["iam:Get*", "iam:List*"], Resource: "*" },
    { Sid: "DenyReports", Effect: "Deny", Action: "iam:*Report", Resource: "*" },
  );

  it("explicit Deny wins over Allow", () => {
    const d = evaluate([policy], {
      action: "iam:GetOrganizationsAccessReport",
      resource: "*",
      context: new Map(),
    });
    expect(d).toMatchObject({ effect: "ExplicitDeny", statement: { Sid: "DenyReports" } });
  });

  it("Allow when an applicable statement allows and none denies", () => {
    expect(decide(policy, "iam:GetUser", "*")).toBe("Allow");
  });

  it("implicit deny when nothing applies", () => {
    expect(decide(policy, "iam:CreatePolicy", "*")).toBe("ImplicitDeny");
  });

  it("a Deny in another policy of the principal still wins", () => {
    const allowAll = doc({ Effect: "Allow", Action: "*", Resource: "*" });
    const deny = doc({ Effect: "Deny", Action: "s3:DeleteObject", Resource: "arn:aws:s3:::b/*" });
    const req = { action: "s3:DeleteObject", resource: "arn:aws:s3:::b/k", context: new Map() };
    expect(evaluate([allowAll, deny], req).effect).toBe("ExplicitDeny");
  });
});
