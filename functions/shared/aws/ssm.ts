import {
  CreateOpsItemCommand,
  DeleteParameterCommand,
  GetCommandInvocationCommand,
  GetParameterCommand,
  PutParameterCommand,
  paginateDescribeInstanceInformation,
  SendCommandCommand,
  SSMClient,
} from "@aws-sdk/client-ssm";
import { clientConfig, memoClient } from "./clients.js";
import { callAws, callAwsOptional } from "./errors.js";
import { chunks, collectPages, toTagList } from "./util.js";

export interface CommandInvocation {
  commandId: string;
  instanceId: string;
  /** Pending | InProgress | Delayed | Success | Cancelled | TimedOut | Failed | Cancelling */
  status: string;
  stdout?: string;
  stderr?: string;
}

export interface OpsItemInput {
  title: string;
  description: string;
  source: string;
  severity: "1" | "2" | "3" | "4";
  category: string;
  operationalData: Record<string, string>;
}

/** The AWS Systems Manager operations drctl uses. */
export interface SsmApi {
  /** GetParameter; undefined when ParameterNotFound. */
  getParameter(name: string): Promise<string | undefined>;
  /**
   * PutParameter (String). With overwrite=false an existing parameter is a conflict:
   * returns "exists" instead of throwing, so callers decide (locks, idempotent retries).
   */
  putParameter(
    name: string,
    value: string,
    opts: { overwrite: boolean; tags?: Record<string, string>; description?: string },
  ): Promise<"created" | "overwritten" | "exists">;
  /** DeleteParameter: true when it deleted one, false when there was none (ParameterNotFound). */
  deleteParameter(name: string): Promise<boolean>;
  /**
   * DescribeInstanceInformation for these instances: the ones that are managed instances, with
   * their PingStatus ("Online" takes commands). An instance not registered yet is absent.
   */
  managedInstances(instanceIds: string[]): Promise<Map<string, string>>;
  /**
   * SendCommand with AWS-RunShellScript to at most 50 instances; returns the command id, or
   * undefined when AWS refuses it with InvalidInstanceId (an instance is not a managed instance,
   * e.g. its SSM Agent has not registered yet).
   */
  sendShellCommand(input: {
    instanceIds: string[];
    commands: string[];
    comment: string;
  }): Promise<string | undefined>;
  /** GetCommandInvocation; undefined while the invocation does not exist yet. */
  getCommandInvocation(commandId: string, instanceId: string): Promise<CommandInvocation | undefined>;
  /** CreateOpsItem; returns the OpsItem id (the open one when OpsCenter deduplicates the request). */
  createOpsItem(input: OpsItemInput): Promise<string>;
}

const SERVICE = "ssm";
/** SendCommand's Comment is limited to 100 characters, an OpsItem's Description to 2048. */
const MAX_COMMENT = 100;
const MAX_OPS_DESCRIPTION = 2048;
/** SendCommand names at most 50 instances; a DescribeInstanceInformation filter at most 100 values. */
export const MAX_COMMAND_INSTANCES = 50;
const MAX_FILTER_VALUES = 100;

