/**
 * DeployStack: CreateStack of the DR app stack in the recovery region. Idempotent: the
 * ClientRequestToken is the run name, and a stack of that name that this run created is continued.
 * A stack of that name that another run created is refused, except the DR stack a failed failover
 * of this app left, which a failover adopts (./adopt.ts) or, with replaceStack, deletes and
 * creates anew (./replace.ts: called again with the state while the delete runs).
 * GetTemplateSummary first: only the parameters the template declares are passed.
 */
import * as z from "zod";
import type { CloudFormationApi, TemplateSummary } from "../shared/aws/cloudformation.js";
import type { AppConfig } from "../shared/config.js";
import { ConfigInvalid } from "../shared/errors.js";
import { logger } from "../shared/logger.js";
import { stackRequestToken } from "../shared/naming.js";
import { RunContext, runTags, StackState } from "../shared/types.js";
import { adoption } from "./adopt.js";
import { deletionProgress, startReplacing } from "./replace.js";

/** stack: present when ReplaceStack calls again while the replaced stack is being deleted. */
export const DeployStackEvent = z.object({ run: RunContext, stack: StackState.optional() });
export type DeployStackEvent = z.infer<typeof DeployStackEvent>;

export interface DeployStackDeps {
  config: AppConfig;
  /** CloudFormation in the recovery region. */
  cfn: CloudFormationApi;
  now: () => Date;
  /** The outcome in a run's report (SUCCEEDED / FAILED), undefined without one. */
  outcomeOf: (runName: string) => Promise<string | undefined>;
}

/** First Wait after CreateStack: stacks take minutes, the first check needn't come sooner. */
export const FIRST_STACK_WAIT = 30;

/**
 * The parameters CreateStack gets: the config's stack.parameters plus ParameterPrefix and
 * DrctlExecution, kept to those the template declares (CloudFormation refuses undeclared ones:
 * "Parameters: [X] do not exist in the template"). A declared parameter without a Default that
 * nothing provides is a configuration error, named before CreateStack would refuse it.
 */
export function stackParameters(
  run: RunContext,
  config: AppConfig,
  summary: TemplateSummary,
): { parameters: Record<string, string>; dropped: string[] } {
  const offered: Record<string, string> = {
    ...config.stack.parameters,
    ParameterPrefix: run.parameterPrefix,
    DrctlExecution: run.name,
  };
  const declared = new Set(summary.parameters.map((p) => p.key));
  const parameters = Object.fromEntries(Object.entries(offered).filter(([k]) => declared.has(k)));
  const missing = summary.parameters.filter((p) => !p.hasDefault && !(p.key in parameters)).map((p) => p.key);
  if (missing.length > 0) {
    throw new ConfigInvalid(
      `the DR stack template ${config.stack.templateUrl} requires parameters [${missing.join(", ")}] without defaults: set them in stack.parameters`,
    );
  }
  return { parameters, dropped: Object.keys(offered).filter((k) => !declared.has(k)) };
}

export async function deployStack(event: DeployStackEvent, deps: DeployStackDeps): Promise<StackState> {
  const { run, stack: previous } = event;
  const { config } = deps;
  if (previous?.replacing) {
    const waiting = await deletionProgress(run, { ...previous, replacing: previous.replacing }, deps);
    if (waiting) return waiting;
  }
  const startedAt = deps.now();
  const summary = await deps.cfn.getTemplateSummary(config.stack.templateUrl);
  const { parameters, dropped } = stackParameters(run, config, summary);
  if (dropped.length > 0) {
    logger.warn("the template does not declare these parameters; not passing them", {
      templateUrl: config.stack.templateUrl,
      dropped,
    });
  }
  const stackId = await deps.cfn.createStack({
    name: run.stackName,
    templateUrl: config.stack.templateUrl,
    parameters,
    tags: runTags(run),
    clientRequestToken: stackRequestToken(run),
    // DeleteStack (cleanup) then uses the same role: CloudFormation keeps it with the stack.
    roleArn: config.stack.roleArn,
  });
  // createStack returns the id of an existing stack of that name too: ours, adopted, or refused.
  const stack = await deps.cfn.describeStack(stackId);
  if (stack) {
    const taken = await adoption(run, stack, config.regions.recovery, deps.outcomeOf);
    if (taken.kind === "replace") return startReplacing(run, stack, taken.from, deps);
    if (taken.kind === "adopt") {
      logger.warn("adopting the DR stack a failed failover left", {
        stackId,
        status: stack.status,
        from: taken.from,
      });
      return {
        stackId,
        status: stack.status,
        done: taken.ready,
        waitSeconds: taken.ready ? 1 : FIRST_STACK_WAIT,
        startedAt: startedAt.toISOString(),
        ...(taken.ready && { completedAt: startedAt.toISOString() }),
      };
    }
  }
  logger.info("stack creation started", { stackName: run.stackName, stackId, status: stack?.status });
  return {
    stackId,
    status: stack?.status ?? "CREATE_IN_PROGRESS",
    done: false,
    waitSeconds: FIRST_STACK_WAIT,
    startedAt: (stack?.createdAt ?? startedAt).toISOString(),
  };
}
