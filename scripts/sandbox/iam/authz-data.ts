/**
 * RDS, DynamoDB and AWS Backup operations → IAM requests (Service Authorization Reference for
 * Amazon RDS, Amazon DynamoDB, AWS Backup).
 *
 * - RDS Describe* without an identifier are authorized on `db:*` / `cluster:*`; CreateDBInstance on
 *   the new instance plus the cluster, subnet group, parameter and option groups it names.
 * - AWS Backup's recovery point resource is the recovery point ARN as given, whatever service owns
 *   it (SAR format `arn:${Partition}:${Vendor}:${Region}:*:${ResourceType}:${RecoveryPointId}`);
 *   StartRestoreJob also passes IamRoleArn to backup.amazonaws.com (iam:PassRole).
 */

import {
  ANY,
  arnOf,
  just,
  type MapCtx,
  type Mapper,
  need,
  on,
  passRole,
  type ResourceRef,
  requestTagContext,
  str,
  strs,
  tagsOf,
} from "./requests.js";
import { parseArn } from "./resource-tags.js";

/** An RDS resource by identifier (or by its ARN). */
const rds = (ctx: MapCtx, type: string, idOrArn: string | undefined): ResourceRef =>
  idOrArn?.startsWith("arn:") ? on(idOrArn, type) : on(arnOf(ctx, "rds", `${type}:${idOrArn ?? "*"}`), type);

/** The SAR type of an RDS ARN (`db`, `cluster`, `subgrp`, `cluster-snapshot`, …). */
const rdsArn = (arn: string): ResourceRef => on(arn, parseArn(arn)?.resource.split(":")[0] ?? "db");

export const RDS: Record<string, Mapper> = {
  DescribeDBInstances: (ctx) =>
    just(need("rds:DescribeDBInstances", [rds(ctx, "db", str(ctx.input, "DBInstanceIdentifier"))])),
  DescribeDBClusters: (ctx) =>
    just(need("rds:DescribeDBClusters", [rds(ctx, "cluster", str(ctx.input, "DBClusterIdentifier"))])),
  CreateDBInstance: (ctx) => {
    const i = ctx.input;
    const resources = [rds(ctx, "db", str(i, "DBInstanceIdentifier") ?? "")];
    const named: [string, string][] = [
      ["DBClusterIdentifier", "cluster"],
      ["DBSubnetGroupName", "subgrp"],
      ["DBParameterGroupName", "pg"],
      ["OptionGroupName", "og"],
    ];
    for (const [key, type] of named) {
      const v = str(i, key);
      if (v) resources.push(rds(ctx, type, v));
    }
    return just(need("rds:CreateDBInstance", resources, requestTagContext(tagsOf(i.Tags))));
  },
  DeleteDBInstance: (ctx) =>
    just(need("rds:DeleteDBInstance", [rds(ctx, "db", str(ctx.input, "DBInstanceIdentifier") ?? "")])),
  DeleteDBCluster: (ctx) => {
    const resources = [rds(ctx, "cluster", str(ctx.input, "DBClusterIdentifier") ?? "")];
    const snapshot = str(ctx.input, "FinalDBSnapshotIdentifier");
    if (snapshot && ctx.input.SkipFinalSnapshot !== true)
      resources.push(rds(ctx, "cluster-snapshot", snapshot));
    return just(need("rds:DeleteDBCluster", resources));
  },
  ListTagsForResource: (ctx) =>
    just(need("rds:ListTagsForResource", [rdsArn(str(ctx.input, "ResourceName") ?? "")])),
  AddTagsToResource: (ctx) => {
    const r = rdsArn(str(ctx.input, "ResourceName") ?? "");
    return {
      required: [need("rds:AddTagsToResource", [r], requestTagContext(tagsOf(ctx.input.Tags)))],
      tagsChanged: [r.arn],
    };
  },
  RemoveTagsFromResource: (ctx) => {
    const r = rdsArn(str(ctx.input, "ResourceName") ?? "");
    return {
      required: [need("rds:RemoveTagsFromResource", [r], { "aws:TagKeys": strs(ctx.input, "TagKeys") })],
      tagsChanged: [r.arn],
    };
  },
};

