/**
 * drctl command line.
 *
 *   drctl drill    --local [--scenario FILE] [--out DIR] [--verbose] [--quiet] [--no-iam]
 *   drctl failover --local [--scenario FILE] [--out DIR]      (the scenario played as a failover)
 *   drctl plan     --local [--scenario FILE] [--out DIR]      (dry run: plan and RPO only)
 *   drctl sandbox  --scenario FILE [--port 4566] [--speed 60] [--no-iam]
 *
 * Local runs enforce IAM: each step's calls are authorized against its role's policy as the CDK
 * app synthesizes it; --no-iam allows every call.
 *   drctl status   --state-machine-arn ARN [--region R]
 *   drctl report   --execution-arn ARN [--out DIR] [--bucket B]
 *   drctl cleanup  --execution-arn ARN [--bucket B] [--confirm]
 *
 * Exit codes: 0 outcome as expected, 1 otherwise, 2 bad usage or bad scenario.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { Mode } from "../functions/shared/types.js";
import { APPROVAL_USAGE, approvalCommand, regionOfArn } from "./approve.js";

type Code = 0 | 1 | 2;

const USAGE = `usage: drctl <command> [options]

Local (no AWS account; the sandbox plays a scenario on a virtual clock):
  drill    --local [--scenario FILE] [--out DIR] [--verbose] [--quiet] [--no-iam]
  failover --local [--scenario FILE] [--out DIR] [--verbose] [--quiet] [--no-iam]
  failover --replace-stack   (prints the start-execution command of a failover that deletes the
           DR stack a failed failover left and creates a fresh one, instead of adopting it)
  plan     --local [--scenario FILE] [--out DIR] [--no-iam]
  sandbox  --scenario FILE [--port 4566] [--speed 60] [--no-iam]
  (IAM is enforced: each step may do what its role's synthesized policy allows; --no-iam: anything)

On AWS (your credentials):
  status   --state-machine-arn ARN [--region R]
  report   --execution-arn ARN [--out DIR] [--bucket B]
  cleanup  --execution-arn ARN [--bucket B] [--confirm]
           (a stopped or failed drill: delete what it created; a failed failover: its restores and
            DR stack, after --confirm or a typed yes; then the app's lock if that run holds it)
${APPROVAL_USAGE}
  redrive  <execution-arn> [--region R]   (continue a failed run where it stopped)

Exit codes: 0 = outcome as expected, 1 = not, 2 = bad usage or scenario.`;

class UsageError extends Error {}

export async function main(argv: string[]): Promise<Code> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "drill":
      case "failover":
      case "plan":
        return await localRun(command, rest);
      case "sandbox":
        return await sandbox(rest);
      case "status":
        return await status(rest);
      case "report":
        return await report(rest);
      case "cleanup":
        return await cleanup(rest);
      case "approve":
      case "reject":
        return await approvalCommand(command, rest);
      case "redrive":
        return await (await import("./cli/redrive.js")).redrive(rest);
      case undefined:
      case "help":
      case "--help":
      case "-h":
        console.log(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`drctl: ${(e as Error).message}\n\n${USAGE}`);
      return 2;
    }
    console.error(`drctl ${command}: ${(e as Error).stack ?? String(e)}`);
    return 1;
  }
}

// ---- Local runs ---------------------------------------------------------------------------------

async function localRun(command: "drill" | "failover" | "plan", args: string[]): Promise<Code> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      local: { type: "boolean", default: false },
      scenario: { type: "string" },
      out: { type: "string" },
      verbose: { type: "boolean", default: false },
      quiet: { type: "boolean", default: false },
      port: { type: "string" },
      "no-iam": { type: "boolean", default: false },
      "replace-stack": { type: "boolean", default: false },
    },
  });
  const replace = values["replace-stack"];
  if (replace && (command !== "failover" || values.local)) {
    throw new UsageError(
      "--replace-stack: a failover on AWS only (a local failover starts from a fresh sandbox: no DR stack is left to replace)",
    );
  }
  if (!values.local) {
    throw new UsageError(
      `${command} on AWS is started by the state machine: aws stepfunctions start-execution --state-machine-arn <arn> --input '{"mode":"${command === "plan" ? "drill" : command}","trigger":"manual"${command === "plan" ? ',"dryRun":true' : ""}${replace ? ',"replaceStack":true' : ""}}' (or add --local to play a scenario)`,
    );
  }
  // Before the step modules load: their logger reads the level once.
  process.env.POWERTOOLS_LOG_LEVEL = values.verbose ? "INFO" : "SILENT";
  const { DEFAULT_SCENARIO, runLocalDrill } = await import("./sandbox/runner.js");
  const opts: Parameters<typeof runLocalDrill>[0] = {
    scenarioPath: values.scenario ?? DEFAULT_SCENARIO,
    verbose: values.verbose,
    quiet: values.quiet,
    iam: !values["no-iam"],
  };
  if (values.out !== undefined) opts.outDir = values.out;
  if (values.port !== undefined) opts.port = port(values.port);
  if (command === "failover") opts.mode = "failover" satisfies Mode;
  if (command === "plan") opts.dryRun = true;
  const result = await runLocalDrill(opts);
  return result.exitCode;
}

function port(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new UsageError(`--port: got '${text}', allowed: 0-65535`);
  return n;
}

async function sandbox(args: string[]): Promise<Code> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      scenario: { type: "string" },
      port: { type: "string", default: "4566" },
      speed: { type: "string", default: "60" },
      verbose: { type: "boolean", default: false },
      "no-iam": { type: "boolean", default: false },
    },
  });
  if (!values.scenario) throw new UsageError("sandbox needs --scenario FILE");
  const speed = Number(values.speed);
  if (!(speed >= 0) || !Number.isFinite(speed)) {
    throw new UsageError(
      `--speed: got '${values.speed}', allowed: a number >= 0 (simulated seconds per second; 0 = jump)`,
    );
  }
  const { loadScenario, ScenarioError } = await import("./sandbox/scenario.js");
  const runner = await import("./sandbox/runner.js");
  let scenario: Awaited<ReturnType<typeof loadScenario>>;
  try {
    scenario = await loadScenario(values.scenario);
  } catch (e) {
    if (e instanceof ScenarioError) {
      console.error(e.message);
      return 2;
    }
    throw e;
  }
  // The clock starts at the scenario's start when the sandbox is ready, not while it loads.
  const box = await runner.startLocalSandbox(scenario, {
    port: port(values.port),
    speed,
    holdClock: true,
    iam: !values["no-iam"],
  });
  const restoreEnv = runner.useHandlerEnvironment(
    runner.handlerEnvironment(scenario, box.url, values.verbose),
  );
  await runner.preloadHandlers(box.registry);
  const stateMachineArn = await runner.deployToSandbox(scenario, box.url);
  const names = runner.deploymentNames(scenario);
  box.startClock();
  console.log(`ready ${box.url}`);
  console.error(
    [
      `scenario ${scenario.name}: ${scenario.regions.primary} → ${scenario.regions.recovery}, account ${scenario.account}, clock ${scenario.start} at ${speed || "instant"}×, IAM ${values["no-iam"] ? "off" : "on (step roles as synthesized; any other access key is the account's administrator)"}`,
      `state machine ${stateMachineArn}`,
      `artifacts bucket ${names.bucket}`,
      `try: AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test aws --endpoint-url ${box.url} --region ${names.region} stepfunctions start-execution --state-machine-arn ${stateMachineArn} --input '{"mode":"${scenario.mode}","trigger":"manual"}'`,
    ].join("\n"),
  );
  await new Promise<void>((done) => {
    const stop = () => done();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  restoreEnv();
  await box.close();
  return 0;
}

// ---- On AWS -------------------------------------------------------------------------------------

async function status(args: string[]): Promise<Code> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      "state-machine-arn": { type: "string" },
      region: { type: "string" },
      max: { type: "string", default: "10" },
    },
  });
  const arn = values["state-machine-arn"];
  if (!arn) throw new UsageError("status needs --state-machine-arn ARN");
  const { SFNClient, ListExecutionsCommand, GetExecutionHistoryCommand } = await import(
    "@aws-sdk/client-sfn"
  );
  const region = values.region ?? regionOfArn(arn);
  const sfn = new SFNClient(region ? { region } : {});
  const list = await sfn.send(
    new ListExecutionsCommand({ stateMachineArn: arn, maxResults: Number(values.max) }),
  );
  const executions = list.executions ?? [];
  if (executions.length === 0) console.log("no executions");
  for (const e of executions) {
    let where = "";
    if (e.status === "RUNNING" && e.executionArn) {
      const h = await sfn.send(
        new GetExecutionHistoryCommand({ executionArn: e.executionArn, reverseOrder: true, maxResults: 50 }),
      );
      const entered = h.events?.find((ev) => ev.stateEnteredEventDetails?.name);
      if (entered)
        where = ` at ${entered.stateEnteredEventDetails?.name} since ${entered.timestamp?.toISOString()}`;
    }
    console.log(
      `${e.name}  ${e.status}  started ${e.startDate?.toISOString()}${e.stopDate ? `  stopped ${e.stopDate.toISOString()}` : ""}${where}`,
    );
  }
  return 0;
}

interface RunFacts {
  region: string;
  run: { name: string; artifactsPrefix: string } & Record<string, unknown>;
  status: string;
  bucket: string;
}

/** The run context (ValidateInput's result) of an execution and its artifacts bucket. */
export async function runFacts(executionArn: string, bucketOption: string | undefined): Promise<RunFacts> {
  const sfnMod = await import("@aws-sdk/client-sfn");
  const region = regionOfArn(executionArn);
  if (!region)
    throw new UsageError(`--execution-arn: '${executionArn}' is not a Step Functions execution ARN`);
  const sfn = new sfnMod.SFNClient({ region });
  const described = await sfn.send(new sfnMod.DescribeExecutionCommand({ executionArn }));
  let run: RunFacts["run"] | undefined;
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(
      new sfnMod.GetExecutionHistoryCommand({
        executionArn,
        maxResults: 1000,
        ...(nextToken ? { nextToken } : {}),
      }),
    );
    for (const e of page.events ?? []) {
      const d = e.stateExitedEventDetails;
      if (d?.name === "ValidateInput" && d.output)
        run = (JSON.parse(d.output) as { run?: RunFacts["run"] }).run;
    }
    nextToken = run ? undefined : page.nextToken;
  } while (nextToken);
  if (!run) throw new Error(`${executionArn}: ValidateInput did not complete, the run has no artifacts`);
  const bucket = bucketOption ?? (await artifactsBucketOf(region, described.stateMachineArn ?? ""));
  return { region, run, status: described.status ?? "UNKNOWN", bucket };
}

