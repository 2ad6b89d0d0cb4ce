/**
 * Least-privilege IAM for each step, derived from the app config: named resources wherever the
 * service supports resource-level permissions, tag conditions on mutating calls where it supports
 * them, and a written reason for every wildcard (it becomes the cdk-nag suppression reason).
 *
 * Which step calls what: docs/design.md and functions/<step>/<step>.ts over functions/shared/aws.
 */
import type { FunctionKey } from "../state-machines/names.js";
import { cleanupGrants } from "./permissions/cleanup.js";
import { integrateGrants } from "./permissions/integrate.js";
import { restoreGrants } from "./permissions/restore.js";
import { runGrants } from "./permissions/run.js";
import { type Grant, type GrantContext, sharedGrants } from "./permissions/shared.js";
import { stackGrants } from "./permissions/stack.js";

export { arns, DRCTL_TAG_KEYS, normalizedRecordName, partitionOf } from "./permissions/arns.js";
export type { Conditions, Grant, GrantContext } from "./permissions/shared.js";

export function stepGrants(ctx: GrantContext): Record<FunctionKey, Grant[]> {
  const s = sharedGrants(ctx);
  return {
    ...runGrants(s),
    ...stackGrants(s),
    ...restoreGrants(s),
    ...integrateGrants(s),
    ...cleanupGrants(s),
  };
}
