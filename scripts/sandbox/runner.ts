/**
 * Local runs: the scenario's world + virtual clock + SFN emulation behind the sandbox HTTP server,
 * the real handlers pointed at it (AWS_ENDPOINT_URL), the recovery state machine deployed and
 * started through the Step Functions API exactly as on AWS, followed to the end, and the report
 * fetched from the sandbox's artifacts bucket, checked against the scenario's `expect`.
 */
import { mkdir, writeFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join, resolve } from "node:path";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  type DescribeExecutionOutput,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SFNClient,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import { resetApis } from "../../functions/shared/apis.js";
import { runKeys } from "../../functions/shared/artifacts.js";
import { useClock } from "../../functions/shared/clock.js";
import { AppConfig, type AppConfigInput, configKey } from "../../functions/shared/config.js";
import { resetEnvCache } from "../../functions/shared/env.js";
import { artifactsPrefixFor, runName } from "../../functions/shared/naming.js";
import { Report, renderHtml, renderMarkdown } from "../../functions/shared/report/index.js";
import type { Mode } from "../../functions/shared/types.js";
import { PHASES } from "../../state-machines/names.js";
import { renderDefinition } from "../../state-machines/recovery.asl.js";
import { VirtualClock } from "./clock.js";
import { configFromScenario } from "./config-from-scenario.js";
import { installClientScope } from "./iam/principals.js";
import { appName, loadScenario, type Scenario, ScenarioError } from "./scenario.js";
import { type SandboxServer, startServer } from "./server.js";
import { SfnBackend } from "./sfn/backend.js";
import { bindDrctlFunctions, functionArn } from "./sfn/drctl-functions.js";
import { LambdaRegistry } from "./sfn/lambda-registry.js";
import { Scheduler, timeSourceOf } from "./sfn/scheduler.js";
import { createWorld, type World } from "./world/index.js";

export const DEFAULT_SCENARIO = "scenarios/shop-drill.yaml";

// ---- The sandbox ------------------------------------------------------------------------------

/** Names of the drctl deployment in a scenario's account (as the CDK app names them). */
export function deploymentNames(scenario: Scenario) {
  const app = appName(scenario);
  const region = scenario.regions.recovery;
  const account = scenario.account;
  return {
    app,
    region,
    account,
    stateMachineName: `drctl-${app}`,
    bucket: `drctl-artifacts-${account}-${region}`,
    orchestratorRoleArn: `arn:aws:iam::${account}:role/drctl-orchestrator`,
    restoreRoleArn: `arn:aws:iam::${account}:role/drctl-restore`,
    topicArn: `arn:aws:sns:${region}:${account}:drctl-${app}`,
    /** The DR app stack's template (the sandbox does not fetch it). */
    templateUrl: `https://s3.${region}.amazonaws.com/drctl-artifacts-${account}-${region}/templates/${scenario.app.stackName}.yaml`,
  };
}

/** The app configuration the sandbox uploads (config/<app>.json) and the IAM policies derive from. */
export const sandboxConfig = (scenario: Scenario): AppConfigInput =>
  configFromScenario(scenario, { templateUrl: deploymentNames(scenario).templateUrl });

export interface LocalSandbox {
  scenario: Scenario;
  clock: VirtualClock;
  world: World;
  scheduler: Scheduler;
  sfn: SfnBackend;
  registry: LambdaRegistry;
  server: SandboxServer;
  url: string;
  /** Paced: lets simulated time flow from now on (no-op when it already does, or when instant). */
  startClock(): void;
  close(): Promise<void>;
}

export interface SandboxOptions {
  port?: number;
  /** Simulated seconds per real second (standalone server); omitted = instant (drills). */
  speed?: number;
  /** Paced: the clock stays at the scenario's start until startClock() (the server is ready). */
  holdClock?: boolean;
  /**
   * IAM enforcement (default on): the step functions' calls are authorized against their roles'
   * policies as the CDK app synthesizes them. false = every call is allowed (`--no-iam`).
   */
  iam?: boolean;
}

/** `/_sandbox/health/<region>/<stack>`: the DR app's health URL (the stack's HealthUrl output). */
export function sandboxRoutes(world: World) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const m = /^\/_sandbox\/health\/([a-z0-9-]+)\/([^/?]+)/.exec(req.url ?? "");
    if (!m) return false;
    const answer = world.health(m[1] as string, decodeURIComponent(m[2] as string));
    const body = JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
    });
    res.end(body);
    return true;
  };
}

