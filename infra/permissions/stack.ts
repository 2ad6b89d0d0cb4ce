/**
 * Creating, watching and reading the DR app stack (CloudFormation) and the health check that reads its outputs.
 */

import { TAG_APP, TAG_MODE } from "../../functions/shared/types.js";
import type { FunctionKey } from "../../state-machines/names.js";
import { templateObject } from "../config.js";
import type { Grant, SharedGrants } from "./shared.js";

export function stackGrants(
  s: SharedGrants,
): Pick<Record<FunctionKey, Grant[]>, "deployStack" | "checkStack" | "validateHealth"> {
  const template = templateObject(s.config.stack.templateUrl);
  const templateArn = `arn:${s.a.partition}:s3:::${template.bucket}/${template.key}`;
  return {
    deployStack: [
      s.bucket,
      s.readConfig,
      // The report of the failover that left a DR stack: a failed one's stack is adopted.
      s.readRuns,
      {
        actions: [
          "cloudformation:CreateStack",
          "cloudformation:DescribeStacks",
          "cloudformation:TagResource",
        ],
        resources: [s.a.failoverStack, s.a.drillStacks],
        why: s.stackWhy,
      },
      // replaceStack: the DR stack a failed failover of this app left (its run's report is read first).
      {
        actions: ["cloudformation:DeleteStack"],
        resources: [s.a.failoverStack],
        conditions: {
          StringEquals: {
            [`aws:ResourceTag/${TAG_APP}`]: s.config.app,
            [`aws:ResourceTag/${TAG_MODE}`]: "failover",
          },
        },
        why: "the failover stack only, and only one a failover of this app created (its tags)",
      },
      // GetTemplateSummary with a TemplateURL names no stack: IAM matches it against "*" only
      // (SAR: its stack resource is optional). The condition keeps it to the configured template
      // (cloudformation:TemplateUrl, as in AWS's sample "Allow stack creation based on template":
      // https://docs.aws.amazon.com/prescriptive-guidance/latest/least-privilege-cloudformation/sample-id-policies-for-cloudformation.html).
      {
        actions: ["cloudformation:GetTemplateSummary"],
        resources: ["*"],
        conditions: { StringEquals: { "cloudformation:TemplateUrl": s.config.stack.templateUrl } },
        why: "GetTemplateSummary of a TemplateURL has no stack resource; limited to the configured template URL",
      },
      // CloudFormation reads TemplateURL with the caller's credentials (CreateStack and
      // GetTemplateSummary): the same sample gives the principals read access to the template bucket.
      { actions: ["s3:GetObject"], resources: [templateArn] },
      // The stack's service role (RoleARN): only that role, only to CloudFormation. DeleteStack
      // (cleanup) uses the role kept with the stack and needs no PassRole.
      {
        actions: ["iam:PassRole"],
        resources: [s.config.stack.roleArn],
        conditions: { StringEquals: { "iam:PassedToService": "cloudformation.amazonaws.com" } },
      },
    ],
    checkStack: [
      s.bucket,
      s.readConfig,
      {
        actions: ["cloudformation:DescribeStacks", "cloudformation:DescribeStackEvents"],
        resources: [s.a.failoverStack, s.a.drillStacks],
        why: s.stackWhy,
      },
    ],
    validateHealth: [s.bucket, s.readConfig, s.stackRead],
  };
}
