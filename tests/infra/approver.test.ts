/** The approvers' managed policy: what `drctl approve|reject` needs, and nothing else. */
import { Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { exampleConfig, synthApp } from "./synth.js";

describe("approver policy", () => {
  it("allows reading this state machine's executions and SendTaskSuccess/SendTaskFailure, and is an output", () => {
    // Act
    const { stacks } = synthApp();
    const template = Template.fromStack(stacks.orchestrator);
    // Assess
    const policies = Object.values(template.findResources("AWS::IAM::ManagedPolicy")).filter((p) =>
      String((p as { Properties: { Description?: string } }).Properties.Description).includes("approval"),
    ) as { Properties: { PolicyDocument: { Statement: { Action: string[]; Resource: unknown }[] } } }[];
    expect(policies).toHaveLength(1);
    const statements = policies[0]?.Properties.PolicyDocument.Statement ?? [];
    const config = exampleConfig();
    expect(statements.map((s) => [[...s.Action].sort(), s.Resource])).toEqual([
      [
        ["states:DescribeExecution", "states:GetExecutionHistory"],
        `arn:aws:states:${config.regions.recovery}:${config.account}:execution:drctl-${config.app}:*`,
      ],
      [["states:SendTaskFailure", "states:SendTaskSuccess"], "*"],
    ]);
    expect(Object.keys(template.findOutputs("ApproverPolicyArn"))).toEqual(["ApproverPolicyArn"]);
  });
});