export async function startLocalSandbox(
  scenario: Scenario,
  opts: SandboxOptions = {},
): Promise<LocalSandbox> {
  const clock = new VirtualClock(scenario.start);
  const paced = opts.speed !== undefined && opts.speed > 0;
  const scheduler = new Scheduler(timeSourceOf(clock), paced ? { kind: "paced" } : { kind: "instant" });
  const registry = bindDrctlFunctions(new LambdaRegistry());
  const sfn = new SfnBackend({ account: scenario.account, scheduler, registry });
  const world = createWorld(scenario, clock, { port: opts.port ?? 0 });
  world.register("sfn", sfn);
  if (opts.iam !== false) {
    const { sandboxIam } = await import("./iam/setup.js");
    world.useIam(sandboxIam(AppConfig.parse(sandboxConfig(scenario)), deploymentNames(scenario)));
  }
  // Each handler invocation signs with its own function's credentials (as on AWS).
  const removeClientScope = installClientScope();
  const server = await startServer({
    backend: world,
    port: opts.port ?? 0,
    extraRoutes: sandboxRoutes(world),
  });
  world.setPort(server.port);
  let stopWall: (() => void) | undefined;
  const startClock = () => {
    if (paced && !stopWall) stopWall = clock.runWithWall(opts.speed);
  };
  if (!opts.holdClock) startClock();
  // The handlers run in this process: their "now" is the sandbox's clock.
  useClock(() => clock.now());
  return {
    scenario,
    clock,
    world,
    scheduler,
    sfn,
    registry,
    server,
    url: server.url,
    startClock,
    close: async () => {
      sfn.stopAll();
      useClock(undefined);
      removeClientScope();
      scheduler.close();
      stopWall?.();
      await server.close();
    },
  };
}

/**
 * Loads every registered handler module now (after useHandlerEnvironment): in a paced sandbox a
 * first-invocation import would run on the flowing clock and cost minutes of simulated time.
 * A module that fails to load is left for its first invocation, which reports the error.
 */
export async function preloadHandlers(registry: LambdaRegistry): Promise<void> {
  await Promise.all(
    registry.names().map((name) =>
      registry
        .resolve(name)?.()
        .catch(() => undefined),
    ),
  );
}

/** Environment of the step handlers (what the CDK construct sets on AWS, pointed at the sandbox). */
export function handlerEnvironment(scenario: Scenario, url: string, verbose = false): Record<string, string> {
  const n = deploymentNames(scenario);
  return {
    AWS_ENDPOINT_URL: url,
    AWS_REGION: n.region,
    AWS_DEFAULT_REGION: n.region,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    ARTIFACTS_BUCKET: n.bucket,
    DRCTL_LOCAL: "true",
    DEFAULT_APP: n.app,
    RESTORE_ROLE_ARN: n.restoreRoleArn,
    SNS_TOPIC_ARN: n.topicArn,
    POWERTOOLS_LOG_LEVEL: verbose ? "INFO" : "SILENT",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  };
}

/** Sets the handlers' environment in this process; returns a function that restores the old one. */
export function useHandlerEnvironment(env: Record<string, string>): () => void {
  const saved = new Map<string, string | undefined>();
  for (const [k, v] of Object.entries(env)) {
    saved.set(k, process.env[k]);
    process.env[k] = v;
  }
  resetApis();
  resetEnvCache();
  return () => {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    resetApis();
    resetEnvCache();
  };
}

function clients(scenario: Scenario, url: string) {
  const region = scenario.regions.recovery;
  const credentials = { accessKeyId: "test", secretAccessKey: "test" };
  return {
    sfn: new SFNClient({ region, endpoint: url, credentials }),
    s3: new S3Client({ region, endpoint: url, credentials, forcePathStyle: true }),
  };
}

/**
 * Uploads config/<app>.json and creates the recovery state machine through the Step Functions
 * API (same definition as the CDK stack, function ARNs drctl-<fn>). Returns the state machine ARN.
 */