export function ssmApi(client: SSMClient): SsmApi {
  /** One PutParameter call; returns the new version. AWS rejects Tags with Overwrite=true. */
  const put = async (
    name: string,
    value: string,
    overwrite: boolean,
    opts: { tags?: Record<string, string>; description?: string },
  ): Promise<number> => {
    const tags = opts.tags && Object.keys(opts.tags).length > 0 ? toTagList(opts.tags) : undefined;
    const out = await client.send(
      new PutParameterCommand({
        Name: name,
        Value: value,
        Type: "String",
        Overwrite: overwrite,
        ...(!overwrite && tags !== undefined && { Tags: tags }),
        ...(opts.description !== undefined && { Description: opts.description }),
      }),
    );
    return out.Version ?? 1;
  };

  /** Overwrite=false: "exists" on ParameterAlreadyExists. */
  const create = (
    name: string,
    value: string,
    opts: { tags?: Record<string, string>; description?: string },
  ) =>
    callAws<"created" | "exists">(
      SERVICE,
      "PutParameter",
      name,
      async () => {
        await put(name, value, false, opts);
        return "created";
      },
      (err) => (err.code === "ParameterAlreadyExists" ? { value: "exists" } : undefined),
    );

  return {
    getParameter: (name) =>
      callAwsOptional(SERVICE, "GetParameter", name, ["ParameterNotFound"], async () => {
        const out = await client.send(new GetParameterCommand({ Name: name }));
        return out.Parameter?.Value ?? "";
      }),

    putParameter: async (name, value, opts) => {
      if (!opts.overwrite) return create(name, value, opts);
      const hasTags = opts.tags !== undefined && Object.keys(opts.tags).length > 0;
      if (hasTags) {
        // Try to create with tags first; an existing parameter is then overwritten without tags.
        const created = await create(name, value, opts);
        if (created === "created") return "created";
      }
      const { tags: _tags, ...untagged } = opts;
      const version = await callAws(SERVICE, "PutParameter", name, () => put(name, value, true, untagged));
      return hasTags || version > 1 ? "overwritten" : "created";
    },

    deleteParameter: async (name) => {
      const deleted = await callAwsOptional(
        SERVICE,
        "DeleteParameter",
        name,
        ["ParameterNotFound"],
        async () => {
          await client.send(new DeleteParameterCommand({ Name: name }));
          return true;
        },
      );
      return deleted === true;
    },

    managedInstances: async (instanceIds) => {
      const found = new Map<string, string>();
      for (const batch of chunks(instanceIds, MAX_FILTER_VALUES)) {
        const infos = await collectPages(
          paginateDescribeInstanceInformation(
            { client, pageSize: 50, stopOnSameToken: true },
            { Filters: [{ Key: "InstanceIds", Values: batch }] },
          ),
          [SERVICE, "DescribeInstanceInformation", batch.join(",")],
          (out) => out.InstanceInformationList,
        );
        for (const i of infos) if (i.InstanceId) found.set(i.InstanceId, i.PingStatus ?? "");
      }
      return found;
    },

    sendShellCommand: (input) =>
      callAws<string | undefined>(
        SERVICE,
        "SendCommand",
        input.instanceIds.join(","),
        async () => {
          const out = await client.send(
            new SendCommandCommand({
              DocumentName: "AWS-RunShellScript",
              InstanceIds: input.instanceIds,
              Parameters: { commands: input.commands },
              Comment: input.comment.slice(0, MAX_COMMENT),
            }),
          );
          const id = out.Command?.CommandId;
          if (!id) throw new Error("SendCommand returned no CommandId");
          return id;
        },
        (err) => (err.code === "InvalidInstanceId" ? { value: undefined } : undefined),
      ),

    getCommandInvocation: (commandId, instanceId) =>
      callAwsOptional(
        SERVICE,
        "GetCommandInvocation",
        `${commandId} on ${instanceId}`,
        ["InvocationDoesNotExist"],
        async () => {
          const out = await client.send(
            new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId }),
          );
          const inv: CommandInvocation = {
            commandId: out.CommandId ?? commandId,
            instanceId: out.InstanceId ?? instanceId,
            status: out.Status ?? "Pending",
          };
          if (out.StandardOutputContent) inv.stdout = out.StandardOutputContent;
          if (out.StandardErrorContent) inv.stderr = out.StandardErrorContent;
          return inv;
        },
      ),

    createOpsItem: (input) =>
      callAws(
        SERVICE,
        "CreateOpsItem",
        input.title,
        async () => {
          const out = await client.send(
            new CreateOpsItemCommand({
              Title: input.title,
              Description: input.description.slice(0, MAX_OPS_DESCRIPTION),
              Source: input.source,
              Severity: input.severity,
              Category: input.category,
              OperationalData: Object.fromEntries(
                Object.entries(input.operationalData).map(([k, v]) => [
                  k,
                  { Value: v, Type: "SearchableString" },
                ]),
              ),
            }),
          );
          if (!out.OpsItemId) throw new Error("CreateOpsItem returned no OpsItemId");
          return out.OpsItemId;
        },
        // The same /aws/dedup string as an open OpsItem (a retried notify): OpsCenter creates none
        // and names the open one.
        (err) => {
          const existing = (err.error as { OpsItemId?: unknown }).OpsItemId;
          return err.code === "OpsItemAlreadyExistsException" && typeof existing === "string"
            ? { value: existing }
            : undefined;
        },
      ),
  };
}

/** The wrapper for this container and region (one client per service and region). */
export const ssmFor = (region: string): SsmApi =>
  memoClient(`ssm:${region}`, () => ssmApi(new SSMClient(clientConfig("SSM", region))));
