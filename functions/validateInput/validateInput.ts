/**
 * ValidateInput: checks the execution input, resolves the app and its configuration, derives the
 * run's deterministic names, and takes the per-app recovery lock (not for dry runs).
 */
import { approvalGate } from "../shared/approval.js";
import type { ArtifactStore } from "../shared/artifacts.js";
import { loadConfig } from "../shared/artifacts.js";
import type { SsmApi } from "../shared/aws/ssm.js";
import { describeIssues } from "../shared/config.js";
import { ConfigInvalid, InputInvalid, RecoveryInProgress } from "../shared/errors.js";
import { logger } from "../shared/logger.js";
import {
  artifactsPrefixFor,
  lockParameter,
  parameterPrefixFor,
  runName,
  runSuffix,
  stackNameFor,
} from "../shared/naming.js";
import { ExecutionInput, type RunContext, TAG_APP, type ValidateInputEvent } from "../shared/types.js";

export interface ValidateInputDeps {
  store: ArtifactStore;
  /** SSM in the orchestrator's region (where the lock lives). */
  ssm: SsmApi;
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

  const name = runName(input.mode, app, startedAt);
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
    local: deps.local,
    artifactsPrefix: artifactsPrefixFor(name),
    parameterPrefix: parameterPrefixFor(input.mode, name),
    stackName: stackNameFor(config.stack.name, input.mode, suffix),
    suffix,
  };
  const approval = approvalGate(run, config.approval);
  if (approval) run.approval = approval;
  if (!run.dryRun) await takeLock(deps.ssm, run);
  logger.info("run context", { run });
  return run;
}

/** Puts /drctl/lock/<app> = run name (Overwrite=false); a retry of the same run finds its own name. */
export async function takeLock(ssm: SsmApi, run: RunContext): Promise<void> {
  const parameter = lockParameter(run.app);
  const description = `drctl recovery lock of ${run.app}, held by ${run.executionArn}`;
  for (let attempt = 0; attempt < 2; attempt++) {
    const put = await ssm.putParameter(parameter, run.name, {
      overwrite: false,
      tags: { [TAG_APP]: run.app },
      description,
    });
    if (put !== "exists") return;
    const holder = await ssm.getParameter(parameter);
    if (holder === undefined) continue; // released between the two calls: try again
    if (holder === run.name) return; // this run's own lock (retried invocation)
    if (!run.force) {
      throw new RecoveryInProgress(
        `app '${run.app}' is locked by run '${holder}' (SSM parameter ${parameter}); ` +
          "wait for it to finish, or start again with force=true to take the lock over",
      );
    }
    logger.warn("force: taking the recovery lock over", { parameter, holder, run: run.name });
    await ssm.putParameter(parameter, run.name, { overwrite: true, description });
    return;
  }
  throw new RecoveryInProgress(`could not take the recovery lock ${parameter}: it keeps changing hands`);
}
