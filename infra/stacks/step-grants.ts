/**
 * The steps' IAM grants on their roles, and the cdk-nag findings each wildcard answers for.
 */
import type { Stack } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import { NagSuppressions } from "cdk-nag";
import { flattenCfnReference } from "cdk-nag/lib/utils/flatten-cfn-reference.js";
import type { FunctionKey } from "../../state-machines/names.js";
import type { StepFunction } from "../constructs/step-function.js";
import type { Grant } from "../permissions.js";

/**
 * Adds the grants to the step's role; each wildcard resource becomes a cdk-nag IAM5 suppression
 * for exactly that finding, with the grant's reason.
 */
export function applyGrants(stack: Stack, step: StepFunction<FunctionKey>, grants: Grant[]): void {
  const findings: { reason: string; appliesTo: string[] }[] = [];
  for (const g of grants) {
    const statement = new iam.PolicyStatement({ actions: g.actions, resources: g.resources });
    if (g.conditions) statement.addConditions(g.conditions);
    step.grant(statement);
    const wild = [
      ...g.actions.filter((a) => a.includes("*")).map((a) => `Action::${a}`),
      ...g.resources
        .map((r) => flattenCfnReference(stack.resolve(r)))
        .filter((r) => r.includes("*"))
        .map((r) => `Resource::${r}`),
    ];
    if (wild.length === 0) continue;
    if (!g.why) throw new Error(`${step.key}: wildcard grant ${wild.join(", ")} needs a reason (why)`);
    findings.push({ reason: g.why, appliesTo: wild });
  }
  // Active tracing adds xray:PutTraceSegments/PutTelemetryRecords, which name no resource.
  findings.push({
    reason: "X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions.",
    appliesTo: ["Resource::*"],
  });
  NagSuppressions.addResourceSuppressions(
    step.role,
    findings.map((f) => ({ id: "AwsSolutions-IAM5", reason: f.reason, appliesTo: f.appliesTo })),
    true,
  );
}

/** The s3-deployment custom resource (config upload) is CDK's own singleton Lambda. */
export function suppressBucketDeployment(stack: Stack): void {
  for (const child of stack.node.children) {
    if (!child.node.id.startsWith("Custom::CDKBucketDeployment")) continue;
    NagSuppressions.addResourceSuppressions(
      child,
      [
        {
          id: "AwsSolutions-IAM4",
          reason: "CDK's BucketDeployment handler uses AWSLambdaBasicExecutionRole for its own logs.",
          appliesTo: [
            "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
          ],
        },
        {
          id: "AwsSolutions-IAM5",
          reason:
            "CDK's BucketDeployment copies the config object from the CDK asset bucket into the artifacts " +
            "bucket (s3:GetObject*/List*/DeleteObject*/Abort* on those buckets' objects).",
        },
        {
          id: "AwsSolutions-L1",
          reason: "CDK's BucketDeployment handler runtime is chosen by aws-cdk-lib, not by this app.",
        },
      ],
      true,
    );
  }
}
