/**
 * A scenario resource's `source` block: the protected resource's production settings in the
 * primary region (deletion protection, parameter/option groups, key pair, KMS key), which the
 * sandbox returns from GetRecoveryPointRestoreMetadata. Unset fields take production defaults.
 */
import { z } from "zod";
import type { ResourceType } from "../../functions/shared/config.js";

export const KMS_KEY_ID = z
  .string()
  .regex(/^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/, "allowed: a KMS key id (UUID)");

/** Which `source` fields each resource type accepts. */
export const SOURCE_FIELDS: Record<ResourceType, readonly string[]> = {
  rds: ["deletionProtection", "dbParameterGroup", "optionGroup", "kmsKeyId"],
  aurora: ["deletionProtection", "dbClusterParameterGroup", "kmsKeyId"],
  dynamodb: ["deletionProtection", "kmsKeyId"],
  ec2: ["deletionProtection", "keyName", "kmsKeyId"],
  ebs: ["kmsKeyId"],
  efs: ["kmsKeyId"],
};

export const groupName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9.:-]{0,254}$/, "allowed: a DB parameter/option group name");
export const Source = z
  .object({
    deletionProtection: z
      .boolean()
      .optional()
      .describe(
        "rds | aurora | dynamodb: DeletionProtection; ec2: DisableApiTermination (default true, as in production)",
      ),
    dbParameterGroup: groupName
      .optional()
      .describe("rds: the primary's DBParameterGroupName (default <name>-params)"),
    optionGroup: groupName.optional().describe("rds: the primary's OptionGroupName (default <name>-options)"),
    dbClusterParameterGroup: groupName
      .optional()
      .describe("aurora: the primary's DBClusterParameterGroupName (default <name>-cluster-params)"),
    keyName: z
      .string()
      .regex(/^[\x20-\x7e]{1,255}$/, "allowed: an EC2 key pair name")
      .optional()
      .describe("ec2: the instance's KeyName (default <app>-ops)"),
    kmsKeyId: KMS_KEY_ID.optional().describe(
      "the primary-region customer managed KMS key the resource is encrypted with (default derived)",
    ),
  })
  .strict()
  .describe(
    "the protected resource's production settings in the primary region, as GetRecoveryPointRestoreMetadata returns them",
  );
export type Source = z.infer<typeof Source>;
