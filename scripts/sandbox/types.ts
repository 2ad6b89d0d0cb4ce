/**
 * The contract between the sandbox's wire layer (HTTP, SigV4 routing, protocol codecs) and its
 * backend (the in-memory world of both regions, the SFN emulation).
 *
 * Inputs and outputs are shaped exactly like the AWS SDK v3 command inputs and outputs of the same
 * operation (PascalCase members as in the API reference, Date for timestamps, numbers, booleans,
 * arrays, nested objects; S3 object bodies as string). The wire layer is the inverse of the SDK's
 * serializers: it turns an HTTP request into {operation, input} and an output object or a
 * SandboxError back into the protocol's HTTP response.
 */

export const SERVICES = [
  "backup",
  "rds",
  "ec2",
  "efs",
  "dynamodb",
  "cloudformation",
  "route53",
  "ssm",
  "sns",
  "sfn",
  "s3",
  "cloudwatch",
] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface SandboxCall {
  service: ServiceName;
  /** Operation name as AWS spells it, e.g. "StartRestoreJob". */
  operation: string;
  /** Region from the SigV4 credential scope (Route 53 calls are signed in us-east-1). */
  region: string;
  input: Record<string, unknown>;
}

/** Who sends a call: the access key id of its SigV4 signature (IAM maps it to a principal). */
export interface Caller {
  accessKeyId?: string;
  /** Aborts when the client gave up on the call (its connection closed before the answer). */
  signal?: AbortSignal;
}

export type SandboxOutput = Record<string, unknown>;

/** An AWS error: the wire layer renders it in the protocol's own error format. */
export class SandboxError extends Error {
  constructor(
    /** AWS error code, e.g. "ThrottlingException", "DBInstanceNotFound", "InvalidParameterValue". */
    readonly code: string,
    message: string,
    /** HTTP status AWS uses for this error. */
    readonly httpStatus: number = 400,
    /** Client (Sender) fault or server (Receiver) fault, for awsQuery/ec2 error bodies. */
    readonly fault: "client" | "server" = httpStatus >= 500 ? "server" : "client",
  ) {
    super(message);
    this.name = code;
  }

  /** Further members of the error shape the model gives (e.g. OpsItemAlreadyExistsException's OpsItemId). */
  members?: Record<string, string>;
}

/** Thrown by a backend for an operation it does not emulate: rendered as the real unknown-operation error. */
export class UnknownOperation extends SandboxError {
  constructor(service: ServiceName, operation: string) {
    super(
      service === "ec2" ? "InvalidAction" : "UnknownOperationException",
      `The action ${operation} is not valid for this web service (${service}) in the drctl sandbox`,
      400,
    );
  }
}

export interface SandboxBackend {
  call(call: SandboxCall, caller?: Caller): Promise<SandboxOutput>;
}
