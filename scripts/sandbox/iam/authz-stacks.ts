/**
 * CloudFormation, Step Functions and CloudWatch operations → IAM requests (Service Authorization
 * Reference of each service).
 *
 * - CloudFormation: a stack named (not by ARN) is `stack/<name>/*`; RoleARN is passed to
 *   cloudformation.amazonaws.com (a role that does not exist: ValidationError "Role <arn> is
 *   invalid or cannot be assumed"); TemplateURL is read from S3 with the caller's permissions
 *   (refused as ValidationError "TemplateURL must reference a valid S3 object to which you have
 *   access.").
 * - Step Functions: CreateStateMachine passes its roleArn to states.amazonaws.com.
 * - CloudWatch: DescribeAlarms of composite alarms needs the permission on `*` (DescribeAlarms API
 *   reference: "you must be signed on with the cloudwatch:DescribeAlarms permission that is scoped
 *   to *").
 */
import { SandboxError } from "../types.js";
import {
  ANY,
  type Authorization,
  arnOf,
  just,
  type MapCtx,
  type Mapper,
  need,
  on,
  passRole,
  type RequiredAuth,
  type ResourceRef,
  requestTagContext,
  str,
  strs,
  tagsOf,
} from "./requests.js";

/** A stack by ARN, or by name (`stack/<name>/*`, the id being unknown to the caller). */
const stack = (ctx: MapCtx, nameOrArn: string | undefined): ResourceRef =>
  nameOrArn?.startsWith("arn:")
    ? on(nameOrArn, "stack")
    : on(arnOf(ctx, "cloudformation", `stack/${nameOrArn ?? ""}/*`), "stack");

const alarm = (ctx: MapCtx, name: string | undefined) => arnOf(ctx, "cloudwatch", `alarm:${name ?? ""}`);

const validation = (message: string) => new SandboxError("ValidationError", message, 400);

