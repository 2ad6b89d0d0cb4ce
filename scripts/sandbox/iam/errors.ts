/**
 * How each service answers a request IAM denied: error code, HTTP status and message. The message
 * names the principal, the action and the resource ARN, and says why, as IAM formats it:
 * `User: <arn> is not authorized to perform: <action> on resource: <arn> because no
 * identity-based policy allows the <action> action` (or `with an explicit deny in an
 * identity-based policy`).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
 *
 * Codes: AccessDeniedException (AWS Backup, DynamoDB, Systems Manager, Step Functions, EFS),
 * AccessDenied (RDS, CloudFormation, Route 53, S3, CloudWatch), UnauthorizedOperation (EC2, with
 * an "Encoded authorization failure message" that sts:DecodeAuthorizationMessage decodes; the
 * sandbox's encoding is base64 JSON of the documented decoded form), AuthorizationError (SNS).
 * S3 quotes the resource ARN: https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html
 */
import { SandboxError, type ServiceName } from "../types.js";
import type { AuthorizationRequest, Decision } from "./evaluator.js";
import type { Principal } from "./principals.js";

interface Shape {
  code: string;
  status: number;
  quoteResource?: boolean;
  /** EC2's prefix and encoded message. */
  ec2?: boolean;
}

/**
 * Per service. HTTP statuses: awsJson services answer AccessDeniedException with 400 (DynamoDB,
 * SSM and Step Functions document 400); Query and REST-XML services answer 403; EC2's
 * UnauthorizedOperation is 403 (STS DecodeAuthorizationMessage reference). AWS Backup's common
 * errors page says 400, a report against the SDK observed 403 (aws/aws-sdk-js#2625): 403 here.
 */
const SHAPES: Record<ServiceName, Shape> = {
  backup: { code: "AccessDeniedException", status: 403 },
  dynamodb: { code: "AccessDeniedException", status: 400 },
  ssm: { code: "AccessDeniedException", status: 400 },
  sfn: { code: "AccessDeniedException", status: 400 },
  efs: { code: "AccessDeniedException", status: 403 },
  rds: { code: "AccessDenied", status: 403 },
  cloudformation: { code: "AccessDenied", status: 403 },
  cloudwatch: { code: "AccessDenied", status: 403 },
  route53: { code: "AccessDenied", status: 403 },
  s3: { code: "AccessDenied", status: 403, quoteResource: true },
  ec2: { code: "UnauthorizedOperation", status: 403, ec2: true },
  sns: { code: "AuthorizationError", status: 403 },
};

/** The error code a service answers a denied request with (AccessDeniedException, AccessDenied, …). */
export const accessDeniedCode = (service: ServiceName): string => SHAPES[service].code;

/** IAM's sentence for a denied request. */
export function deniedSentence(
  principal: Principal,
  req: Pick<AuthorizationRequest, "action" | "resource">,
  decision: Decision,
  quoteResource = false,
): string {
  const resource = quoteResource ? `"${req.resource}"` : req.resource;
  const why =
    decision.effect === "ExplicitDeny"
      ? "with an explicit deny in an identity-based policy"
      : `because no identity-based policy allows the ${req.action} action`;
  return `User: ${principal.arn} is not authorized to perform: ${req.action} on resource: ${resource} ${why}`;
}

/** The decoded form of EC2's encoded authorization failure message (DecodeAuthorizationMessage). */
export function decodedMessage(principal: Principal, req: AuthorizationRequest, decision: Decision) {
  return {
    allowed: false,
    explicitDeny: decision.effect === "ExplicitDeny",
    matchedStatements: { items: decision.effect === "ExplicitDeny" ? [decision.statement] : [] },
    failures: { items: [] },
    context: {
      principal: { arn: principal.arn },
      action: req.action,
      resource: req.resource,
      conditions: {
        items: [...req.context].map(([key, values]) => ({
          key,
          values: { items: values.map((value) => ({ value })) },
        })),
      },
    },
  };
}

export class AccessDenied extends SandboxError {
  constructor(
    service: ServiceName,
    readonly principal: Principal,
    readonly request: AuthorizationRequest,
    readonly decision: Decision,
  ) {
    const shape = SHAPES[service];
    const sentence = deniedSentence(principal, request, decision, shape.quoteResource);
    const message = shape.ec2
      ? `You are not authorized to perform this operation. ${sentence}. Encoded authorization failure message: ${Buffer.from(
          JSON.stringify(decodedMessage(principal, request, decision)),
        ).toString("base64url")}`
      : sentence;
    super(shape.code, message, shape.status, "client");
  }
}

/**
 * An operation the sandbox handles without an IAM mapping: a sandbox defect, never an allow. A
 * client error (not retried), so the run stops at the first such call and names it.
 */
export class NoIamMapping extends SandboxError {
  constructor(service: string, operation: string) {
    super(
      "SandboxNoIamMapping",
      `drctl sandbox: no IAM mapping for ${service}:${operation}; the call cannot be authorized`,
      400,
      "client",
    );
  }
}