export async function deployToSandbox(scenario: Scenario, url: string): Promise<string> {
  const n = deploymentNames(scenario);
  const c = clients(scenario, url);
  await c.s3.send(
    new PutObjectCommand({
      Bucket: n.bucket,
      Key: configKey(n.app),
      Body: `${JSON.stringify(sandboxConfig(scenario), null, 2)}\n`,
      ContentType: "application/json",
    }),
  );
  const definition = renderDefinition((fn) => functionArn(n.region, n.account, fn));
  const out = await c.sfn.send(
    new CreateStateMachineCommand({
      name: n.stateMachineName,
      definition: JSON.stringify(definition),
      roleArn: n.orchestratorRoleArn,
      type: "STANDARD",
    }),
  );
  if (!out.stateMachineArn) throw new Error("CreateStateMachine returned no stateMachineArn");
  return out.stateMachineArn;
}

// ---- The drill --------------------------------------------------------------------------------

export interface LocalDrillOptions {
  scenarioPath: string;
  /** Default ./drill-reports/<execution name>/ */
  outDir?: string;
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

/** `drill-shop-20260301T0900Z`: mode, app and the (virtual) start, to the minute. */
export const executionNameFor = (mode: Mode, scenario: Scenario): string =>
  runName(mode, appName(scenario), new Date(scenario.start));

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
    const input = { mode, trigger: "manual", ...(opts.dryRun ? { dryRun: true } : {}) };
    const started = await c.sfn.send(
      new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }),
    );
    const executionArn = started.executionArn as string;
    say(
      `drctl ${opts.dryRun ? "plan" : mode} (local) · scenario ${scenario.name} · execution ${name}` +
        (opts.iam === false ? " · IAM off" : ""),
    );
    const final = await follow(c.sfn, executionArn, scenario, say, opts.wallTimeoutMs ?? 120_000);
    const history = await fullHistory(c.sfn, executionArn);
    const run = runNameFrom(history) ?? name;
    const problems: string[] = [];
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
    const outDir = resolve(opts.outDir ?? join("drill-reports", name));
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

/** Compares the outcome with the scenario's `expect` (undefined when it has none). */
export function checkExpect(
  scenario: Scenario,
  report: Report,
  worldLeftovers: string[],
): { held: boolean; failures: string[] } | undefined {
  const e = scenario.expect;
  if (!e) return undefined;
  const failures: string[] = [];
  if (e.outcome !== undefined && report.outcome !== e.outcome) {
    failures.push(`outcome: expected ${e.outcome}, got ${report.outcome}`);
  }
  if (e.failedStep !== undefined && report.failedStep !== e.failedStep) {
    failures.push(`failedStep: expected ${e.failedStep ?? "null"}, got ${report.failedStep ?? "null"}`);
  }
  if (e.dnsChanged !== undefined && report.dns.changed !== e.dnsChanged) {
    failures.push(`dnsChanged: expected ${e.dnsChanged}, got ${report.dns.changed}`);
  }
  if (e.leftovers !== undefined) {
    const reported = report.cleanup?.leftovers ?? [];
    if (reported.length !== e.leftovers) {
      failures.push(
        `leftovers: expected ${e.leftovers}, the report lists ${reported.length} (${reported.join(", ")})`,
      );
    }
    if (worldLeftovers.length !== e.leftovers) {
      failures.push(
        `leftovers: expected ${e.leftovers}, the sandbox still holds ${worldLeftovers.length} (${worldLeftovers.join(", ")})`,
      );
    }
  }
  return { held: failures.length === 0, failures };
}

// ---- Following the execution --------------------------------------------------------------------

