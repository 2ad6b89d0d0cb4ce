/**
 * ValidateHealth against the sandbox's World (tests/support/step-world.ts): the DR stack created
 * in the World, its HealthUrl output the load balancer's name, which the World answers as the DR
 * app behind it (503 until the stack is complete and the app healthy, 200 after; probeVia sends
 * the request to the World's endpoint with that Host). The calls are signed as the validateHealth
 * function under its synthesized IAM. How the probe's other HTTP outcomes (a redirect, no answer,
 * nothing listening) map to AppUnhealthy is checked against a local app, with the stack's output
 * from aws-sdk-client-mock: the World's load balancer answers neither of them.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { cloudFormationApi } from "../../../functions/shared/aws/cloudformation.js";
import type { AppConfig } from "../../../functions/shared/config.js";
import { localContext } from "../../../functions/shared/middleware.js";
import { type RunContext, runTags, type StackState } from "../../../functions/shared/types.js";
import { handler } from "../../../functions/validateHealth/handler.js";
import { probeVia } from "../../../functions/validateHealth/probe-via.js";
import {
  fetchProbe,
  type ValidateHealthDeps,
  type ValidateHealthEvent,
  validateHealth,
} from "../../../functions/validateHealth/validateHealth.js";
import { sandboxRoutes } from "../../../scripts/sandbox/local.js";
import { appConfig, runContext } from "../../support/fixtures.js";
import { at, drillState } from "../../support/fixtures-report.js";
import { type StepWorld, stepWorld } from "../../support/step-world.js";

const RUN = runContext();

describe("validateHealth (the World's DR stack and load balancer)", () => {
  let w: StepWorld;
  /** Where the World answers for its load balancers' DNS names (sandboxRoutes, as the local sandbox). */
  let lb: Server;
  let endpoint = "";
  let runs = 0;

  beforeAll(async () => {
    w = await stepWorld("validateHealth");
    const routes = sandboxRoutes(w.world);
    lb = createServer((req, res) => {
      if (!routes(req, res)) res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => lb.listen(0, "127.0.0.1", resolve));
    endpoint = `http://127.0.0.1:${(lb.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    lb.closeAllConnections();
    await new Promise((resolve) => lb.close(resolve));
    await w.close();
  });

  /** A drill of its own with its DR stack created (CREATE_COMPLETE, the app not healthy yet). */
  async function drill(): Promise<{ run: RunContext; event: ValidateHealthEvent }> {
    const run = runContext({
      startedAt: new Date(Date.parse(RUN.startedAt) + ++runs * 60_000).toISOString(),
    });
    const stackId = await w.createStack(run.stackName, run.parameterPrefix, runTags(run));
    const startedAt = w.now().toISOString();
    const stack: StackState = {
      stackId,
      status: "CREATE_COMPLETE",
      done: true,
      waitSeconds: 1,
      startedAt,
      completedAt: startedAt,
    };
    return { run, event: { run, stack } };
  }
  const deps = (config: AppConfig = w.config): ValidateHealthDeps => ({
    config,
    cloudformation: w.apis.cloudformation,
    probe: probeVia(endpoint),
    timeoutMs: 2000,
    now: w.now,
  });
  const healthUrl = async (stackId: string) => {
    const out = await w.seed("cloudformation", "DescribeStacks", { StackName: stackId });
    const [stack] = out.Stacks as { Outputs: { OutputKey: string; OutputValue: string }[] }[];
    return stack?.Outputs.find((o) => o.OutputKey === "HealthUrl")?.OutputValue;
  };

  it("returns the URL and status when the app answers 200", async () => {
    // Prepare
    const { event } = await drill();
    w.advance(w.scenario.app.healthyAfterSeconds);
    const mark = w.requests("DescribeStacks").length;
    // Act
    const result = await validateHealth(event, deps());
    // Assess
    const url = await healthUrl(event.stack.stackId);
    expect(url).toMatch(/^http:\/\/.+\.elb\.amazonaws\.com\/health$/);
    expect(result).toEqual({ url, status: 200, checkedAt: w.now().toISOString() });
    expect(
      w
        .requests("DescribeStacks")
        .slice(mark)
        .map((r) => r.input),
    ).toEqual([{ StackName: event.stack.stackId }]);
  });

  it("throws AppUnhealthy with the URL and the status for a 503 (no healthy target yet)", async () => {
    // Prepare: the stack is complete, the app not healthy yet
    const { event } = await drill();
    // Act
    const err = await validateHealth(event, deps()).catch((e: unknown) => e);
    // Assess
    const url = await healthUrl(event.stack.stackId);
    expect(err).toMatchObject({ name: "AppUnhealthy", message: `${url} answered HTTP 503` });
  });

  it("names the missing stack output, with the outputs the stack has", async () => {
    const { event } = await drill();
    const config: AppConfig = { ...w.config, stack: { ...w.config.stack, healthUrlOutput: "HealthURL" } };
    const err = await validateHealth(event, deps(config)).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "NotFound" });
    expect((err as Error).message).toMatch(
      /has no output HealthURL \(config stack.healthUrlOutput\); outputs: .*HealthUrl/,
    );
  });

  it("a stack deleted meanwhile: NotFound saying so (DescribeStacks by id still answers it, DELETE_COMPLETE)", async () => {
    const { run, event } = await drill();
    await w.seed("cloudformation", "DeleteStack", { StackName: event.stack.stackId });
    w.advance(3600);
    const err = await validateHealth(event, deps()).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "NotFound" });
    expect((err as Error).message).toBe(
      `stack ${run.stackName} (${event.stack.stackId}) was deleted (DELETE_COMPLETE): no app to validate`,
    );
  });
});

describe("error mapping: the probe's HTTP outcomes on a local app (fetchProbe) → AppUnhealthy", () => {
  const cfn = mockClient(new CloudFormationClient({ region: "us-west-2" }));
  let server: Server;
  let base = "";
  /** What the fake app answers per path: a status, or "hang" (never answers). */
  const answers: Record<string, number | "hang"> = { "/ok": 200, "/moved": 302, "/slow": "hang" };

  beforeAll(async () => {
    server = createServer((req, res) => {
      const answer = answers[req.url ?? ""] ?? 404;
      if (answer === "hang") return;
      res.writeHead(answer, answer === 302 ? { Location: "/ok" } : {}).end("x");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    cfn.reset();
  });

  /** The DR stack's HealthUrl output names the local app. */
  function stackWithHealthUrl(url: string) {
    cfn.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackName: RUN.stackName,
          StackId: "arn:stack/1",
          StackStatus: "CREATE_COMPLETE",
          CreationTime: at(3),
          Outputs: [{ OutputKey: "HealthUrl", OutputValue: url }],
        },
      ],
    });
  }
  const deps = (): ValidateHealthDeps => ({
    config: appConfig(),
    cloudformation: cloudFormationApi(cfn as unknown as CloudFormationClient),
    probe: fetchProbe,
    timeoutMs: 300,
    now: () => at(2260),
  });
  const event = { run: RUN, stack: drillState(RUN).recovery.stack } as ValidateHealthEvent;

  it("counts a redirect as healthy without following it", async () => {
    stackWithHealthUrl(`${base}/moved`);
    await expect(validateHealth(event, deps())).resolves.toMatchObject({ status: 302 });
  });

  it("throws AppUnhealthy when the app does not answer in time", async () => {
    stackWithHealthUrl(`${base}/slow`);
    const err = await validateHealth(event, deps()).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "AppUnhealthy", message: `${base}/slow: no answer within 300 ms` });
  });

  it("throws AppUnhealthy when nothing listens", async () => {
    // Prepare: a port that was just free
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    stackWithHealthUrl(`http://127.0.0.1:${port}/health`);
    // Act
    const err = await validateHealth(event, deps()).catch((e: unknown) => e);
    // Assess
    expect(err).toMatchObject({
      name: "AppUnhealthy",
      message: `http://127.0.0.1:${port}/health: ECONNREFUSED`,
    });
  });
});

describe("validateHealth handler", () => {
  it("rejects a bad event with InputInvalid", async () => {
    vi.stubEnv("ARTIFACTS_BUCKET", "drctl-artifacts-test");
    const err = await handler({ run: RUN }, localContext("validateHealth")).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "InputInvalid" });
    expect((err as Error).message).toContain("validateHealth input: stack");
    vi.unstubAllEnvs();
  });
});
