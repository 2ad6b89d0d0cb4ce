/**
 * CheckStack: one DescribeStacks per tick. CREATE_COMPLETE ends the loop; in-progress states
 * wait (adaptive); any failed, rolled-back or deleted state is StackFailed with the first
 * resource failure reason from the stack events.
 */
import * as z from "zod";
import { SETTLING, USABLE } from "../deployStack/adopt.js";
import type { CloudFormationApi } from "../shared/aws/cloudformation.js";
import { StackFailed } from "../shared/errors.js";
import { logger } from "../shared/logger.js";
import { RunContext, StackState } from "../shared/types.js";
import { elapsedBackoff } from "../shared/waits.js";

/** Usable (UPDATE_ROLLBACK_COMPLETE: an adopted stack whose update rolled back to a working one). */
const DONE = USABLE;
const IN_PROGRESS = new Set([...SETTLING, "REVIEW_IN_PROGRESS"]);
/**
 * DescribeStacks spacing: a fifth of the time the stack has been deploying, within [30 s, 60 s]
 * (a stack with instances and a load balancer takes minutes; a first look after 15 s finds nothing).
 */
const STACK_POLL = { minSeconds: 30, maxSeconds: 60, fraction: 0.2 };

export const CheckStackEvent = z.object({ run: RunContext, stack: StackState });
export type CheckStackEvent = z.infer<typeof CheckStackEvent>;

export interface CheckStackDeps {
  /** CloudFormation in the recovery region. */
  cfn: CloudFormationApi;
  now: () => Date;
}

export async function checkStack(event: CheckStackEvent, deps: CheckStackDeps): Promise<StackState> {
  const { run, stack: state } = event;
  const now = deps.now();
  const stack = await deps.cfn.describeStack(state.stackId);
  if (!stack) throw new StackFailed(`stack ${run.stackName} (${state.stackId}) no longer exists`);
  if (DONE.has(stack.status)) {
    logger.info("stack ready", { stackId: stack.stackId, status: stack.status });
    return { ...state, status: stack.status, done: true, waitSeconds: 1, completedAt: now.toISOString() };
  }
  if (IN_PROGRESS.has(stack.status)) {
    const elapsed = (now.getTime() - new Date(state.startedAt).getTime()) / 1000;
    return { ...state, status: stack.status, done: false, waitSeconds: elapsedBackoff(elapsed, STACK_POLL) };
  }
  const reason =
    (await deps.cfn.firstFailureReason(state.stackId)) ?? stack.statusReason ?? "no reason given";
  throw new StackFailed(`stack ${run.stackName} is ${stack.status}: ${reason}`);
}
