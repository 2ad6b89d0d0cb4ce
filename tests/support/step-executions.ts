/**
 * Step Functions in a step's World (tests/support/step-world.ts): the sandbox's SFN emulation
 * (scripts/sandbox/sfn/) registered as the World's "sfn" service, so a step's Step Functions calls
 * (DescribeExecution of the lock's holder) are answered behind the same endpoint, IAM, call faults
 * and request records as its other calls, and the per-app lock lives in the World's SSM.
 *
 * Executions are real executions of the emulation, of a small state machine deployed under the
 * orchestrator's name (`drctl-<app>`: the step roles may describe that state machine's executions
 * only) with the recovery state machine's TimeoutSeconds: an execution's input names the status it
 * ends in, or `RUNNING` (a Wait longer than the timeout). The scheduler is paced and never moves the
 * clock itself: as in the rest of the step World, the test moves it (`w.advance`), and a held
 * execution times out once the clock passed its TimeoutSeconds.
 */
import { SFNClient } from "@aws-sdk/client-sfn";
import { type SfnApi, sfnApi } from "../../functions/shared/aws/sfn.js";
import { type LockHolder, parseLock } from "../../functions/shared/lock.js";
import { lockParameter } from "../../functions/shared/naming.js";
import { TAG_APP } from "../../functions/shared/types.js";
import { SfnBackend } from "../../scripts/sandbox/sfn/backend.js";
import { LambdaRegistry } from "../../scripts/sandbox/sfn/lambda-registry.js";
import { Scheduler, timeSourceOf } from "../../scripts/sandbox/sfn/scheduler.js";
import type { FunctionKey } from "../../state-machines/names.js";
import { EXECUTION_TIMEOUT_SECONDS } from "../../state-machines/tasks.asl.js";
import { type StepWorld, stepClient } from "./step-world.js";

/** The statuses an execution of the World can be given (DescribeExecution `status`). */
export type ExecutionEnd = "RUNNING" | "SUCCEEDED" | "FAILED" | "ABORTED" | "TIMED_OUT";

/** The error and cause a FAILED execution ends with. */
export const FAILED_WITH = { error: "IntegrationFailed", cause: "orders-db (rds): denied" };

/**
 * Stand-in for the recovery state machine: a Choice on `$.status` (SUCCEEDED, FAILED), otherwise a
 * Wait that outlasts the execution's TimeoutSeconds (RUNNING until StopExecution or the timeout).
 */
export const HOLDER_DEFINITION = {
  Comment: "drctl step tests: an execution that ends in, or stays in, the status its input names",
  TimeoutSeconds: EXECUTION_TIMEOUT_SECONDS,
  StartAt: "Status",
  States: {
    Status: {
      Type: "Choice",
      Choices: [
        { Variable: "$.status", StringEquals: "SUCCEEDED", Next: "Succeeded" },
        { Variable: "$.status", StringEquals: "FAILED", Next: "Failed" },
      ],
      Default: "Running",
    },
    Running: { Type: "Wait", Seconds: EXECUTION_TIMEOUT_SECONDS + 1, End: true },
    Succeeded: { Type: "Succeed" },
    Failed: { Type: "Fail", Error: FAILED_WITH.error, Cause: FAILED_WITH.cause },
  },
};

/** An execution in the World: what its context object gives (`$$.Execution.Id/Name/StartTime`). */
export interface WorldExecution {
  executionArn: string;
  name: string;
  startDate: Date;
  /** `{ id, name, startTime }`, as ValidateInput's event carries the context object's facts. */
  context: { id: string; name: string; startTime: string };
}

export interface StepExecutions {
  /** The state machine `drctl-<app>` (the stand-in definition). */
  stateMachineArn: string;
  /**
   * Starts an execution and brings it to `status`: SUCCEEDED and FAILED by its definition, ABORTED
   * by StopExecution, TIMED_OUT by moving the World's clock over the execution's TimeoutSeconds (every
   * other RUNNING execution then times out too).
   */
  start(status: ExecutionEnd, name?: string): Promise<WorldExecution>;
  /** An execution ARN of the state machine that names no execution. */
  unknownArn(name?: string): string;
  /** The product's Step Functions wrapper on a client signed as `step` (its IAM, faults, requests). */
  sfn(step: FunctionKey): SfnApi;
  close(): Promise<void>;
}

