/**
 * Scenario faults do what they say: an operation the service does not have is refused at load,
 * durations and counts are bounded, call faults hit only drctl's steps (optionally one step), and
 * a hang fault answers nothing until the client gives up.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VirtualClock } from "../../../scripts/sandbox/clock.js";
import { functionCredentials } from "../../../scripts/sandbox/iam/principals.js";
import {
  loadScenario,
  parseScenario,
  ScenarioError,
  type ScenarioInput,
} from "../../../scripts/sandbox/scenario.js";
import { MAX_FAULT_TIMES, MAX_SCENARIO_SECONDS } from "../../../scripts/sandbox/scenario-faults.js";
import { startServer } from "../../../scripts/sandbox/server.js";
import { createWorld } from "../../../scripts/sandbox/world/index.js";
import { harness, scenarioOf } from "./world-helpers.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "drctl-faults-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The problems loadScenario reports for a scenario with these faults (written to a file). */
async function loadProblems(faults: ScenarioInput["faults"]): Promise<string[]> {
  const raw = { ...scenarioOf(), faults };
  const path = join(dir, `s-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(path, JSON.stringify(raw));
  try {
    await loadScenario(path);
    return [];
  } catch (e) {
    if (e instanceof ScenarioError) return e.problems;
    throw e;
  }
}

const parseProblems = (overrides: Partial<ScenarioInput>): string[] => {
  try {
    scenarioOf(overrides);
    return [];
  } catch (e) {
    return (e as ScenarioError).problems;
  }
};

const asStep = (fn: Parameters<typeof functionCredentials>[0]) => ({
  accessKeyId: functionCredentials(fn).accessKeyId,
});

describe("scenario fault validation", () => {
  it("refuses a call fault naming an operation the service's API does not have, with the nearest one", async () => {
    // Act
    const problems = await loadProblems([
      { call: "backup:StartRestoreJobs", error: "ThrottlingException" },
      { call: "ec2:DescribeVolumes", error: "UnauthorizedOperation", times: 100_000 },
      { call: "ssm:FlyToTheMoon", error: "ThrottlingException" },
    ]);
    // Assess
    expect(problems).toEqual([
      `faults.0.call: got "backup:StartRestoreJobs", allowed: an operation of backup's API (did you mean backup:StartRestoreJob?)`,
      `faults.2.call: got "ssm:FlyToTheMoon", allowed: an operation of ssm's API`,
    ]);
  });

  it("bounds counts and durations: 2^53 is refused with the stated maximum", () => {
    // Act
    const huge = 2 ** 53;
    const problems = parseProblems({
      faults: [
        { call: "backup:StartRestoreJob", error: "ThrottlingException", times: huge },
        { restore: "orders-db", extraSeconds: huge },
      ],
    });
    const resource = parseProblems({
      resources: [{ name: "orders-db", type: "rds", restoreSeconds: huge }],
    });
    // Assess (2^53 is also past the safe integers: zod adds "a whole number")
    expect(problems).toEqual(
      expect.arrayContaining([
        `faults.0.times: got ${huge}, allowed: <= ${MAX_FAULT_TIMES}`,
        `faults.1.extraSeconds: got ${huge}, allowed: <= ${MAX_SCENARIO_SECONDS} (48 h, the execution's time limit)`,
      ]),
    );
    expect(resource).toEqual(
      expect.arrayContaining([
        `resources.0.restoreSeconds: got ${huge}, allowed: <= ${MAX_SCENARIO_SECONDS} (48 h, the execution's time limit)`,
      ]),
    );
    expect(
      parseProblems({ faults: [{ restore: "orders-db", extraSeconds: MAX_SCENARIO_SECONDS + 1 }] }),
    ).toEqual([
      `faults.0.extraSeconds: got ${MAX_SCENARIO_SECONDS + 1}, allowed: <= ${MAX_SCENARIO_SECONDS} (48 h, the execution's time limit)`,
    ]);
  });

  it("takes a step to scope a call fault to, and a hang instead of an error, never both", () => {
    // Act
    const s = scenarioOf({ faults: [{ call: "ssm:GetParameter", step: "integrate", hang: true }] });
    const both = parseProblems({ faults: [{ call: "ssm:GetParameter", error: "X", hang: true }] });
    const badStep = parseProblems({
      faults: [{ call: "ssm:GetParameter", step: "restore" as never, error: "X" }],
    });
    // Assess
    expect(s.faults[0]).toEqual({ call: "ssm:GetParameter", step: "integrate", hang: true, times: 1 });
    expect(both).toEqual(['faults.0.error: got "X", required: exactly one of error or hang']);
    expect(badStep[0]).toMatch(/^faults\.0\.step: got "restore", allowed: validateInput \| detect \| /);
  });
});

