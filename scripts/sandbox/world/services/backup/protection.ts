/**
 * Deletion protection of restored resources: a restore whose metadata turns it on
 * (`DeletionProtection` for RDS/Aurora, `deletionProtection` for DynamoDB, `DisableApiTermination`
 * for EC2) creates a resource that DeleteDBInstance/DeleteDBCluster/DeleteTable/TerminateInstances
 * refuse, with the services' own errors, and whose describe output shows it (DescribeDBInstances
 * and DescribeDBClusters `DeletionProtection`, DescribeTable `DeletionProtectionEnabled`).
 */
import type { ResourceType } from "../../../../../functions/shared/config.js";
import { SandboxError } from "../../../types.js";
import type { DynamoDb, Ec2, Rds, ServiceHandlers } from "../../handlers.js";
import { rdsKey } from "../rds-entities.js";
import { mdValue } from "./restore-checks.js";

const KEY: Partial<Record<ResourceType, string>> = {
  rds: "DeletionProtection",
  aurora: "DeletionProtection",
  dynamodb: "deletionProtection",
  ec2: "DisableApiTermination",
};

/** Marks a restored resource protected when its restore metadata asked for it. */
export function protectIfAsked(
  type: ResourceType,
  metadata: Record<string, string>,
  entity: { deletionProtection?: boolean },
): void {
  const key = KEY[type];
  entity.deletionProtection = key !== undefined && mdValue(metadata, key)?.toLowerCase() === "true";
}

/** `base` (an operation's handler) run after `check`, which throws to refuse the call. */
function guarded<C, R>(base: ((ctx: C) => R) | undefined, check: (ctx: C) => void): (ctx: C) => R {
  return (ctx) => {
    check(ctx);
    if (!base) throw new SandboxError("InternalFailure", "no handler", 500);
    return base(ctx);
  };
}

export function withDeletionProtection(h: {
  rds: ServiceHandlers<Rds>;
  dynamodb: ServiceHandlers<DynamoDb>;
  ec2: ServiceHandlers<Ec2>;
}) {
  return {
    rds: {
      ...h.rds,
      DeleteDBInstance: guarded(h.rds.DeleteDBInstance, ({ region, input }) => {
        const d = region.dbInstances.get(rdsKey(input.DBInstanceIdentifier ?? ""));
        if (d?.deletionProtection) {
          throw new SandboxError(
            "InvalidParameterCombination",
            "Cannot delete protected DB Instance, please disable deletion protection and try again.",
            400,
          );
        }
      }),
      DeleteDBCluster: guarded(h.rds.DeleteDBCluster, ({ region, input }) => {
        const c = region.dbClusters.get(rdsKey(input.DBClusterIdentifier ?? ""));
        if (c?.deletionProtection) {
          throw new SandboxError(
            "InvalidParameterCombination",
            "Cannot delete protected Cluster, please disable deletion protection and try again.",
            400,
          );
        }
      }),
    } satisfies ServiceHandlers<Rds>,
    dynamodb: {
      ...h.dynamodb,
      DeleteTable: guarded(h.dynamodb.DeleteTable, ({ region, input }) => {
        const name = input.TableName ?? "";
        const t = [...region.tables.values()].find((x) => x.name === name || x.arn === name);
        if (t?.deletionProtection) {
          throw new SandboxError(
            "ValidationException",
            "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.",
            400,
          );
        }
      }),
    } satisfies ServiceHandlers<DynamoDb>,
    ec2: {
      ...h.ec2,
      TerminateInstances: guarded(h.ec2.TerminateInstances, ({ region, input }) => {
        const ids = input.InstanceIds ?? [];
        const locked = ids.find((id) => region.instances.get(id)?.deletionProtection);
        if (locked) {
          throw new SandboxError(
            "OperationNotPermitted",
            `The instance '${locked}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.`,
            400,
          );
        }
      }),
    } satisfies ServiceHandlers<Ec2>,
  };
}
