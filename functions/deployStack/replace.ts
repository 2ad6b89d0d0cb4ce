/**
 * replaceStack: the DR stack a failed failover left (the same stacks ./adopt.ts would adopt) is
 * deleted, and DeployStack creates a fresh one once CloudFormation reports DELETE_COMPLETE. The
 * state machine waits between looks (StackReady? → WaitForStackDelete → ReplaceStack), bounded
 * by STACK_DELETE_LIMIT_SECONDS; DELETE_FAILED ends the run with StackReplaceFailed.
 * CloudFormation lifecycle: DeleteStack → DELETE_IN_PROGRESS → DELETE_COMPLETE (the name is free
 * again; DescribeStacks by stack id still answers DELETE_COMPLETE) or DELETE_FAILED (DeleteStack
 * may be called again). A stack already DELETE_IN_PROGRESS is only waited for.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/view-stack-events.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DeleteStack.html
 */
import type { CloudFormationApi, Stack } from "../shared/aws/cloudformation.js";
import { StackReplaceFailed } from "../shared/errors.js";
import { logger } from "../shared/logger.js";
import type { RunContext, StackState } from "../shared/types.js";
import { elapsedBackoff } from "../shared/waits.js";

/** Seconds before the first look at the stack being deleted. */
export const FIRST_DELETE_WAIT = 30;
/** How long the delete may take: stacks with databases and file systems take tens of minutes. */
export const STACK_DELETE_LIMIT_SECONDS = 3600;

interface ReplaceDeps {
  cfn: CloudFormationApi;
  now: () => Date;
}

/** DeleteStack of the left stack (unless already deleting); the state to wait with. */
export async function startReplacing(
  run: RunContext,
  stack: Stack,
  from: string,
  deps: ReplaceDeps,
): Promise<StackState> {
  const at = deps.now().toISOString();
  if (stack.status !== "DELETE_IN_PROGRESS") {
    await deps.cfn.deleteStack(stack.stackId, `replace-${run.name}`.slice(0, 128));
  }
  logger.warn("replaceStack: deleting the DR stack a failed failover left", {
    stackId: stack.stackId,
    status: stack.status,
    from,
  });
  return {
    stackId: stack.stackId,
    status: "DELETE_IN_PROGRESS",
    done: false,
    waitSeconds: FIRST_DELETE_WAIT,
    startedAt: at,
    replacing: { from, since: at },
  };
}

/**
 * One look at the stack being deleted: undefined once it is gone (create the new one), else the
 * state to wait with. StackReplaceFailed on DELETE_FAILED, any other state, or past the limit.
 */
export async function deletionProgress(
  run: RunContext,
  state: StackState & { replacing: NonNullable<StackState["replacing"]> },
  deps: ReplaceDeps,
): Promise<StackState | undefined> {
  const stack = await deps.cfn.describeStack(state.stackId);
  const status = stack?.status ?? "DELETE_COMPLETE";
  if (status === "DELETE_COMPLETE") {
    logger.info("replaceStack: the left stack is deleted", { stackId: state.stackId });
    return undefined;
  }
  const what = `stack ${run.stackName} (${state.stackId}), left by run '${state.replacing.from}'`;
  if (status !== "DELETE_IN_PROGRESS") {
    const reason = stack?.statusReason ? `: ${stack.statusReason}` : "";
    throw new StackReplaceFailed(
      `replaceStack: ${what} is ${status}${reason}. Fix what CloudFormation could not delete (its stack events name it), or delete it with RetainResources, then fail over again.`,
    );
  }
  const elapsed = (deps.now().getTime() - new Date(state.replacing.since).getTime()) / 1000;
  if (elapsed > STACK_DELETE_LIMIT_SECONDS) {
    throw new StackReplaceFailed(
      `replaceStack: ${what} is still DELETE_IN_PROGRESS after ${Math.round(elapsed)} s (limit ${STACK_DELETE_LIMIT_SECONDS} s); fail over again once it is gone.`,
    );
  }
  return { ...state, status, waitSeconds: elapsedBackoff(elapsed) };
}
