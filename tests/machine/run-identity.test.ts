/**
 * Run identity through the real definition and handlers in the sandbox: executions started in the
 * same minute for the same app, a lock left by an execution that no longer runs, and execution
 * inputs that are not JSON objects.
 */

import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StartExecutionCommand } from "@aws-sdk/client-sfn";
import { GetParameterCommand, PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { afterEach, describe, expect, it } from "vitest";
import { lockParameter } from "../../functions/shared/naming.js";
import { runNameFrom } from "../../scripts/sandbox/execution-history.js";
import {
  clients,
  deploymentNames,
  deployToSandbox,
  handlerEnvironment,
  type LocalSandbox,
  runLocalDrill,
  startLocalSandbox,
  useHandlerEnvironment,
} from "../../scripts/sandbox/runner.js";
import { loadScenario } from "../../scripts/sandbox/scenario.js";

interface Harness {
  sandbox: LocalSandbox;
  ssm: SSMClient;
  lock: string;
  start(input: unknown): Promise<string>;
  finish(executionArn: string): Promise<{ status: string; error?: string; cause?: string; run?: string }>;
  close(): Promise<void>;
}

async function harness(scenarioPath = "scenarios/shop-drill.yaml"): Promise<Harness> {
  const scenario = await loadScenario(scenarioPath);
  const sandbox = await startLocalSandbox(scenario);
  const restoreEnv = useHandlerEnvironment(handlerEnvironment(scenario, sandbox.url));
  const stateMachineArn = await deployToSandbox(scenario, sandbox.url);
  const c = clients(scenario, sandbox.url);
  const n = deploymentNames(scenario);
  const ssm = new SSMClient({
    region: n.region,
    endpoint: sandbox.url,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  return {
    sandbox,
    ssm,
    lock: lockParameter(n.app),
    start: async (input) => {
      const out = await c.sfn.send(
        new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }),
      );
      return out.executionArn as string;
    },
    finish: async (executionArn) => {
      const record = sandbox.sfn.executionRecords().find((r) => r.executionArn === executionArn);
      await record?.done;
      await Promise.all(record?.detached ?? []);
      const run = runNameFrom(record?.history ?? []);
      return {
        status: record?.status ?? "UNKNOWN",
        ...(record?.error !== undefined && { error: record.error }),
        ...(record?.cause !== undefined && { cause: record.cause }),
        ...(run !== undefined && { run }),
      };
    },
    close: async () => {
      restoreEnv();
      await sandbox.close();
    },
  };
}

const publishes = (h: Harness) => h.sandbox.world.calls.filter((c) => c.operation === "Publish" && !c.error);

describe("state machine path: run identity and the per-app lock", () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it("two drills started in the same minute: one runs, the other fails in ValidateInput with RecoveryInProgress naming it", async () => {
    // Prepare
    h = await harness();
    // Act
    const first = await h.start({ mode: "drill", trigger: "alarm" });
    const second = await h.start({ mode: "drill", trigger: "health" });
    const results = [await h.finish(first), await h.finish(second)];
    // Assess
    const arns = [first, second];
    const winner = results.findIndex((r) => r.status === "SUCCEEDED");
    expect(winner, JSON.stringify(results)).toBeGreaterThanOrEqual(0);
    const loser = results[1 - winner];
    expect(loser?.status).toBe("FAILED");
    expect(loser?.error).toBe("RecoveryInProgress");
    expect(loser?.cause).toContain(arns[winner]);
    expect(loser?.cause).toContain(results[winner]?.run);
    const starts = h.sandbox.sfn.executionRecords().map((r) => r.startDate.toISOString().slice(0, 16));
    expect(new Set(starts).size).toBe(1); // the same minute
    // The loser never got a run of its own: nothing was written under the winner's name by it,
    // and the lock is free again once the winner finished.
    const lock = await h.ssm.send(new GetParameterCommand({ Name: h.lock })).catch((e: Error) => e.name);
    expect(lock).toBe("ParameterNotFound");
    expect(h.sandbox.world.leftovers(results[winner]?.run ?? "")).toEqual([]);
  });

  it("takes over a lock whose holder no longer runs, and releases it at the end", async () => {
    // Prepare: a finished execution (a dry run: it takes no lock) and a lock naming it.
    h = await harness();
    const finished = await h.start({ mode: "drill", dryRun: true });
    expect((await h.finish(finished)).status).toBe("SUCCEEDED");
    await h.ssm.send(
      new PutParameterCommand({
        Name: h.lock,
        Type: "String",
        Value: JSON.stringify({ executionArn: finished, run: "drill-shop-20260301T090000Z-dead00" }),
      }),
    );
    // Act
    const arn = await h.start({ mode: "drill" });
    const result = await h.finish(arn);
    // Assess
    expect(result.status, `${result.error}: ${result.cause}`).toBe("SUCCEEDED");
    const lock = await h.ssm.send(new GetParameterCommand({ Name: h.lock })).catch((e: Error) => e.name);
    expect(lock).toBe("ParameterNotFound");
  });

  it.each([
    ["null", null],
    ["an array", []],
    ["a string", "drill"],
    ["a number", 42],
  ])(
    "an execution input that is %s fails in ValidateInput with InputInvalid and a notification",
    async (_what, input) => {
      // Prepare
      h = await harness();
      // Act
      const result = await h.finish(await h.start(input));
      // Assess
      expect(result.status).toBe("FAILED");
      expect(result.error).toBe("InputInvalid");
      expect(result.cause).toMatch(/object/);
      expect(publishes(h)).toHaveLength(1);
    },
  );

  it("a 200 KB input with an unknown field fails with InputInvalid whose cause is short and does not repeat the input", async () => {
    // Prepare
    h = await harness();
    const filler = "x".repeat(200 * 1024);
    // Act
    const result = await h.finish(await h.start({ mode: "drill", notes: filler }));
    // Assess
    expect(result.status).toBe("FAILED");
    expect(result.error).toBe("InputInvalid");
    expect(result.cause).toMatch(/notes/);
    expect(result.cause).not.toContain("xxxxxxxxxx");
    expect(Buffer.byteLength(result.cause ?? "")).toBeLessThan(8 * 1024);
    expect(publishes(h)).toHaveLength(1);
  });
});

describe("local runs: report folders", () => {
  it("never collide: the same scenario twice and another scenario of the same app and start", async () => {
    // Prepare
    const reportsDir = await mkdtemp(join(tmpdir(), "drctl-reports-"));
    const plan = (scenarioPath: string) =>
      runLocalDrill({ scenarioPath, reportsDir, dryRun: true, quiet: true, print: () => undefined });
    try {
      // Act
      const runs = [
        await plan("scenarios/shop-drill.yaml"),
        await plan("scenarios/shop-drill.yaml"),
        await plan("scenarios/stack-rollback.yaml"),
      ];
      // Assess
      expect(runs.map((r) => r.problems)).toEqual([[], [], []]);
      const dirs = runs.map((r) => r.outDir ?? "");
      expect(new Set(dirs).size).toBe(3);
      expect((await readdir(reportsDir)).sort()).toEqual(runs.map((r) => r.runName).sort());
      for (const d of dirs) expect(existsSync(join(d, "report.json"))).toBe(true);
    } finally {
      await rm(reportsDir, { recursive: true, force: true });
    }
  });
});
