/**
 * Fixtures for the CloudFormation steps' tests (deployStack, checkStack): the real
 * cloudFormationApi over a mocked CloudFormationClient, and SDK-shaped stacks.
 */
import { CloudFormationClient, GetTemplateSummaryCommand } from "@aws-sdk/client-cloudformation";
import { mockClient } from "aws-sdk-client-mock";
import { cloudFormationApi } from "../../functions/shared/aws/cloudformation.js";

/** The steps' clock ("now") in these tests. */
export const CFN_NOW = new Date("2026-03-01T09:01:00Z");
export const STACK_ID = "arn:aws:cloudformation:us-west-2:111122223333:stack/shop-dr/1";

/** GetTemplateSummary's answer for a template declaring these parameters (with defaults unless listed in `required`). */
export const templateSummary = (keys: string[], required: string[] = []) => ({
  Parameters: keys.map((ParameterKey) => ({
    ParameterKey,
    ParameterType: "String",
    NoEcho: false,
    ...(required.includes(ParameterKey) ? {} : { DefaultValue: "" }),
  })),
  Capabilities: ["CAPABILITY_IAM" as const],
  ResourceTypes: ["AWS::AutoScaling::AutoScalingGroup"],
});

/**
 * A mocked CloudFormationClient (`cfn`) and the step deps over the real wrapper. GetTemplateSummary
 * answers a template declaring ParameterPrefix, DrctlExecution and InstanceType.
 */
export function mockCloudFormation() {
  const client = new CloudFormationClient({ region: "us-west-2" });
  const cfn = mockClient(client);
  cfn
    .on(GetTemplateSummaryCommand)
    .resolves(templateSummary(["ParameterPrefix", "DrctlExecution", "InstanceType"]));
  const noReport = async (): Promise<string | undefined> => undefined;
  return { cfn, deps: { cfn: cloudFormationApi(client), now: () => CFN_NOW, outcomeOf: noReport } };
}

/** An SDK-shaped stack of STACK_ID tagged with the execution (run name) that created it. */
export const sdkStack = (status: string, execution: string, extra: object = {}) => ({
  StackId: STACK_ID,
  StackName: "shop-dr",
  StackStatus: status,
  CreationTime: new Date("2026-03-01T09:00:30Z"),
  Tags: [{ Key: "drctl:execution", Value: execution }],
  ...extra,
});
