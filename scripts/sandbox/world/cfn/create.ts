/**
 * CreateStack's checks and the stack it creates: the template (TemplateBody or TemplateURL) is
 * parsed, the parameters resolved against its declarations, the capabilities its IAM resources
 * need checked ("Requires capabilities : [CAPABILITY_IAM]", InsufficientCapabilitiesException),
 * the resources and outputs resolved, and the creation scheduled over app.deploySeconds. A stack
 * fault of the scenario fails one of the template's resources by its logical id; a VPC, subnet or
 * security group parameter naming nothing in the region rolls the stack back at once.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html
 */
import type { Parameter } from "@aws-sdk/client-cloudformation";
import { SandboxError } from "../../types.js";
import type { CloudFormation } from "../handlers.js";
import type { Region, Stack, WorldCore } from "../model.js";
import { fromTagList } from "../services/tags.js";
import type { OpInput } from "../typed.js";
import { buildStack } from "./build.js";
import { missingResourceValue, resolveParameters } from "./parameters.js";
import { parseTemplate } from "./parse.js";
import { templateSource } from "./source.js";
import { requiredCapabilities } from "./summary.js";
import { failingResource, schedule } from "./timeline.js";

export const partitionOf = (region: string): string =>
  region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";

/** Parameters as the request gives them (ParameterKey → ParameterValue). */
export function givenParameters(input: { Parameters?: Parameter[] | undefined }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of input.Parameters ?? []) {
    if (p.ParameterKey) out[p.ParameterKey] = p.ParameterValue ?? "";
  }
  return out;
}

function checkCapabilities(required: string[], given: string[]): void {
  const missing = required.filter(
    (c) => !given.includes(c) && !(c === "CAPABILITY_IAM" && given.includes("CAPABILITY_NAMED_IAM")),
  );
  if (missing.length > 0) {
    throw new SandboxError(
      "InsufficientCapabilitiesException",
      `Requires capabilities : [${missing.join(", ")}]`,
      400,
    );
  }
}

export interface CreateRequest {
  world: WorldCore;
  region: Region;
  input: OpInput<CloudFormation, "CreateStack">;
  name: string;
  now: number;
  token?: string;
}

/** The stack CreateStack creates (not yet added to the region); throws as CreateStack does. */
export function createStack(r: CreateRequest): Stack {
  const { world, region, input, name, now } = r;
  const source = templateSource(world, input);
  const template = parseTemplate(source.body);
  const params = resolveParameters(template, givenParameters(input), region);
  const capabilities = input.Capabilities ?? [];
  checkCapabilities(requiredCapabilities(template.Resources).capabilities, capabilities);
  const id = `arn:${partitionOf(region.name)}:cloudformation:${region.name}:${world.account}:stack/${name}/${world.nextUuid("stack")}`;
  const built = buildStack(template, params, {
    stackName: name,
    stackId: id,
    region: region.name,
    account: world.account,
    partition: partitionOf(region.name),
    azs: region.azs,
  });
  const deployMs = world.scenario.app.deploySeconds * 1000;
  const resources = schedule(built.resources, now, deployMs);
  const stack: Stack = {
    id,
    name,
    templateBody: source.body,
    ...(template.Description !== undefined ? { description: template.Description } : {}),
    parameters: Object.entries(template.Parameters).map(([key, p]) => ({
      key,
      value: params.given[key] ?? "",
      noEcho: p.NoEcho === true,
      ...(params.resolved[key] !== undefined ? { resolved: params.resolved[key] } : {}),
    })),
    tags: fromTagList(input.Tags),
    capabilities,
    createdAt: now,
    resources,
    outputs: built.outputs,
    instanceIds: [],
    materialized: false,
    ...(r.token !== undefined ? { token: r.token } : {}),
    ...(input.RoleARN ? { roleArn: input.RoleARN } : {}),
    ...(source.url !== undefined ? { templateUrl: source.url } : {}),
  };

  const badParameter = missingResourceValue(template, params, region);
  const base = world.scenario.app.stackName;
  const isApp = name === base || name.startsWith(`${base}-`);
  const fault = !badParameter && isApp ? world.faults.takeStack(base) : undefined;
  if (badParameter) {
    stack.failAt = now + 1000;
    stack.failStatus = "ROLLBACK_COMPLETE";
    stack.failReason = badParameter;
  } else if (fault) {
    const failing = failingResource(resources, fault.resource);
    if (!failing) {
      throw new Error(
        `the scenario's stack fault names resource ${fault.resource}, which the template does not declare`,
      );
    }
    stack.failAt = failing.endAt;
    stack.failStatus = fault.status;
    stack.failedResource = failing.logicalId;
    stack.failReason =
      fault.reason ??
      `Resource handler returned message: "The requested configuration is currently not supported." (RequestToken: ${world.nextUuid("token")}, HandlerErrorCode: GeneralServiceException)`;
  } else {
    stack.completeAt = now + deployMs;
  }
  return stack;
}
