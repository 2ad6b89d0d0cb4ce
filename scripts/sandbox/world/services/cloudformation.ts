/**
 * AWS CloudFormation: stacks from their templates (scripts/sandbox/world/cfn/). CreateStack reads
 * the template (TemplateBody or TemplateURL in the sandbox's S3), checks the parameters and
 * capabilities, and creates the template's resources over app.deploySeconds; DescribeStacks lists
 * the template's outputs once CREATE_COMPLETE; DescribeStackEvents names the template's logical ids
 * and types; GetTemplateSummary and ValidateTemplate describe a template.
 */
import type { Stack as CfnStack } from "@aws-sdk/client-cloudformation";
import { SandboxError } from "../../types.js";
import { createStack } from "../cfn/create.js";
import { settleStack } from "../cfn/materialize.js";
import { parseTemplate, validation } from "../cfn/parse.js";
import { templateSource } from "../cfn/source.js";
import { templateSummary, validateTemplateOutput } from "../cfn/summary.js";
import { stackEvents, stackStatus, statusReason } from "../cfn/timeline.js";
import { invalid, optString, requireString } from "../errors.js";
import { type CloudFormation, serviceHandlers } from "../handlers.js";
import { type Region, type Stack, TIMINGS } from "../model.js";
import { hashHex } from "../naming.js";
import { paginate } from "../paging.js";
import { terminate } from "./ec2.js";
import { toTagList } from "./tags.js";

export { stackStatus } from "../cfn/timeline.js";

function findStack(region: Region, nameOrId: string, now: number): Stack | undefined {
  const byId = region.stacks.find((s) => s.id === nameOrId);
  if (byId) return byId;
  return [...region.stacks]
    .reverse()
    .find((s) => s.name === nameOrId && stackStatus(s, now) !== "DELETE_COMPLETE");
}

function stackOut(s: Stack, now: number): CfnStack {
  const status = stackStatus(s, now);
  const reason = statusReason(s, status);
  return {
    StackId: s.id,
    StackName: s.name,
    ...(s.description !== undefined ? { Description: s.description } : {}),
    Parameters: s.parameters.map((p) => ({
      ParameterKey: p.key,
      ParameterValue: p.noEcho ? "****" : p.value,
      ...(p.resolved !== undefined ? { ResolvedValue: p.noEcho ? "****" : p.resolved } : {}),
    })),
    CreationTime: new Date(s.createdAt),
    ...(s.deletedAt !== undefined && status === "DELETE_COMPLETE"
      ? { DeletionTime: new Date(s.deletedAt) }
      : {}),
    StackStatus: status,
    ...(reason ? { StackStatusReason: reason } : {}),
    DisableRollback: s.failStatus === "CREATE_FAILED",
    NotificationARNs: [],
    ...(s.capabilities.length > 0 ? { Capabilities: s.capabilities } : {}),
    ...(status === "CREATE_COMPLETE" && s.outputs.length > 0
      ? { Outputs: s.outputs.map((o) => ({ ...o })) }
      : {}),
    Tags: toTagList(s.tags),
    ...(s.roleArn !== undefined ? { RoleARN: s.roleArn } : {}),
    EnableTerminationProtection: false,
    DriftInformation: { StackDriftStatus: "NOT_CHECKED" },
  };
}

const notExist = (name: string) => validation(`Stack with id ${name} does not exist`);

