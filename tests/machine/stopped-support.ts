/**
 * Runs executions in one local sandbox: optionally stops one (StopExecution, as from the console
 * or the CLI) the first time a given step's function is invoked, then waits for what the sandbox's
 * EventBridge started in its wake (the aftermath execution) to end.
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

export interface Sandbox {
  box: LocalSandbox;
  c: ReturnType<typeof clients>;
  stateMachineArn: string;
  names: ReturnType<typeof deploymentNames>;
  close(): Promise<void>;
}

export interface StoppedRun {
  box: LocalSandbox;
  stopped: ExecutionRecord;
  /** Executions the EventBridge rule started after it ended (the aftermath), ended. */
  aftermath: ExecutionRecord[];
  runName: string;
  report: Report | undefined;
  lock: string | undefined;
  close(): Promise<void>;
}

export async function openSandbox(scenarioPath: string): Promise<Sandbox> {
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
    return { box, c, stateMachineArn, names: deploymentNames(scenario), close };
  } catch (e) {
    await close();
    throw e;
  }
}

/**
 * Starts an execution (input `{mode, trigger: "manual", ...input}`), stops it at the first
 * invocation of `stopAt` if given, and waits for it and its aftermath to end.
 */
export async function runIn(
  s: Sandbox,
  opts: { mode: Mode; name: string; stopAt?: FunctionKey; input?: Record<string, unknown> },
): Promise<StoppedRun> {
  const { box, c } = s;
  let executionArn = "";
  let stopping: Promise<unknown> | undefined;
  const fn = opts.stopAt && functionName(opts.stopAt);
  const original = fn && box.registry.resolve(fn);
  if (fn && original) {
    box.registry.register(fn, async (input) => {
      const handler = await original();
      stopping ??= c.sfn.send(
        new StopExecutionCommand({ executionArn, error: "Operator.Stop", cause: "stopped from the console" }),
      );
      return handler(input);
    });
  }
  const started = await c.sfn.send(
    new StartExecutionCommand({
      stateMachineArn: s.stateMachineArn,
      name: opts.name,
      input: JSON.stringify({ mode: opts.mode, trigger: "manual", ...opts.input }),
    }),
  );
  executionArn = started.executionArn ?? "";
  const stopped = box.sfn.executionRecords().find((r) => r.executionArn === executionArn);
  if (!stopped) throw new Error("the execution did not start");
  await stopped.done;
  await stopping;
  if (fn && original) box.registry.registerLazy(fn, original);
  const aftermath = await settle(box, executionArn);
  const runName = runNameFrom(stopped.history) ?? "";
  const report = await reportOf(c.s3, s.names.bucket, runName);
  const lock = box.world.inspect().parameters[`/drctl/lock/${s.names.app}`];
  return { box, stopped, aftermath, runName, report, lock, close: s.close };
}

/** One sandbox, one execution (stopped at `stopAt`, if given). */
export async function stopMidway(
  scenarioPath: string,
  opts: { mode: Mode; stopAt?: FunctionKey },
): Promise<StoppedRun> {
  const s = await openSandbox(scenarioPath);
  try {
    return await runIn(s, { ...opts, name: `${opts.mode}-stopped` });
  } catch (e) {
    await s.close();
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
