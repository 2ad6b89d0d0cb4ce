/**
 * What DeployStack does with a stack of the run's name that another run created. Only a failover
 * may take over the DR stack, and only one that a previous FAILOVER of the same app created
 * (drctl:app, drctl:mode tags) and that did not succeed (its run's report is not SUCCEEDED: a
 * succeeded failover's stack serves production). It is adopted as it is when CloudFormation
 * considers it usable or still on its way there; a stack in a state CloudFormation only lets you
 * delete (ROLLBACK_COMPLETE, *_FAILED, ...) is refused with what to do. With the run's replaceStack
 * the same stack, in any state, is replaced instead (./replace.ts). A stack not created by drctl,
 * or by a drill, or by another app, is never touched.
 * Stack states: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/view-stack-events.html
 */
import type { Stack } from "../shared/aws/cloudformation.js";
import { StackFailed } from "../shared/errors.js";
import { type RunContext, TAG_APP, TAG_EXECUTION, TAG_MODE } from "../shared/types.js";

/** The stack works (its last create or update finished, or an update rolled back to it). */
export const USABLE = new Set(["CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE"]);
/** On its way to a usable state: CheckStack waits for it. */
export const SETTLING = new Set([
  "CREATE_IN_PROGRESS",
  "UPDATE_IN_PROGRESS",
  "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS",
  "UPDATE_ROLLBACK_IN_PROGRESS",
  "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS",
]);

export type Adoption =
  | { kind: "own" }
  | { kind: "adopt"; ready: boolean; from: string }
  | { kind: "replace"; from: string };

/**
 * Whether this run may take over `stack` (adopt it, or with replaceStack replace it); throws
 * StackFailed when it may not.
 * `outcomeOf` reads the outcome of a run's report (undefined when it has none).
 */
export async function adoption(
  run: RunContext,
  stack: Stack,
  region: string,
  outcomeOf: (runName: string) => Promise<string | undefined>,
): Promise<Adoption> {
  const owner = stack.tags[TAG_EXECUTION];
  if (owner === run.name) return { kind: "own" };
  const at = `stack ${run.stackName} already exists (${stack.status}, ${owner ? `created by run '${owner}'` : "not created by drctl"}) in ${region}.`;
  const failoverStack =
    owner !== undefined && stack.tags[TAG_APP] === run.app && stack.tags[TAG_MODE] === "failover";
  if (run.mode !== "failover" || !failoverStack) {
    throw new StackFailed(
      `${at} drctl never takes over a stack it did not create for a failover of this app: delete it or choose another stack name.`,
    );
  }
  if ((await outcomeOf(owner)) === "SUCCEEDED") {
    throw new StackFailed(
      `${at} It is the DR stack of a previous failover that succeeded: the recovery region already runs the app; fail back and delete it before failing over again.`,
    );
  }
  if (run.replaceStack) return { kind: "replace", from: owner };
  if (USABLE.has(stack.status) || SETTLING.has(stack.status)) {
    return { kind: "adopt", ready: USABLE.has(stack.status), from: owner };
  }
  throw new StackFailed(
    `${at} The failed failover left it ${stack.status}, a state CloudFormation only lets you delete: fail over again with replaceStack=true, or delete it (drctl cleanup --execution-arn <that execution> --confirm, or DeleteStack) first.`,
  );
}
