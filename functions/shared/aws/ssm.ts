import type { SSMClient } from "@aws-sdk/client-ssm";

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
  /** DeleteParameter; no-op when already gone. */
  deleteParameter(name: string): Promise<void>;
  /** SendCommand with AWS-RunShellScript; returns the command id. */
  sendShellCommand(input: { instanceIds: string[]; commands: string[]; comment: string }): Promise<string>;
  /** GetCommandInvocation; undefined while the invocation does not exist yet. */
  getCommandInvocation(commandId: string, instanceId: string): Promise<CommandInvocation | undefined>;
  /** CreateOpsItem; returns the OpsItem id. */
  createOpsItem(input: OpsItemInput): Promise<string>;
}

export function ssmApi(_client: SSMClient): SsmApi {
  throw new Error("ssmApi: not implemented yet");
}
