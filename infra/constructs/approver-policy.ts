/**
 * The IAM managed policy for the people who answer approval requests (docs/design.md, "Approval"):
 * attach it to their role or group. `drctl approve|reject` reads the waiting task token from the
 * execution history and answers with SendTaskSuccess / SendTaskFailure.
 */
import { CfnOutput } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import { NagSuppressions } from "cdk-nag";
import { Construct } from "constructs";
import type { AppConfig } from "../../functions/shared/config.js";
import { arns, type Grant } from "../permissions.js";

/** What answering an approval needs. */
export function approverGrants(config: AppConfig, stateMachineName: string): Grant[] {
  return [
    {
      actions: ["states:DescribeExecution", "states:GetExecutionHistory"],
      resources: [arns(config).executions(stateMachineName)],
      why: "execution names are generated per run; limited to this state machine's executions",
    },
    {
      actions: ["states:SendTaskSuccess", "states:SendTaskFailure"],
      resources: ["*"],
      why: 'states:SendTask* have no resource types in the Service Authorization Reference (IAM requires "*"); the task token names the task',
    },
  ];
}

export class ApproverPolicy extends Construct {
  readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: { config: AppConfig; stateMachineName: string }) {
    super(scope, id);
    const grants = approverGrants(props.config, props.stateMachineName);
    this.policy = new iam.ManagedPolicy(this, "Policy", {
      description: `drctl ${props.config.app}: answer failover approval requests (drctl approve / reject)`,
      statements: grants.map((g) => new iam.PolicyStatement({ actions: g.actions, resources: g.resources })),
    });
    NagSuppressions.addResourceSuppressions(this.policy, [
      {
        id: "AwsSolutions-IAM5",
        reason: grants.flatMap((g) => (g.why ? [g.why] : [])).join("; "),
        appliesTo: ["Resource::*", `Resource::${arns(props.config).executions(props.stateMachineName)}`],
      },
    ]);
    new CfnOutput(scope, "ApproverPolicyArn", { value: this.policy.managedPolicyArn });
  }
}