async function follow(
  sfn: SFNClient,
  executionArn: string,
  scenario: Scenario,
  say: (line: string) => void,
  timeoutMs: number,
): Promise<DescribeExecutionOutput> {
  const deadline = Date.now() + timeoutMs;
  const t0 = Date.parse(scenario.start);
  let lastLine = "";
  let seen = 0;
  let phase = "start";
  let restores = "";
  let at = t0;
  for (;;) {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    // New events since the last poll: the phase of the latest state, restore progress, the clock.
    const page = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 60 }),
    );
    const fresh = (page.events ?? []).filter((e) => (e.id ?? 0) > seen).reverse();
    for (const e of fresh) {
      seen = Math.max(seen, e.id ?? 0);
      if (e.timestamp) at = e.timestamp.getTime();
      const state = e.stateEnteredEventDetails?.name;
      if (state)
        phase =
          phaseOf(state) ?? (state.startsWith("FailedAt") || state.includes("Failure") ? "failure" : phase);
      const progress = restoreProgress(e);
      if (progress) restores = progress;
    }
    const line =
      `  [T+${clockText((at - t0) / 1000)}] ${phase.padEnd(9)} ${restores ? `restores ${restores}` : ""}`.trimEnd();
    if (line !== lastLine) {
      say(line);
      lastLine = line;
    }
    if (d.status !== "RUNNING") return d;
    if (Date.now() > deadline) {
      throw new Error(
        `the execution did not finish within ${timeoutMs / 1000} s of real time (${executionArn})`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

const STATE_PHASE = new Map<string, string>(
  PHASES.flatMap(([phase, states]) => states.map((s) => [s, phase])),
);

function phaseOf(state: string): string | undefined {
  return STATE_PHASE.get(state);
}

function restoreProgress(e: HistoryEvent): string | undefined {
  const out = e.taskSucceededEventDetails?.output;
  if (!out?.includes('"jobsKey"')) return undefined;
  try {
    const p = JSON.parse(out) as { completed?: number; total?: number; failed?: number };
    if (typeof p.total !== "number") return undefined;
    return `${p.completed ?? 0}/${p.total}${p.failed ? ` (${p.failed} failed)` : ""}`;
  } catch {
    return undefined;
  }
}

async function fullHistory(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, ...(nextToken ? { nextToken } : {}) }),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

/** run.name from ValidateInput's result (the execution name is the same for CLI runs). */
function runNameFrom(history: HistoryEvent[]): string | undefined {
  for (const e of history) {
    const d = e.stateExitedEventDetails;
    if (d?.name !== "ValidateInput" || !d.output) continue;
    try {
      const name = (JSON.parse(d.output) as { run?: { name?: unknown } }).run?.name;
      if (typeof name === "string") return name;
    } catch {
      // not JSON
    }
  }
  return undefined;
}

async function getText(s3: S3Client, bucket: string, key: string): Promise<string | undefined> {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return await out.Body?.transformToString();
  } catch (e) {
    if ((e as { name?: string }).name === "NoSuchKey") return undefined;
    throw e;
  }
}

// ---- Output -------------------------------------------------------------------------------------

function clockText(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
}

function minutes(seconds: number | null | undefined): string {
  return seconds === null || seconds === undefined ? "n/a" : `${Math.round(seconds / 6) / 10} min`;
}

function summary(
  print: (line: string) => void,
  final: DescribeExecutionOutput,
  report: Report | undefined,
  problems: string[],
  outDir: string,
  quiet: boolean,
): void {
  const lines: string[] = [];
  if (report) {
    const o = report.objectives;
    const mark = (v: number | null, limit: number) => (v === null ? "" : v <= limit ? " ✓" : " ✗");
    const simulated = (Date.parse(report.execution.endedAt) - Date.parse(report.execution.startedAt)) / 1000;
    lines.push(
      `${report.outcome}${report.failedStep ? ` at ${report.failedStep}` : ""}${report.error ? ` (${report.error.name})` : ""}`,
      `  RTO ${minutes(report.rtoSeconds)} vs objective ${o.rtoMinutes} min${mark(report.rtoSeconds, o.rtoMinutes * 60)}`,
      `  RPO ${minutes(report.rpoSeconds)} vs objective ${o.rpoMinutes} min${mark(report.rpoSeconds, o.rpoMinutes * 60)}`,
      `  time: ${clockText(simulated)} simulated in ${report.wallSeconds ?? "?"} s wall`,
    );
    if (report.expect) {
      lines.push(`  expect: ${report.expect.held ? "held" : "NOT held"}`);
      for (const f of report.expect.failures) lines.push(`    - ${f}`);
    }
  } else {
    lines.push(
      `${final.status ?? "UNKNOWN"}${final.error ? ` (${final.error})` : ""}: no report was written`,
    );
  }
  for (const p of problems) lines.push(`  problem: ${p}`);
  lines.push(`  report: ${outDir}`);
  if (quiet && report?.expect?.held !== false && problems.length === 0) return;
  for (const l of lines) print(l);
}
