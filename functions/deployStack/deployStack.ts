/**
 * DeployStack: CreateStack of the DR app stack in the recovery region. Idempotent: the
 * ClientRequestToken is the run name, and a stack of that name that this run created is adopted.
 * A stack of that name that is not this run's (another drill, or the DR stack of a previous
 * failover) is refused: drctl never takes over or changes a stack it did not create in this run.
 */
import type { CloudFormationApi } from "../shared/aws/cloudformation.js";
import type { AppConfig } from "../shared/config.js";
import { StackFailed } from "../shared/errors.js";
import { logger } from "../shared/logger.js";
import { type RunContext, runTags, type StackState, TAG_EXECUTION } from "../shared/types.js";

export interface StackDeps {
  /** CloudFormation in the recovery region. */
  cfn: CloudFormationApi;
  now: () => Date;
}

/** First Wait after CreateStack: stacks take minutes, the first check needn't come sooner. */
export const FIRST_STACK_WAIT = 30;

export async function deployStack(run: RunContext, config: AppConfig, deps: StackDeps): Promise<StackState> {
  const startedAt = deps.now();
  const stackId = await deps.cfn.createStack({
    name: run.stackName,
    templateUrl: config.stack.templateUrl,
    parameters: {
      ...config.stack.parameters,
      ParameterPrefix: run.parameterPrefix,
      DrctlExecution: run.name,
    },
    tags: runTags(run),
    clientRequestToken: run.name,
    // DeleteStack (cleanup) then uses the same role: CloudFormation keeps it with the stack.
    ...(config.stack.roleArn !== undefined && { roleArn: config.stack.roleArn }),
  });
  // createStack returns the id of an existing stack of that name too: check it is this run's.
  const stack = await deps.cfn.describeStack(stackId);
  if (stack) {
    const owner = stack.tags[TAG_EXECUTION];
    if (owner !== run.name) {
      const by = owner ? `created by run '${owner}'` : "not created by drctl";
      const previousFailover =
        run.mode === "failover" && stack.status === "CREATE_COMPLETE"
          ? " It is the DR stack of a previous failover: the recovery region already runs the app; " +
            "fail back and delete it before failing over again."
          : " Delete it or choose another stack name.";
      throw new StackFailed(
        `stack ${run.stackName} already exists (${stack.status}, ${by}) in ${config.regions.recovery}.${previousFailover}`,
      );
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
