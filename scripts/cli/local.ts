/** `drctl drill|failover|plan --local` and `drctl sandbox`: scenarios played by the local sandbox. */
import { parseArgs } from "node:util";
import type { Mode } from "../../functions/shared/types.js";
import { type Code, UsageError } from "./usage.js";

export async function localRun(command: "drill" | "failover" | "plan", args: string[]): Promise<Code> {
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
  const { DEFAULT_SCENARIO, runLocalDrill } = await import("../sandbox/runner.js");
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

export async function sandbox(args: string[]): Promise<Code> {
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
  const { loadScenario, ScenarioError } = await import("../sandbox/scenario.js");
  const runner = await import("../sandbox/runner.js");
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
