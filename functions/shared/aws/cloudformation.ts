import type { CloudFormationClient } from "@aws-sdk/client-cloudformation";

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
  /** DeleteStack (idempotent). */
  deleteStack(nameOrId: string, clientRequestToken?: string): Promise<void>;
}

export function cloudFormationApi(_client: CloudFormationClient): CloudFormationApi {
  throw new Error("cloudFormationApi: not implemented yet");
}