/** The S3 object a CloudFormation TemplateURL names, when it is an S3 URL. */
function templateObject(url: string): { bucket: string; key: string } | undefined {
  try {
    const u = new URL(url);
    const path = decodeURIComponent(u.pathname.replace(/^\//, ""));
    const virtual = /^(.+)\.s3[.-]/.exec(u.hostname);
    if (virtual?.[1]) return { bucket: virtual[1], key: path };
    const slash = path.indexOf("/");
    return slash > 0 ? { bucket: path.slice(0, slash), key: path.slice(slash + 1) } : undefined;
  } catch {
    return undefined;
  }
}

function withRole(ctx: MapCtx, auth: Authorization): Authorization {
  const role = str(ctx.input, "RoleARN");
  if (!role) return auth;
  auth.required.push(passRole(role, "cloudformation.amazonaws.com"));
  auth.check = () => {
    // Terraform's AWS provider retries CreateStack on exactly this message (IAM eventual consistency).
    if (!ctx.roles.has(role)) throw validation(`Role ${role} is invalid or cannot be assumed`);
  };
  return auth;
}

/** The S3 read of a TemplateURL, made with the caller's permissions. */
function templateRead(ctx: MapCtx): RequiredAuth[] {
  const url = str(ctx.input, "TemplateURL");
  const template = url ? templateObject(url) : undefined;
  if (!template) return [];
  return [
    {
      action: "s3:GetObject",
      resources: [on(`arn:${ctx.partition}:s3:::${template.bucket}/${template.key}`, "object")],
      deniedAs: () => validation("TemplateURL must reference a valid S3 object to which you have access."),
    },
  ];
}

const templateUrl = (ctx: MapCtx): Record<string, string> => {
  const url = str(ctx.input, "TemplateURL");
  return url ? { "cloudformation:TemplateUrl": url } : {};
};

export const CLOUDFORMATION: Record<string, Mapper> = {
  CreateStack: (ctx) => {
    const role = str(ctx.input, "RoleARN");
    const context: Record<string, string | string[]> = {
      ...requestTagContext(tagsOf(ctx.input.Tags)),
      ...templateUrl(ctx),
      ...(role ? { "cloudformation:RoleArn": role } : {}),
    };
    const required = [need("cloudformation:CreateStack", [stack(ctx, str(ctx.input, "StackName"))], context)];
    return withRole(ctx, { required: [...required, ...templateRead(ctx)] });
  },
  GetTemplateSummary: (ctx) => {
    const name = str(ctx.input, "StackName");
    return just(
      need("cloudformation:GetTemplateSummary", [name ? stack(ctx, name) : ANY], templateUrl(ctx)),
      ...templateRead(ctx),
    );
  },
  ValidateTemplate: (ctx) =>
    just(need("cloudformation:ValidateTemplate", [ANY], templateUrl(ctx)), ...templateRead(ctx)),
  DescribeStacks: (ctx) => {
    const name = str(ctx.input, "StackName");
    return just(need("cloudformation:DescribeStacks", [name ? stack(ctx, name) : ANY]));
  },
  DescribeStackEvents: (ctx) =>
    just(need("cloudformation:DescribeStackEvents", [stack(ctx, str(ctx.input, "StackName"))])),
  DeleteStack: (ctx) =>
    withRole(ctx, just(need("cloudformation:DeleteStack", [stack(ctx, str(ctx.input, "StackName"))]))),
  ListStacks: () => just(need("cloudformation:ListStacks", [ANY])),
};

const machine = (arn: string | undefined): ResourceRef => on(arn ?? "", "statemachine");
const execution = (arn: string | undefined): ResourceRef => on(arn ?? "", "execution");
const field = (ctx: MapCtx, key: string) => str(ctx.input, key);

export const SFN: Record<string, Mapper> = {
  CreateStateMachine: (ctx) => {
    const arn = arnOf(ctx, "states", `stateMachine:${field(ctx, "name") ?? ""}`);
    const required = [
      need("states:CreateStateMachine", [on(arn, "statemachine")], requestTagContext(tagsOf(ctx.input.tags))),
    ];
    const role = field(ctx, "roleArn");
    if (role) required.push(passRole(role, "states.amazonaws.com"));
    return { required };
  },
  DescribeStateMachine: (ctx) =>
    just(need("states:DescribeStateMachine", [machine(field(ctx, "stateMachineArn"))])),
  ListStateMachines: () => just(need("states:ListStateMachines", [ANY])),
  DeleteStateMachine: (ctx) =>
    just(need("states:DeleteStateMachine", [machine(field(ctx, "stateMachineArn"))])),
  StartExecution: (ctx) => just(need("states:StartExecution", [machine(field(ctx, "stateMachineArn"))])),
  ListExecutions: (ctx) => just(need("states:ListExecutions", [machine(field(ctx, "stateMachineArn"))])),
  DescribeExecution: (ctx) => just(need("states:DescribeExecution", [execution(field(ctx, "executionArn"))])),
  DescribeStateMachineForExecution: (ctx) =>
    just(need("states:DescribeStateMachineForExecution", [execution(field(ctx, "executionArn"))])),
  GetExecutionHistory: (ctx) =>
    just(need("states:GetExecutionHistory", [execution(field(ctx, "executionArn"))])),
  StopExecution: (ctx) => just(need("states:StopExecution", [execution(field(ctx, "executionArn"))])),
  // No resource types in the Service Authorization Reference: only "*" grants them.
  SendTaskSuccess: () => just(need("states:SendTaskSuccess", [ANY])),
  SendTaskFailure: () => just(need("states:SendTaskFailure", [ANY])),
  SendTaskHeartbeat: () => just(need("states:SendTaskHeartbeat", [ANY])),
  RedriveExecution: (ctx) => just(need("states:RedriveExecution", [execution(field(ctx, "executionArn"))])),
};

export const CLOUDWATCH: Record<string, Mapper> = {
  DescribeAlarms: (ctx) => {
    const composite = strs(ctx.input, "AlarmTypes").includes("CompositeAlarm");
    const names = strs(ctx.input, "AlarmNames");
    const resources = composite || names.length === 0 ? [ANY] : names.map((n) => on(alarm(ctx, n), "alarm"));
    return just(need("cloudwatch:DescribeAlarms", resources));
  },
  // Tags on creation also need cloudwatch:TagResource (PutMetricAlarm API reference, Tags).
  PutMetricAlarm: (ctx) => {
    const target = [on(alarm(ctx, str(ctx.input, "AlarmName")), "alarm")];
    const tags = requestTagContext(tagsOf(ctx.input.Tags));
    const tagging = Object.keys(tags).length > 0 ? [need("cloudwatch:TagResource", target, tags)] : [];
    return just(need("cloudwatch:PutMetricAlarm", target, tags), ...tagging);
  },
  SetAlarmState: (ctx) =>
    just(need("cloudwatch:SetAlarmState", [on(alarm(ctx, str(ctx.input, "AlarmName")), "alarm")])),
};
