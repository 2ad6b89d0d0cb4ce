/**
 * The step roles' policies exactly as the CDK app synthesizes them: the real drctl app is built
 * in-process for the config the sandbox uploads (infra/app.ts buildDrctlApp, only the
 * orchestrator stack, bundling skipped as in `cdk synth` with `aws:cdk:bundling-stacks`), and
 * every IAM policy attached to a step's role is resolved with `stack.resolve` (CDK's policy
 * minimization included). The CloudFormation intrinsics left in them (Ref, Fn::GetAtt, Fn::Join,
 * pseudo parameters) are replaced with the sandbox's physical names; logical ids come from the
 * constructs (`stack.getLogicalId`), never from matching generated ids. Anything else fails loudly.
 *
 * The stack's cdk-nag Aspects are registered but never run (they run at synth only; they check,
 * they do not change policies).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { App, type CfnElement } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import type { IConstruct } from "constructs";
import type { AppConfig } from "../../../functions/shared/config.js";
import { buildDrctlApp } from "../../../infra/app.js";
import { partitionOf } from "../../../infra/permissions.js";
import type { OrchestratorStack } from "../../../infra/stacks/orchestrator-stack.js";
import { FUNCTIONS, type FunctionKey } from "../../../state-machines/names.js";
import type { PolicyDocument } from "./evaluator.js";
import { functionName, type StepRole } from "./principals.js";

/** Physical names of the deployment in the sandbox (scripts/sandbox/runner.ts deploymentNames). */
export interface PhysicalNames {
  account: string;
  region: string;
  bucket: string;
  restoreRoleArn: string;
  topicArn: string;
  stateMachineName: string;
}

const ROOT = new URL("../../../", import.meta.url).pathname;

/** The app as `cdk synth` builds it (cdk.json context), orchestrator only, no bundling. */
export function orchestratorStack(config: AppConfig): OrchestratorStack {
  const cdkJson = JSON.parse(readFileSync(`${ROOT}cdk.json`, "utf8")) as { context: Record<string, unknown> };
  const app = new App({
    context: { ...cdkJson.context, protection: false, forwarder: false, "aws:cdk:bundling-stacks": [] },
  });
  return buildDrctlApp(app, config).orchestrator;
}

const hash = (...parts: string[]) => createHash("sha256").update(parts.join("\0")).digest("hex");

/** A role name as CloudFormation generates one: <stack>-<logical id>-<suffix>, at most 64 characters. */
const generatedName = (stackName: string, logicalId: string) =>
  `${`${stackName}-${logicalId}`.slice(0, 51)}-${hash(stackName, logicalId).slice(0, 12).toUpperCase()}`;

export type Value = Record<string, string>;

/** What Ref and Fn::GetAtt of each construct the step policies may name resolve to. */
export function physicalValues(stack: OrchestratorStack, names: PhysicalNames): Map<string, Value> {
  const p = partitionOf(names.region);
  const arn = (service: string, resource: string) =>
    `arn:${p}:${service}:${names.region}:${names.account}:${resource}`;
  const out = new Map<string, Value>();
  const put = (construct: IConstruct | undefined, value: Value) => {
    const child = construct?.node.defaultChild as CfnElement | undefined;
    if (child) out.set(stack.getLogicalId(child), value);
  };
  put(stack.artifacts, { Ref: names.bucket, Arn: `arn:${p}:s3:::${names.bucket}` });
  const topicName = names.topicArn.split(":").pop() ?? "";
  put(stack.topic, { Ref: names.topicArn, TopicArn: names.topicArn, TopicName: topicName });
  const keyId = hash("kms", names.topicArn).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*$/, "$1-$2-$3-$4-$5");
  put(stack.topic.masterKey, { Ref: keyId, Arn: arn("kms", `key/${keyId}`), KeyId: keyId });
  put(stack.restoreRole, { Ref: names.restoreRoleArn.split("/").pop() ?? "", Arn: names.restoreRoleArn });
  const machineArn = arn("states", `stateMachine:${names.stateMachineName}`);
  put(stack.stateMachine, { Ref: machineArn, Arn: machineArn, Name: names.stateMachineName });
  for (const fn of FUNCTIONS) {
    const step = stack.steps[fn];
    const role = roleOf(stack, fn);
    put(step.role, { Ref: role.roleName, Arn: role.roleArn });
    const name = functionName(fn);
    put(step.function, { Ref: name, Arn: arn("lambda", `function:${name}`) });
    const group = `/aws/lambda/${name}`;
    put(step.logGroup, { Ref: group, Arn: arn("logs", `log-group:${group}:*`) });
  }
  return out;
}

