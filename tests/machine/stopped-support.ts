/**
 * Runs a scenario in the local sandbox and stops the execution (StopExecution, as from the console
 * or the CLI) the first time a given step's function is invoked; then waits for what the
 * sandbox's EventBridge started in its wake (the aftermath execution) to end.
 */
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { StartExecutionCommand, StopExecutionCommand } from "@aws-sdk/client-sfn";
import { runKeys } from "../../functions/shared/artifacts.js";
import { artifactsPrefixFor } from "../../functions/shared/naming.js";
import { Report } from "../../functions/shared/report/index.js";
import type { Mode } from "../../functions/shared/types.js";
import { runNameFrom } from "../../scripts/sandbox/execution-history.js";
import {
  clients,
  deploymentNames,
  deployToSandbox,
  handlerEnvironment,
  type LocalSandbox,
  startLocalSandbox,
  useHandlerEnvironment,
} from "../../scripts/sandbox/local.js";
import { loadScenario } from "../../scripts/sandbox/scenario.js";
import type { ExecutionRecord } from "../../scripts/sandbox/sfn/execution.js";
import { functionName } from "../../scripts/sandbox/sfn/index.js";
import type { FunctionKey } from "../../state-machines/names.js";

export interface StoppedRun {
  box: LocalSandbox;
  stopped: ExecutionRecord;
  /** Executions the EventBridge rule started after the stop (the aftermath), ended. */
  aftermath: ExecutionRecord[];
  runName: string;
  report: Report | undefined;
  lock: string | undefined;
  close(): Promise<void>;
}

export async function stopMidway(
  scenarioPath: string,
  /** stopAt: the step at whose first invocation the execution is stopped (none: it runs to its end). */
  opts: { mode: Mode; stopAt?: FunctionKey },
): Promise<StoppedRun> {
  const scenario = await loadScenario(scenarioPath);
  const box = await startLocalSandbox(scenario);
  const restoreEnv = useHandlerEnvironment(handlerEnvironment(scenario, box.url));
  const close = async () => {
    restoreEnv();
    await box.close();
  };
  try {
    const stateMachineArn = await deployToSandbox(scenario, box.url);
    const c = clients(scenario, box.url);
    let executionArn = "";
    let stopping: Promise<unknown> | undefined;
    const fn = opts.stopAt && functionName(opts.stopAt);
    const original = fn && box.registry.resolve(fn);
    if (fn && original) {
      box.registry.register(fn, async (input) => {
        const handler = await original();
        stopping ??= c.sfn.send(
          new StopExecutionCommand({
            executionArn,
            error: "Operator.Stop",
            cause: "stopped from the console",
          }),
        );
        return handler(input);
      });
    }
    const started = await c.sfn.send(
      new StartExecutionCommand({
        stateMachineArn,
        name: `${opts.mode}-stopped`,
        input: JSON.stringify({ mode: opts.mode, trigger: "manual" }),
      }),
    );
    executionArn = started.executionArn ?? "";
    const stopped = box.sfn.executionRecords().find((r) => r.executionArn === executionArn);
    if (!stopped) throw new Error("the execution did not start");
    await stopped.done;
    await stopping;
    const aftermath = await settle(box, executionArn);
    const runName = runNameFrom(stopped.history) ?? "";
    const names = deploymentNames(scenario);
    const report = await reportOf(c.s3, names.bucket, runName);
    const lock = box.world.inspect().parameters[`/drctl/lock/${names.app}`];
    return { box, stopped, aftermath, runName, report, lock, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** Waits until every execution started through EventBridge (and what those start) has ended. */
async function settle(box: LocalSandbox, first: string): Promise<ExecutionRecord[]> {
  const seen = new Set<string>([first]);
  for (;;) {
    await box.events.settled();
    const fresh = box.events.deliveries.flatMap((d) =>
      d.executionArn && !seen.has(d.executionArn) ? [d.executionArn] : [],
    );
    if (fresh.length === 0) break;
    for (const arn of fresh) {
      seen.add(arn);
      await box.sfn.executionRecords().find((r) => r.executionArn === arn)?.done;
    }
  }
  seen.delete(first);
  return box.sfn.executionRecords().filter((r) => seen.has(r.executionArn));
}

async function reportOf(
  s3: ReturnType<typeof clients>["s3"],
  bucket: string,
  runName: string,
): Promise<Report | undefined> {
  try {
    const key = runKeys(artifactsPrefixFor(runName)).report;
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return Report.parse(JSON.parse((await out.Body?.transformToString()) ?? ""));
  } catch (e) {
    if ((e as { name?: string }).name === "NoSuchKey") return undefined;
    throw e;
  }
}
