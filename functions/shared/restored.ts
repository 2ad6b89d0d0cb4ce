/**
 * Restored resources as integrate and cleanup see them: the ARN a restore job reports
 * (createdResourceArn) parsed into the kind of resource and the id its service's API takes.
 */

/** Tag CloudFormation puts on every resource of a stack (and on instances it launches). */
export const STACK_NAME_TAG = "aws:cloudformation:stack-name";

export type RestoredKind =
  | "rds-instance"
  | "rds-cluster"
  | "ec2-instance"
  | "ec2-volume"
  | "efs"
  | "dynamodb-table";

export interface RestoredRef {
  kind: RestoredKind;
  /** DB identifier, instance/volume id, file system id or table name. */
  id: string;
  arn: string;
}

/**
 * Parses an ARN of a resource AWS Backup restores, e.g.
 * `arn:aws:rds:us-west-2:111122223333:db:orders-db-3b5a1c`, `arn:aws:ec2:...:volume/vol-0abc`,
 * `arn:aws:elasticfilesystem:...:file-system/fs-0abc`, `arn:aws:dynamodb:...:table/carts-3b5a1c`.
 * Undefined for anything else.
 */
export function parseRestoredArn(arn: string): RestoredRef | undefined {
  const parts = arn.split(":");
  if (parts.length < 6 || parts[0] !== "arn") return undefined;
  const service = parts[2];
  const resource = parts.slice(5).join(":");
  const [type, ...rest] = resource.split(/[:/]/);
  const id = rest.join("/");
  if (!id) return undefined;
  const kind = kindOf(service, type);
  return kind ? { kind, id, arn } : undefined;
}

function kindOf(service: string | undefined, type: string | undefined): RestoredKind | undefined {
  if (service === "rds" && type === "db") return "rds-instance";
  if (service === "rds" && type === "cluster") return "rds-cluster";
  if (service === "ec2" && type === "instance") return "ec2-instance";
  if (service === "ec2" && type === "volume") return "ec2-volume";
  if (service === "elasticfilesystem" && type === "file-system") return "efs";
  if (service === "dynamodb" && type === "table") return "dynamodb-table";
  return undefined;
}

/** Splits a tag filter `KEY=VALUE` (validated by the config schema) into a one-entry record. */
export function tagFilter(filter: string): Record<string, string> {
  const at = filter.indexOf("=");
  return { [filter.slice(0, at)]: filter.slice(at + 1) };
}
