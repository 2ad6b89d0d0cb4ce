/** The AWS Systems Manager Run Command operations drctl uses (Integrate's mounts). */
import {
  GetCommandInvocationCommand,
  paginateDescribeInstanceInformation,
  SendCommandCommand,
  type SSMClient,
} from "@aws-sdk/client-ssm";
import { callAws, callAwsOptional } from "./errors.js";
import { chunks, collectPages } from "./util.js";

export interface CommandInvocation {
  commandId: string;
  instanceId: string;
  /** Pending | InProgress | Delayed | Success | Cancelled | TimedOut | Failed | Cancelling */
  status: string;
  stdout?: string;
  stderr?: string;
}

export interface SsmCommandApi {
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
}

const SERVICE = "ssm";
/** SendCommand's Comment is limited to 100 characters. */
const MAX_COMMENT = 100;
/** SendCommand names at most 50 instances; a DescribeInstanceInformation filter at most 100 values. */
export const MAX_COMMAND_INSTANCES = 50;
const MAX_FILTER_VALUES = 100;

export function ssmCommandApi(client: SSMClient): SsmCommandApi {
  return {
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
  };
}
