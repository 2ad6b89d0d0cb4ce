/**
 * GetTemplateSummary and ValidateTemplate: what a template declares, without creating anything,
 * and the capabilities its IAM resources require (CAPABILITY_NAMED_IAM when they carry custom names).
 * Output shapes are the SDK's (GetTemplateSummaryOutput, ValidateTemplateOutput).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_GetTemplateSummary.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ValidateTemplate.html
 */
import type {
  Capability,
  GetTemplateSummaryOutput,
  ParameterDeclaration,
  TemplateParameter,
  ValidateTemplateOutput,
} from "@aws-sdk/client-cloudformation";
import type { Template } from "./parse.js";

const NAMED_IAM: Record<string, string> = {
  "AWS::IAM::Role": "RoleName",
  "AWS::IAM::User": "UserName",
  "AWS::IAM::Group": "GroupName",
  "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
  "AWS::IAM::InstanceProfile": "InstanceProfileName",
};

/** CAPABILITY_IAM / CAPABILITY_NAMED_IAM the resources require, and CloudFormation's reason. */
export function requiredCapabilities(
  resources: Record<string, { Type: string; Properties: Record<string, unknown> }>,
): {
  capabilities: string[];
  reason?: string;
} {
  const iam = Object.values(resources).filter((r) => r.Type.startsWith("AWS::IAM::"));
  if (iam.length === 0) return { capabilities: [] };
  const named = iam.some((r) => {
    const prop = NAMED_IAM[r.Type];
    return prop !== undefined && r.Properties[prop] !== undefined;
  });
  return {
    capabilities: [named ? "CAPABILITY_NAMED_IAM" : "CAPABILITY_IAM"],
    reason: `The following resource(s) require capabilities: [${[...new Set(iam.map((r) => r.Type))].join(", ")}]`,
  };
}

function capabilities(t: Template): Pick<GetTemplateSummaryOutput, "Capabilities" | "CapabilitiesReason"> {
  const { capabilities: caps, reason } = requiredCapabilities(t.Resources);
  if (caps.length === 0) return {};
  return { Capabilities: caps as Capability[], ...(reason ? { CapabilitiesReason: reason } : {}) };
}

export function templateSummary(t: Template): GetTemplateSummaryOutput {
  const Parameters: ParameterDeclaration[] = Object.entries(t.Parameters).map(([key, p]) => ({
    ParameterKey: key,
    ...(p.Default !== undefined ? { DefaultValue: p.Default } : {}),
    ParameterType: p.Type,
    NoEcho: p.NoEcho === true,
    ...(p.Description !== undefined ? { Description: p.Description } : {}),
    ParameterConstraints: p.AllowedValues ? { AllowedValues: [...p.AllowedValues] } : {},
  }));
  const types = Object.values(t.Resources).map((r) => r.Type);
  const byType = new Map<string, string[]>();
  for (const [id, r] of Object.entries(t.Resources)) byType.set(r.Type, [...(byType.get(r.Type) ?? []), id]);
  return {
    Parameters,
    ...(t.Description !== undefined ? { Description: t.Description } : {}),
    ...capabilities(t),
    ResourceTypes: [...new Set(types)],
    Version: "2010-09-09",
    ...(t.Metadata !== undefined ? { Metadata: JSON.stringify(t.Metadata) } : {}),
    DeclaredTransforms: [],
    ResourceIdentifierSummaries: [...byType].map(([ResourceType, LogicalResourceIds]) => ({
      ResourceType,
      LogicalResourceIds,
      ResourceIdentifiers: [],
    })),
  };
}

export function validateTemplateOutput(t: Template): ValidateTemplateOutput {
  const Parameters: TemplateParameter[] = Object.entries(t.Parameters).map(([key, p]) => ({
    ParameterKey: key,
    ...(p.Default !== undefined ? { DefaultValue: p.Default } : {}),
    NoEcho: p.NoEcho === true,
    ...(p.Description !== undefined ? { Description: p.Description } : {}),
  }));
  return {
    Parameters,
    ...(t.Description !== undefined ? { Description: t.Description } : {}),
    ...capabilities(t),
    DeclaredTransforms: [],
  };
}