/** Registers the SFN emulation in `w`'s World and deploys the stand-in state machine. */
export async function stepExecutions(w: StepWorld): Promise<StepExecutions> {
  const scheduler = new Scheduler(timeSourceOf(w.clock), { kind: "paced", tickMs: 5 });
  const backend = new SfnBackend({ account: w.scenario.account, scheduler, registry: new LambdaRegistry() });
  w.world.register("sfn", backend);
  const created = await w.seed("sfn", "CreateStateMachine", {
    name: w.names.stateMachineName,
    definition: JSON.stringify(HOLDER_DEFINITION),
    roleArn: w.names.orchestratorRoleArn,
  });
  const stateMachineArn = created.stateMachineArn as string;
  const executionArn = (name: string) =>
    `${stateMachineArn.replace(":stateMachine:", ":execution:")}:${name}`;
  let count = 0;
  const recordOf = (arn: string) => backend.executionRecords().find((r) => r.executionArn === arn);
  return {
    stateMachineArn,
    async start(status, name = `run-${++count}`) {
      const started = await w.seed("sfn", "StartExecution", {
        stateMachineArn,
        name,
        input: JSON.stringify({ status }),
      });
      const arn = started.executionArn as string;
      const startDate = started.startDate as Date;
      if (status === "ABORTED") await w.seed("sfn", "StopExecution", { executionArn: arn });
      if (status === "TIMED_OUT") w.advance(EXECUTION_TIMEOUT_SECONDS);
      if (status !== "RUNNING") await recordOf(arn)?.done;
      const { status: reached } = await w.seed("sfn", "DescribeExecution", { executionArn: arn });
      if (reached !== status) throw new Error(`execution ${name} is ${String(reached)}, not ${status}`);
      return {
        executionArn: arn,
        name,
        startDate,
        context: { id: arn, name, startTime: startDate.toISOString() },
      };
    },
    unknownArn: (name = `never-started-${++count}`) => executionArn(name),
    sfn: (step) => sfnApi(stepClient(w, step, SFNClient, "SFN")),
    async close() {
      backend.stopAll();
      scheduler.close();
    },
  };
}

/**
 * The per-app lock in the World's SSM, as a run's ValidateInput puts it (Overwrite=false, the app's
 * tag): `/drctl/lock/<app>` naming `holder`, or `value` verbatim (a lock value that is not a drctl
 * lock document). Seed calls: not the step's.
 */
export async function putLock(w: StepWorld, holder: LockHolder | string, name = lockParameter(w.names.app)) {
  await w.seed("ssm", "PutParameter", {
    Name: name,
    Value: typeof holder === "string" ? holder : JSON.stringify(holder),
    Type: "String",
    Overwrite: false,
    Tags: [{ Key: TAG_APP, Value: w.names.app }],
  });
}

/** The value of an SSM parameter of the World (default: the app's lock); undefined when there is none. */
export async function parameterValue(w: StepWorld, name = lockParameter(w.names.app)) {
  try {
    const out = await w.seed("ssm", "GetParameter", { Name: name });
    return (out.Parameter as { Value?: string } | undefined)?.Value;
  } catch (error) {
    if ((error as { code?: string }).code === "ParameterNotFound") return undefined;
    throw error;
  }
}

/** The World's lock, parsed (undefined: no lock, or not a drctl lock document). */
export const worldLock = async (w: StepWorld) => parseLock(await parameterValue(w));

/** Deletes an SSM parameter of the World if it exists (default: the app's lock: a run ended). */
export async function deleteParameter(w: StepWorld, name = lockParameter(w.names.app)) {
  if ((await parameterValue(w, name)) !== undefined) await w.seed("ssm", "DeleteParameter", { Name: name });
}