describe("who a call fault hits", () => {
  it("hits calls signed by a step's function, not the runner's or another client's, and only the step named", async () => {
    // Prepare
    const s = parseScenario({
      ...scenarioOf(),
      faults: [
        { call: "s3:CreateBucket", error: "AccessDenied", times: 5 },
        { call: "ssm:PutParameter", step: "validateInput", error: "ThrottlingException", times: 5 },
      ],
    });
    const { world } = harness(s);
    const bucket = (Bucket: string) => ({
      service: "s3" as const,
      operation: "CreateBucket",
      region: "us-west-2",
      input: { Bucket, CreateBucketConfiguration: { LocationConstraint: "us-west-2" } },
    });
    const put = { service: "ssm" as const, operation: "PutParameter", region: "us-west-2" };
    // Act
    const runner = await world.call(bucket("runner-bucket"), { accessKeyId: "test" });
    const inProcess = await world.call(bucket("in-process-bucket"));
    const step = await world.call(bucket("step-bucket"), asStep("writeReport")).catch((e: Error) => e);
    const otherStep = await world.call(
      { ...put, input: { Name: "/a", Value: "1", Type: "String" } },
      asStep("integrate"),
    );
    const named = await world
      .call({ ...put, input: { Name: "/b", Value: "1", Type: "String" } }, asStep("validateInput"))
      .catch((e: Error) => e);
    // Assess
    expect(runner).toBeDefined();
    expect(inProcess).toBeDefined();
    expect(step).toMatchObject({ code: "AccessDenied", httpStatus: 403 });
    expect(otherStep).toMatchObject({ Version: 1 });
    expect(named).toMatchObject({ code: "ThrottlingException" });
    expect(world.faults.entries.map((e) => e.used)).toEqual([1, 1]);
  });
});

describe("hang faults", () => {
  it("answer nothing until the SDK client's request timeout; its retry then gets the answer", async () => {
    // Prepare
    const s = parseScenario({
      ...scenarioOf(),
      faults: [{ call: "ssm:GetParameter", hang: true, times: 1 }],
    });
    const world = createWorld(s, new VirtualClock(s.start), { port: 0 });
    const server = await startServer({ backend: world });
    const client = (fn: "integrate" | undefined, maxAttempts: number) =>
      new SSMClient({
        endpoint: server.url,
        region: "us-west-2",
        maxAttempts,
        requestHandler: { requestTimeout: 300, throwOnRequestTimeout: true },
        credentials: fn ? { ...functionCredentials(fn) } : { accessKeyId: "test", secretAccessKey: "test" },
      });
    await world.call(
      {
        service: "ssm",
        operation: "PutParameter",
        region: "us-west-2",
        input: { Name: "/p", Value: "v", Type: "String" },
      },
      {},
    );
    try {
      // Act
      const admin = await client(undefined, 1).send(new GetParameterCommand({ Name: "/p" }));
      const started = performance.now();
      const hung = await client("integrate", 1)
        .send(new GetParameterCommand({ Name: "/p" }))
        .catch((e: Error) => e);
      const waited = performance.now() - started;
      await new Promise((r) => setTimeout(r, 50));
      const again = await client("integrate", 1).send(new GetParameterCommand({ Name: "/p" }));
      // Assess
      expect(admin.Parameter?.Value).toBe("v");
      expect(hung).toMatchObject({ name: "TimeoutError" });
      expect(waited).toBeGreaterThanOrEqual(290);
      expect(again.Parameter?.Value).toBe("v");
      const gets = world.calls.filter((c) => c.operation === "GetParameter").map((c) => c.error ?? "ok");
      expect(gets).toEqual(["ok", "RequestTimeout", "ok"]);
    } finally {
      await server.close();
    }
  });
});
