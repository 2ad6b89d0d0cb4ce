import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  type DescribeStackEventsCommandOutput,
  DescribeStacksCommand,
  GetTemplateSummaryCommand,
  paginateDescribeStackEvents,
  type StackEvent,
} from "@aws-sdk/client-cloudformation";
import { AwsCallFailed } from "../errors.js";
import { clientConfig, memoClient } from "./clients.js";
import { type AwsErrorInfo, callAws } from "./errors.js";
import { collectPagesUnlessMissing, fromTagList, toTagList } from "./util.js";

export interface Stack {
  stackId: string;
  name: string;
  status: string;
  statusReason?: string;
  outputs: Record<string, string>;
  tags: Record<string, string>;
  createdAt: Date;
}

export interface CreateStackInput {
  name: string;
  templateUrl: string;
  parameters: Record<string, string>;
  tags: Record<string, string>;
  /** Makes a retried CreateStack idempotent. */
  clientRequestToken: string;
  /** Service role (RoleARN) CloudFormation uses for this stack's operations, DeleteStack included. */
  roleArn: string;
}

/** What GetTemplateSummary tells of a template. */
export interface TemplateSummary {
  /** Declared parameters: name, whether it has a Default, NoEcho. */
  parameters: { key: string; hasDefault: boolean; noEcho: boolean }[];
  /** Capabilities the template requires (CAPABILITY_IAM, …). */
  capabilities: string[];
  resourceTypes: string[];
}

/** The AWS CloudFormation operations drctl uses. Pagination happens inside. */
export interface CloudFormationApi {
  /**
   * CreateStack with CAPABILITY_IAM/NAMED_IAM and OnFailure=ROLLBACK; returns the stack id.
   * When a stack of that name exists already, returns its id (the caller checks it is ours).
   */
  createStack(input: CreateStackInput): Promise<string>;
  /** DescribeStacks for one name or id; undefined when it does not exist. */
  describeStack(nameOrId: string): Promise<Stack | undefined>;
  /** DescribeStackEvents: the reason of the first resource that failed, if any. */
  firstFailureReason(nameOrId: string): Promise<string | undefined>;
  /** GetTemplateSummary of the template at an S3 URL (read with the caller's credentials). */
  getTemplateSummary(templateUrl: string): Promise<TemplateSummary>;
  /** DeleteStack (idempotent). */
  deleteStack(nameOrId: string, clientRequestToken?: string): Promise<void>;
}

const SERVICE = "cloudformation";
const CAPABILITIES = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"] as const;

/** CloudFormation reports a missing stack as ValidationError "Stack with id X does not exist". */
const stackMissing = (err: AwsErrorInfo) =>
  (err.code === "ValidationError" || err.code === "ValidationException") &&
  /does not exist/i.test(err.message);

export function cloudFormationApi(client: CloudFormationClient): CloudFormationApi {
  const describeStack = (nameOrId: string) =>
    callAws<Stack | undefined>(
      SERVICE,
      "DescribeStacks",
      nameOrId,
      async () => {
        const out = await client.send(new DescribeStacksCommand({ StackName: nameOrId }));
        const s = out.Stacks?.[0];
        if (!s) return undefined;
        const stack: Stack = {
          stackId: s.StackId ?? "",
          name: s.StackName ?? nameOrId,
          status: s.StackStatus ?? "",
          outputs: Object.fromEntries(
            (s.Outputs ?? []).flatMap((o) => (o.OutputKey ? [[o.OutputKey, o.OutputValue ?? ""]] : [])),
          ),
          tags: fromTagList(s.Tags),
          createdAt: s.CreationTime ?? new Date(0),
        };
        if (s.StackStatusReason) stack.statusReason = s.StackStatusReason;
        return stack;
      },
      (err) => (stackMissing(err) ? { value: undefined } : undefined),
    );

  return {
    createStack: async (input) => {
      const created = await callAws<string | undefined>(
        SERVICE,
        "CreateStack",
        input.name,
        async () => {
          const out = await client.send(
            new CreateStackCommand({
              StackName: input.name,
              TemplateURL: input.templateUrl,
              Parameters: Object.entries(input.parameters).map(([ParameterKey, ParameterValue]) => ({
                ParameterKey,
                ParameterValue,
              })),
              Tags: toTagList(input.tags),
              Capabilities: [...CAPABILITIES],
              OnFailure: "ROLLBACK",
              ClientRequestToken: input.clientRequestToken,
              RoleARN: input.roleArn,
            }),
          );
          return out.StackId ?? "";
        },
        (err) => (err.code === "AlreadyExistsException" ? { value: undefined } : undefined),
      );
      if (created !== undefined) return created;
      const existing = await describeStack(input.name);
      if (!existing) {
        throw new AwsCallFailed(
          `cloudformation:CreateStack failed for ${input.name}: AlreadyExistsException, but DescribeStacks finds no such stack`,
        );
      }
      return existing.stackId;
    },

    describeStack,

    getTemplateSummary: (templateUrl) =>
      callAws<TemplateSummary>(SERVICE, "GetTemplateSummary", templateUrl, async () => {
        const out = await client.send(new GetTemplateSummaryCommand({ TemplateURL: templateUrl }));
        return {
          parameters: (out.Parameters ?? []).flatMap((p) =>
            p.ParameterKey
              ? [{ key: p.ParameterKey, hasDefault: p.DefaultValue !== undefined, noEcho: p.NoEcho === true }]
              : [],
          ),
          capabilities: [...(out.Capabilities ?? [])],
          resourceTypes: [...(out.ResourceTypes ?? [])],
        };
      }),

    firstFailureReason: async (nameOrId) => {
      const events = await collectPagesUnlessMissing<DescribeStackEventsCommandOutput, StackEvent>(
        paginateDescribeStackEvents({ client, stopOnSameToken: true }, { StackName: nameOrId }),
        [SERVICE, "DescribeStackEvents", nameOrId],
        (out) => out.StackEvents,
        stackMissing,
      );
      if (!events) return undefined;
      // The API lists newest first; the first failure is the cause, later ones are mostly "cancelled".
      const oldestFirst = events
        .map((e, i) => ({ e, i }))
        .sort((a, b) => time(a.e) - time(b.e) || b.i - a.i)
        .map(({ e }) => e);
      const failed = oldestFirst.find(
        (e) =>
          e.ResourceStatus?.endsWith("_FAILED") &&
          e.ResourceStatusReason !== undefined &&
          e.ResourceStatusReason !== "",
      );
      if (!failed) return undefined;
      return failed.LogicalResourceId
        ? `${failed.LogicalResourceId}: ${failed.ResourceStatusReason}`
        : failed.ResourceStatusReason;
    },

    deleteStack: async (nameOrId, clientRequestToken) => {
      await callAws<void>(
        SERVICE,
        "DeleteStack",
        nameOrId,
        async () => {
          await client.send(
            new DeleteStackCommand({
              StackName: nameOrId,
              ...(clientRequestToken !== undefined && { ClientRequestToken: clientRequestToken }),
            }),
          );
        },
        (err) => (stackMissing(err) ? { value: undefined } : undefined),
      );
    },
  };
}

function time(e: StackEvent): number {
  return e.Timestamp ? new Date(e.Timestamp).getTime() : 0;
}

/** The wrapper for this container and region (one client per service and region). */
export const cloudFormationFor = (region: string): CloudFormationApi =>
  memoClient(`cloudformation:${region}`, () =>
    cloudFormationApi(new CloudFormationClient(clientConfig("CLOUDFORMATION", region))),
  );
