/**
 * Every operation the sandbox answers → the IAM requests AWS authorizes for it (see the authz-*
 * modules). An operation without a mapping is refused loudly (NoIamMapping), never allowed.
 */
import type { ServiceName } from "../types.js";
import { EC2, EFS } from "./authz-compute.js";
import { BACKUP, DYNAMODB, RDS } from "./authz-data.js";
import { ROUTE53, S3, SNS, SSM } from "./authz-platform.js";
import { CLOUDFORMATION, CLOUDWATCH, SFN } from "./authz-stacks.js";
import { NoIamMapping } from "./errors.js";
import type { Authorization, MapCtx, Mapper } from "./requests.js";

/** Services with IAM mappings: every sandbox service. */
export type IamService = ServiceName;

/** The IAM service prefix of each sandbox service (the SDK/CLI names differ for some). */
export const IAM_PREFIX: Record<IamService, string> = {
  backup: "backup",
  rds: "rds",
  ec2: "ec2",
  efs: "elasticfilesystem",
  dynamodb: "dynamodb",
  cloudformation: "cloudformation",
  route53: "route53",
  ssm: "ssm",
  sns: "sns",
  sfn: "states",
  s3: "s3",
  cloudwatch: "cloudwatch",
};

export const MAPPINGS: Record<IamService, Record<string, Mapper>> = {
  backup: BACKUP,
  rds: RDS,
  ec2: EC2,
  efs: EFS,
  dynamodb: DYNAMODB,
  cloudformation: CLOUDFORMATION,
  route53: ROUTE53,
  ssm: SSM,
  sns: SNS,
  sfn: SFN,
  s3: S3,
  cloudwatch: CLOUDWATCH,
};

export function hasMapping(service: IamService, operation: string): boolean {
  return Object.hasOwn(MAPPINGS[service], operation);
}

/** What AWS authorizes for one call; NoIamMapping when the sandbox has no mapping for it. */
export function authorizationFor(service: IamService, operation: string, ctx: MapCtx): Authorization {
  const mapper = hasMapping(service, operation) ? MAPPINGS[service][operation] : undefined;
  if (!mapper) throw new NoIamMapping(IAM_PREFIX[service], operation);
  return mapper(ctx);
}