/** The ArtifactsBucket output of the orchestrator stack that owns the state machine. */
async function artifactsBucketOf(region: string, stateMachineArn: string): Promise<string> {
  const cfn = await import("@aws-sdk/client-cloudformation");
  const client = new cfn.CloudFormationClient({ region });
  let nextToken: string | undefined;
  do {
    const page = await client.send(new cfn.DescribeStacksCommand(nextToken ? { NextToken: nextToken } : {}));
    for (const s of page.Stacks ?? []) {
      const outputs = s.Outputs ?? [];
      if (outputs.some((o) => o.OutputKey === "StateMachineArn" && o.OutputValue === stateMachineArn)) {
        const b = outputs.find((o) => o.OutputKey === "ArtifactsBucket")?.OutputValue;
        if (b) return b;
      }
    }
    nextToken = page.NextToken;
  } while (nextToken);
  throw new UsageError(`no CloudFormation stack in ${region} outputs ${stateMachineArn}; pass --bucket`);
}

async function report(args: string[]): Promise<Code> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: { "execution-arn": { type: "string" }, out: { type: "string" }, bucket: { type: "string" } },
  });
  const arn = values["execution-arn"];
  if (!arn) throw new UsageError("report needs --execution-arn ARN");
  const facts = await runFacts(arn, values.bucket);
  const { S3Client, GetObjectCommand } = await import("@aws-sdk/client-s3");
  const { runKeys } = await import("../functions/shared/artifacts.js");
  const keys = runKeys(facts.run.artifactsPrefix);
  const s3 = new S3Client({ region: facts.region });
  const outDir = resolve(values.out ?? join("drill-reports", facts.run.name));
  await mkdir(outDir, { recursive: true });
  let found = 0;
  for (const [file, key] of [
    ["report.json", keys.report],
    ["report.md", keys.markdown],
    ["report.html", keys.html],
  ] as const) {
    try {
      const out = await s3.send(new GetObjectCommand({ Bucket: facts.bucket, Key: key }));
      await writeFile(join(outDir, file), (await out.Body?.transformToString()) ?? "");
      found++;
    } catch (e) {
      if ((e as { name?: string }).name !== "NoSuchKey") throw e;
      console.error(`missing s3://${facts.bucket}/${key}`);
    }
  }
  console.log(`${facts.run.name} (${facts.status}): ${found}/3 report files in ${outDir}`);
  return found === 3 ? 0 : 1;
}

async function cleanup(args: string[]): Promise<Code> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      "execution-arn": { type: "string" },
      bucket: { type: "string" },
      confirm: { type: "boolean", default: false },
    },
  });
  const arn = values["execution-arn"];
  if (!arn) throw new UsageError("cleanup needs --execution-arn ARN");
  const facts = await runFacts(arn, values.bucket);
  const { cleanupRun } = await import("./cli/cleanup.js");
  return cleanupRun(facts, { executionArn: arn, confirm: values.confirm });
}
