/**
 * The local sandbox: the scenario's world + virtual clock + SFN emulation behind the sandbox HTTP
 * server, the handlers' environment pointed at it; the drctl deployment in it is ./deploy.ts.
 * Used by `drctl drill --local` (./runner.ts) and `drctl sandbox`.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { resetApis } from "../../functions/shared/apis.js";
import { useClock } from "../../functions/shared/clock.js";
import { AppConfig } from "../../functions/shared/config.js";
import { resetEnvCache } from "../../functions/shared/env.js";
import { VirtualClock } from "./clock.js";
import { deploymentNames, sandboxConfig } from "./deploy.js";
import type { ExecutionEventBus } from "./events/index.js";
import { installClientScope } from "./iam/principals.js";
import type { Scenario } from "./scenario.js";
import { type SandboxServer, startServer } from "./server.js";
import { SfnBackend } from "./sfn/backend.js";
import { bindDrctlFunctions } from "./sfn/drctl-functions.js";
import { LambdaRegistry } from "./sfn/lambda-registry.js";
import { Scheduler, timeSourceOf } from "./sfn/scheduler.js";
import { createWorld, type HealthAnswer, healthForHost, type World } from "./world/index.js";

export {
  clients,
  DR_APP_TEMPLATE,
  deploymentNames,
  deployToSandbox,
  sandboxConfig,
} from "./deploy.js";

export interface LocalSandbox {
  scenario: Scenario;
  clock: VirtualClock;
  world: World;
  scheduler: Scheduler;
  sfn: SfnBackend;
  /** EventBridge: executions that end ABORTED/TIMED_OUT/FAILED start their aftermath. */
  events: ExecutionEventBus;
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

/**
 * Requests for a load balancer's DNS name (Host `*.elb.amazonaws.com`, as the stack's HealthUrl
 * output names it): the DR app behind that load balancer answers (healthForHost). And
 * `/_sandbox/health/<region>/<stack>`: the same health by stack name.
 */
export function sandboxRoutes(world: World) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const host = String(req.headers.host ?? "");
    const m = /^\/_sandbox\/health\/([a-z0-9-]+)\/([^/?]+)/.exec(req.url ?? "");
    let answer: HealthAnswer;
    if (/\.elb\.amazonaws\.com(:\d+)?$/i.test(host)) answer = healthForHost(world, host, req.url ?? "/");
    else if (m) answer = world.health(m[1] as string, decodeURIComponent(m[2] as string));
    else return false;
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
  // The orchestrator stack as the CDK app synthesizes it: the step roles' policies and the
  // EventBridge rules (the aftermath of stopped executions) come from it.
  const config = AppConfig.parse(sandboxConfig(scenario));
  const names = deploymentNames(scenario);
  // Cached on disk by a hash of its inputs (iam/synthesized.ts): a hit loads no CDK module.
  const { synthesized } = await import("./iam/synthesized.js");
  const { roles, rules } = await synthesized(config, names);
  if (opts.iam !== false) {
    const { sandboxIam } = await import("./iam/setup.js");
    world.useIam(sandboxIam(config, names, roles));
  }
  const { connectExecutionEvents } = await import("./events/bus.js");
  const bus = connectExecutionEvents(sfn, rules, {
    account: names.account,
    region: names.region,
    now: () => new Date(clock.nowMs()),
  });
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
    events: bus,
    registry,
    server,
    url: server.url,
    startClock,
    close: async () => {
      bus.close();
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
