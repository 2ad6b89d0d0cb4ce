/**
 * ValidateInput: checks the execution input, resolves the app and its configuration, derives the
 * run's names (unique per execution), and takes the per-app recovery lock (not for dry runs;
 * functions/shared/lock.ts).
 */
import * as z from "zod";
import { approvalGate } from "../shared/approval.js";
import type { ArtifactStore } from "../shared/artifacts.js";
import { loadConfig } from "../shared/artifacts.js";
import type { SfnApi } from "../shared/aws/sfn.js";
import type { SsmApi } from "../shared/aws/ssm.js";
import { describeIssues } from "../shared/config.js";
import { ConfigInvalid, InputInvalid } from "../shared/errors.js";
import { takeLock } from "../shared/lock.js";
import { logger } from "../shared/logger.js";
import {
  artifactsPrefixFor,
  parameterPrefixFor,
  runName,
  runSuffix,
  stackNameFor,
} from "../shared/naming.js";
import { ExecutionInput, type RunContext } from "../shared/types.js";

/** What ValidateInput receives: the raw execution input plus the context object's facts. */
export const ValidateInputEvent = z.object({
  input: z.unknown(),
  execution: z.object({ id: z.string(), name: z.string(), startTime: z.string() }),
});
export type ValidateInputEvent = z.infer<typeof ValidateInputEvent>;

export interface ValidateInputDeps {
  store: ArtifactStore;
  /** SSM in the orchestrator's region (where the lock lives). */
  ssm: SsmApi;
  /** Step Functions (DescribeExecution of a lock's holder). */
  sfn: SfnApi;
  defaultApp: string;
  local: boolean;
}

function parseTime(value: string, field: string): Date {
  const time = new Date(value);
  if (Number.isNaN(time.getTime()))
    throw new InputInvalid(`${field}: not a date-time (got ${JSON.stringify(value)})`);
  return time;
}

export async function validateInput(event: ValidateInputEvent, deps: ValidateInputDeps): Promise<RunContext> {
  const parsed = ExecutionInput.safeParse(event.input);
  if (!parsed.success) {
    throw new InputInvalid(`execution input: ${describeIssues(parsed.error, event.input)}`);
  }
  const input = parsed.data;
  if (input.replaceStack && input.mode !== "failover") {
    throw new InputInvalid(
      "replaceStack: applies to a failover only (a drill never takes over another run's stack)",
    );
  }
  const app = input.app ?? deps.defaultApp;
  const config = await loadConfig(deps.store, app);
  if (config.app !== app) {
    throw new ConfigInvalid(`config/${app}.json: app is '${config.app}', expected '${app}'`);
  }

  const startedAt = parseTime(event.execution.startTime, "execution.startTime");
  const restoreTo = input.restoreTo ? parseTime(input.restoreTo, "restoreTo") : startedAt;
  if (restoreTo.getTime() > startedAt.getTime()) {
    throw new InputInvalid(
      `restoreTo: ${restoreTo.toISOString()} is in the future (the execution started at ${startedAt.toISOString()})`,
    );
  }

  const name = runName(input.mode, app, startedAt, event.execution.id);
  const suffix = runSuffix(event.execution.id);
  const run: RunContext = {
    name,
    executionArn: event.execution.id,
    mode: input.mode,
    trigger: input.trigger,
    app,
    startedAt: startedAt.toISOString(),
    restoreTo: restoreTo.toISOString(),
    dryRun: input.dryRun,
    force: input.force,
    ...(input.replaceStack && { replaceStack: true }),
    local: deps.local,
    artifactsPrefix: artifactsPrefixFor(name),
    parameterPrefix: parameterPrefixFor(input.mode, name),
    stackName: stackNameFor(config.stack.name, input.mode, suffix),
    suffix,
  };
  const approval = approvalGate(run, config.approval);
  if (approval) run.approval = approval;
  if (!run.dryRun) await takeLock(deps, run);
  logger.info("run context", { run });
  return run;
}