/** The pseudo parameters of the stack as deployed in the sandbox. */
export const pseudoParameters = (stack: OrchestratorStack, names: PhysicalNames): Record<string, string> => ({
  "AWS::Partition": partitionOf(names.region),
  "AWS::Region": names.region,
  "AWS::AccountId": names.account,
  "AWS::URLSuffix": "amazonaws.com",
  "AWS::StackName": stack.stackName,
});

/** The sandbox's name and ARN of a step's role. */
export function roleOf(stack: OrchestratorStack, fn: FunctionKey): { roleName: string; roleArn: string } {
  const logicalId = stack.getLogicalId(stack.steps[fn].role.node.defaultChild as CfnElement);
  const roleName = generatedName(stack.stackName, logicalId);
  return { roleName, roleArn: `arn:${partitionOf(stack.region)}:iam::${stack.account}:role/${roleName}` };
}

/** Replaces the intrinsics of a resolved template fragment with physical values. */
export function resolveIntrinsics(
  value: unknown,
  physical: ReadonlyMap<string, Value>,
  pseudo: Record<string, string>,
  where: string,
): unknown {
  const again = (v: unknown) => resolveIntrinsics(v, physical, pseudo, where);
  if (Array.isArray(value)) return value.map(again);
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value as Record<string, unknown>);
  const [only] = entries;
  if (entries.length === 1 && only && (only[0] === "Ref" || only[0].startsWith("Fn::"))) {
    const [fn, arg] = only;
    const fail = (): never => {
      throw new Error(`${where}: the sandbox cannot resolve ${JSON.stringify(value)}`);
    };
    if (fn === "Ref") {
      const id = String(arg);
      return pseudo[id] ?? physical.get(id)?.Ref ?? fail();
    }
    if (fn === "Fn::GetAtt") {
      const [id, att] = (Array.isArray(arg) ? arg : String(arg).split(".")) as [string, string];
      return physical.get(id)?.[att] ?? fail();
    }
    if (fn === "Fn::Join") {
      const [sep, parts] = arg as [string, unknown[]];
      return (again(parts) as unknown[]).map(String).join(sep);
    }
    if (fn === "Fn::Select") {
      const [index, items] = arg as [number, unknown];
      const list = again(items) as unknown[];
      return list[Number(index)] ?? fail();
    }
    if (fn === "Fn::Split") {
      const [sep, text] = arg as [string, unknown];
      return String(again(text)).split(sep);
    }
    return fail();
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, again(v)]));
}

/**
 * Every step role's policies, resolved: inline policies (CfnPolicy: the DefaultPolicy and any
 * other) and customer managed policies (CfnManagedPolicy) attached to the role. A role with an
 * AWS managed policy fails loudly: its content is not in the app.
 */
export function stepRolesFrom(stack: OrchestratorStack, names: PhysicalNames): Record<FunctionKey, StepRole> {
  const physical = physicalValues(stack, names);
  const pseudo = pseudoParameters(stack, names);
  const attached = new Map<string, PolicyDocument[]>();
  for (const c of stack.node.findAll()) {
    if (!(c instanceof iam.CfnPolicy) && !(c instanceof iam.CfnManagedPolicy)) continue;
    const roles = (stack.resolve(c.roles) ?? []) as unknown[];
    const where = `${c.node.path} (${stack.getLogicalId(c)})`;
    const doc = resolveIntrinsics(stack.resolve(c.policyDocument), physical, pseudo, where) as PolicyDocument;
    for (const r of roles) {
      const ref = (r as { Ref?: string }).Ref;
      if (ref === undefined) continue;
      attached.set(ref, [...(attached.get(ref) ?? []), doc]);
    }
  }
  const out = {} as Record<FunctionKey, StepRole>;
  for (const fn of FUNCTIONS) {
    const role = stack.steps[fn].role;
    const managed = stack.resolve((role.node.defaultChild as iam.CfnRole).managedPolicyArns) as unknown;
    if (Array.isArray(managed) && managed.length > 0) {
      throw new Error(`${fn}: role has managed policies the sandbox cannot read: ${JSON.stringify(managed)}`);
    }
    const logicalId = stack.getLogicalId(role.node.defaultChild as CfnElement);
    out[fn] = { ...roleOf(stack, fn), policies: attached.get(logicalId) ?? [] };
  }
  return out;
}

/** The step roles for an app config in the sandbox: build the app, resolve the policies. */
export function synthesizedStepRoles(config: AppConfig, names: PhysicalNames): Record<FunctionKey, StepRole> {
  return stepRolesFrom(orchestratorStack(config), names);
}
