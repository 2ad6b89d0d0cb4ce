/** Helpers of the CloudFormation world tests: a CreateStack input for the DR app template, outputs as a record. */
import { NETWORK_PARAMETERS } from "./world-helpers.js";

export type Param = { ParameterKey: string; ParameterValue: string };
export const stackInput = (
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
export const outputsOf = (stacks: unknown) =>
  Object.fromEntries(
    ((stacks as { Outputs?: { OutputKey: string; OutputValue: string }[] }[])[0]?.Outputs ?? []).map((o) => [
      o.OutputKey,
      o.OutputValue,
    ]),
  );