export const cloudFormationHandlers = serviceHandlers<CloudFormation>()({
  CreateStack({ world, region, input, now }) {
    const name = requireString("cloudformation", input, "StackName");
    if (!/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(name)) {
      throw invalid(
        "cloudformation",
        `1 validation error detected: Value '${name}' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`,
      );
    }
    const token = optString(input, "ClientRequestToken");
    const existing = findStack(region, name, now);
    if (existing) {
      if (token !== undefined && existing.token === token) return { StackId: existing.id };
      throw new SandboxError("AlreadyExistsException", `Stack [${name}] already exists`, 400);
    }
    const stack = createStack({ world, region, input, name, now, ...(token !== undefined ? { token } : {}) });
    region.stacks.push(stack);
    if (stack.completeAt !== undefined) {
      world.schedule(stack.completeAt, (at) => settleStack(world, region, stack, at));
    }
    return { StackId: stack.id };
  },

  DescribeStacks({ region, input, now }) {
    const name = optString(input, "StackName");
    if (name !== undefined) {
      const s = findStack(region, name, now);
      if (!s) throw notExist(name);
      return { Stacks: [stackOut(s, now)] };
    }
    const live = region.stacks.filter((s) => stackStatus(s, now) !== "DELETE_COMPLETE");
    const page = paginate(
      live,
      { max: undefined, token: optString(input, "NextToken"), defaultMax: 100, scope: "cfn:stacks" },
      (t) => invalid("cloudformation", `Invalid NextToken ${t}`),
    );
    return {
      Stacks: page.items.map((s) => stackOut(s, now)),
      ...(page.next ? { NextToken: page.next } : {}),
    };
  },

  DescribeStackEvents({ region, input, now }) {
    const name = requireString("cloudformation", input, "StackName");
    const s = findStack(region, name, now);
    if (!s) throw notExist(name);
    const page = paginate(
      stackEvents(s, now),
      { max: undefined, token: optString(input, "NextToken"), defaultMax: 100, scope: `cfn:events:${s.id}` },
      (t) => invalid("cloudformation", `Invalid NextToken ${t}`),
    );
    return {
      StackEvents: page.items.map((e, i) => ({
        StackId: s.id,
        EventId: `${e.logicalId}-${e.status}-${hashHex(s.id, String(e.at), String(i)).slice(0, 8)}`,
        StackName: s.name,
        LogicalResourceId: e.logicalId,
        PhysicalResourceId: e.physicalId,
        ResourceType: e.type,
        Timestamp: new Date(e.at),
        ResourceStatus: e.status,
        ...(e.reason !== undefined ? { ResourceStatusReason: e.reason } : {}),
      })),
      ...(page.next ? { NextToken: page.next } : {}),
    };
  },

  GetTemplateSummary({ world, region, input, now }) {
    const stackName = optString(input, "StackName");
    if (stackName !== undefined) {
      if (input.TemplateBody !== undefined || input.TemplateURL !== undefined) {
        throw validation("Specify only one of StackName, StackSetName, TemplateBody or TemplateURL.");
      }
      const s = findStack(region, stackName, now);
      if (!s) throw notExist(stackName);
      return templateSummary(parseTemplate(s.templateBody));
    }
    return templateSummary(parseTemplate(templateSource(world, input).body));
  },

  ValidateTemplate({ world, input }) {
    return validateTemplateOutput(parseTemplate(templateSource(world, input).body));
  },

  DeleteStack({ world, region, input, now }) {
    const name = requireString("cloudformation", input, "StackName");
    const s = findStack(region, name, now);
    if (!s) return {};
    if (stackStatus(s, now).startsWith("DELETE_")) return {};
    s.deletingAt = now;
    s.deletedAt = now + TIMINGS.stackDeleteSeconds * 1000;
    for (const id of s.instanceIds) {
      const inst = region.instances.get(id);
      if (inst) terminate(world, region, inst, now);
    }
    return {};
  },

  ListStacks({ region, input, now }) {
    const filter = input.StackStatusFilter ?? [];
    const list = region.stacks.filter((s) => filter.length === 0 || filter.includes(stackStatus(s, now)));
    return {
      StackSummaries: list.map((s) => ({
        StackId: s.id,
        StackName: s.name,
        ...(s.description !== undefined ? { TemplateDescription: s.description } : {}),
        CreationTime: new Date(s.createdAt),
        StackStatus: stackStatus(s, now),
      })),
    };
  },
});