/** A DynamoDB table by name or ARN (stream ARNs are `table/<name>/stream/<label>`). */
const table = (ctx: MapCtx, nameOrArn: string | undefined): ResourceRef => {
  const v = nameOrArn ?? "";
  if (!v.startsWith("arn:")) return on(arnOf(ctx, "dynamodb", `table/${v}`), "table");
  return on(v, v.includes("/stream/") ? "stream" : "table");
};

export const DYNAMODB: Record<string, Mapper> = {
  DescribeTable: (ctx) => just(need("dynamodb:DescribeTable", [table(ctx, str(ctx.input, "TableName"))])),
  DeleteTable: (ctx) => just(need("dynamodb:DeleteTable", [table(ctx, str(ctx.input, "TableName"))])),
  ListTables: () => just(need("dynamodb:ListTables", [ANY])),
  TagResource: (ctx) => {
    const r = table(ctx, str(ctx.input, "ResourceArn"));
    return {
      required: [need("dynamodb:TagResource", [r], requestTagContext(tagsOf(ctx.input.Tags)))],
      tagsChanged: [r.arn],
    };
  },
  UntagResource: (ctx) => {
    const r = table(ctx, str(ctx.input, "ResourceArn"));
    return {
      required: [need("dynamodb:UntagResource", [r], { "aws:TagKeys": strs(ctx.input, "TagKeys") })],
      tagsChanged: [r.arn],
    };
  },
  ListTagsOfResource: (ctx) =>
    just(need("dynamodb:ListTagsOfResource", [table(ctx, str(ctx.input, "ResourceArn"))])),
};

const vault = (ctx: MapCtx, name: string | undefined): ResourceRef =>
  on(arnOf(ctx, "backup", `backup-vault:${name ?? ""}`), "backupVault");

/** What a Backup ARN names for IAM: a vault, a plan, or (any other ARN) a recovery point. */
function backupArn(arn: string): ResourceRef {
  const a = parseArn(arn);
  const kind = a?.service === "backup" ? a.resource.split(":")[0] : undefined;
  if (kind === "backup-vault") return on(arn, "backupVault");
  if (kind === "backup-plan") return on(arn, "backupPlan");
  return on(arn, "recoveryPoint");
}

export const BACKUP: Record<string, Mapper> = {
  ListBackupVaults: () => just(need("backup:ListBackupVaults", [ANY])),
  ListRecoveryPointsByBackupVault: (ctx) =>
    just(need("backup:ListRecoveryPointsByBackupVault", [vault(ctx, str(ctx.input, "BackupVaultName"))])),
  DescribeRecoveryPoint: (ctx) =>
    just(
      need("backup:DescribeRecoveryPoint", [on(str(ctx.input, "RecoveryPointArn") ?? "", "recoveryPoint")]),
    ),
  GetRecoveryPointRestoreMetadata: (ctx) =>
    just(
      need("backup:GetRecoveryPointRestoreMetadata", [
        on(str(ctx.input, "RecoveryPointArn") ?? "", "recoveryPoint"),
      ]),
    ),
  StartRestoreJob: (ctx) => {
    const required = [
      need("backup:StartRestoreJob", [on(str(ctx.input, "RecoveryPointArn") ?? "", "recoveryPoint")]),
    ];
    const role = str(ctx.input, "IamRoleArn");
    if (role) required.push(passRole(role, "backup.amazonaws.com"));
    return { required };
  },
  DescribeRestoreJob: () => just(need("backup:DescribeRestoreJob", [ANY])),
  ListRestoreJobs: () => just(need("backup:ListRestoreJobs", [ANY])),
  ListBackupJobs: () => just(need("backup:ListBackupJobs", [ANY])),
  ListTags: (ctx) => just(need("backup:ListTags", [backupArn(str(ctx.input, "ResourceArn") ?? "")])),
};
