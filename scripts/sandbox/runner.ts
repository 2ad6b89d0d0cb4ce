/**
 * Local runs: the local sandbox (./local.ts) with the real handlers pointed at it
 * (AWS_ENDPOINT_URL), the recovery state machine started through the Step Functions API exactly as
 * on AWS, followed to the end, and the report
 * fetched from the sandbox's artifacts bucket, checked against the scenario's `expect`.
 */
import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { RedriveExecutionCommand, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { runKeys } from "../../functions/shared/artifacts.js";
import { artifactsPrefixFor, compactUtc } from "../../functions/shared/naming.js";
import { Report, renderHtml, renderMarkdown } from "../../functions/shared/report/index.js";
import type { Mode } from "../../functions/shared/types.js";
import { playApprover } from "./approver.js";
import { fullHistory, runNameFrom } from "./execution-history.js";
import { checkExpect } from "./expect-check.js";
import { follow, getText } from "./follow.js";
import { summary } from "./run-summary.js";
import { appName, loadScenario, type Scenario, ScenarioError } from "./scenario.js";
import type { World } from "./world/index.js";

export { checkExpect } from "./expect-check.js";

export const DEFAULT_SCENARIO = "scenarios/shop-drill.yaml";

import {
  clients,
  deploymentNames,
  deployToSandbox,
  handlerEnvironment,
  startLocalSandbox,
  useHandlerEnvironment,
} from "./local.js";

export {
  clients,
  DR_APP_TEMPLATE,
  deploymentNames,
  deployToSandbox,
  handlerEnvironment,
  type LocalSandbox,
  preloadHandlers,
  type SandboxOptions,
  sandboxConfig,
  sandboxRoutes,
  startLocalSandbox,
  useHandlerEnvironment,
} from "./local.js";

// ---- The drill --------------------------------------------------------------------------------

export interface LocalDrillOptions {
  scenarioPath: string;
  /** Default <reportsDir>/<run name>/ */
  outDir?: string;
  /** Where the default report folder goes (default ./drill-reports). */
  reportsDir?: string;
  port?: number;
  quiet?: boolean;
  verbose?: boolean;
  /** Overrides the scenario's mode (drctl failover --local). */
  mode?: Mode;
  /** Plan only (drctl plan --local). */
  dryRun?: boolean;
  /** Where progress and the summary go (default stdout). */
  print?: (line: string) => void;
  /** Abandon the run after this much real time (default 120 s). */
  wallTimeoutMs?: number;
  /** IAM enforcement (default on; `--no-iam` = false). */
  iam?: boolean;
  /** RedriveExecution of an unsuccessful execution, up to this many times (default 0). */
  redrives?: number;
}

export interface LocalDrillResult {
  exitCode: 0 | 1 | 2;
  executionName?: string;
  executionArn?: string;
  status?: string;
  /** The execution's error and cause when it did not succeed. */
  error?: string;
  cause?: string;
  report?: Report;
  /** Problems found in the report (contract) or while fetching it. */
  problems: string[];
  outDir?: string;
  /** The world after the run (tests inspect DNS, leftovers, calls). */
  world?: World;
  runName?: string;
  wallSeconds: number;
}

/**
 * A fresh execution name per local run, `<mode>-<app>-<yyyymmddThhmmssZ>-<8 random hex>` (at most
 * 80 characters, the StartExecution limit): runs of the same scenario, or of scenarios with the
 * same app and start, never share an execution, so never a run name or a report folder.
 */
export function executionNameFor(mode: Mode, scenario: Scenario): string {
  const tail = `-${compactUtc(new Date(scenario.start))}-${randomBytes(4).toString("hex")}`;
  return `${`${mode}-${appName(scenario)}`.slice(0, 80 - tail.length)}${tail}`;
}

export async function runLocalDrill(opts: LocalDrillOptions): Promise<LocalDrillResult> {
  const wallStart = performance.now();
  const wall = () => Math.round((performance.now() - wallStart) / 10) / 100;
  const print = opts.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const say = (line: string) => {
    if (!opts.quiet) print(line);
  };
  let scenario: Scenario;
  try {
    scenario = await loadScenario(opts.scenarioPath);
  } catch (e) {
    if (e instanceof ScenarioError) {
      print(e.message);
      return { exitCode: 2, problems: [e.message], wallSeconds: wall() };
    }
    throw e;
  }
  const mode: Mode = opts.mode ?? scenario.mode;
  const sandbox = await startLocalSandbox(scenario, {
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.iam !== undefined ? { iam: opts.iam } : {}),
  });
  const restoreEnv = useHandlerEnvironment(handlerEnvironment(scenario, sandbox.url, opts.verbose));
  try {
    const stateMachineArn = await deployToSandbox(scenario, sandbox.url);
    const c = clients(scenario, sandbox.url);
    const name = executionNameFor(mode, scenario);
    const approvals = playApprover(sandbox, scenario, c.sfn);
    const input = { mode, trigger: scenario.trigger, ...(opts.dryRun ? { dryRun: true } : {}) };
    const started = await c.sfn.send(
      new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }),
    );
    const executionArn = started.executionArn as string;
    say(
      `drctl ${opts.dryRun ? "plan" : mode} (local) · scenario ${scenario.name} · execution ${name}` +
        (opts.iam === false ? " · IAM off" : ""),
    );
    let final = await follow(c.sfn, executionArn, scenario, say, opts.wallTimeoutMs ?? 120_000);
    for (let n = 1; n <= (opts.redrives ?? 0) && final.status !== "SUCCEEDED"; n++) {
      await c.sfn.send(new RedriveExecutionCommand({ executionArn }));
      say(`redriven (${n}) after ${final.status} ${final.error ?? ""}`.trimEnd());
      final = await follow(c.sfn, executionArn, scenario, say, opts.wallTimeoutMs ?? 120_000);
    }
    const history = await fullHistory(c.sfn, executionArn);
    const run = runNameFrom(history) ?? name;
    const problems: string[] = [];
    for (const line of approvals) say(`  ${line}`);
    for (const rec of sandbox.sfn.executionRecords()) {
      for (const w of rec.warnings) problems.push(`sfn emulation: ${w}`);
    }
    const keys = runKeys(artifactsPrefixFor(run));
    const bucket = deploymentNames(scenario).bucket;
    const text = await getText(c.s3, bucket, keys.report);
    let report: Report | undefined;
    if (text === undefined) {
      problems.push(`no report at s3://${bucket}/${keys.report}`);
    } else {
      const parsed = Report.safeParse(JSON.parse(text));
      if (parsed.success) report = parsed.data;
      else {
        problems.push(`report.json does not follow the contract: ${parsed.error.message}`);
        report = JSON.parse(text) as Report;
      }
    }
    const wallSeconds = wall();
    const result: LocalDrillResult = {
      exitCode: 1,
      executionName: name,
      executionArn,
      status: final.status ?? "UNKNOWN",
      ...(final.error !== undefined ? { error: final.error } : {}),
      ...(final.cause !== undefined ? { cause: final.cause } : {}),
      problems,
      world: sandbox.world,
      runName: run,
      wallSeconds,
    };
    let held: boolean;
    if (report) {
      report.execution.local = true;
      report.wallSeconds = wallSeconds;
      // The scenario's expect describes a full run in the scenario's own mode.
      const applies = !opts.dryRun && mode === scenario.mode;
      const expectation = applies ? checkExpect(scenario, report, sandbox.world.leftovers(run)) : undefined;
      if (expectation) report.expect = expectation;
      held = expectation ? expectation.held : report.outcome === "SUCCEEDED";
      result.report = report;
    } else {
      held = false;
    }
    if (final.status !== "SUCCEEDED" && final.status !== "FAILED") {
      problems.push(`execution ended ${final.status}: ${final.error ?? ""} ${final.cause ?? ""}`.trim());
      held = false;
    }
    const outDir = resolve(opts.outDir ?? join(opts.reportsDir ?? "drill-reports", run));
    await mkdir(outDir, { recursive: true });
    if (report) {
      await writeFile(join(outDir, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
      await writeFile(
        join(outDir, "report.md"),
        renderSafely(() => renderMarkdown(report), keys.markdown, problems),
      );
      await writeFile(
        join(outDir, "report.html"),
        renderSafely(() => renderHtml(report), keys.html, problems),
      );
    } else {
      await writeFile(join(outDir, "history.json"), `${JSON.stringify(history, null, 2)}\n`);
    }
    result.outDir = outDir;
    summary(print, final, report, problems, outDir, opts.quiet === true);
    result.exitCode = held && problems.length === 0 ? 0 : 1;
    return result;
  } finally {
    restoreEnv();
    await sandbox.close();
  }
}

function renderSafely(render: () => string, key: string, problems: string[]): string {
  try {
    return render();
  } catch (e) {
    problems.push(`rendering ${key} failed: ${(e as Error).message}`);
    return "";
  }
}
