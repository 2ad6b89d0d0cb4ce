/**
 * A Task past its TimeoutSeconds leaves its Lambda running (Step Functions does not cancel the
 * invocation), so the retry overlaps it. The real drctl definition and handlers, with StartRestores
 * and Integrate given TimeoutSeconds=1 and the AWS calls of their first invocations slowed down in
 * real time, so that each times out mid-call and its effects land after the retry has done the
 * same work. The handlers must stay idempotent: one restore job per resource, one attachment,
 * each parameter written once.
 */
import {
  CreateStateMachineCommand,
  type HistoryEvent,
  SFNClient,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import { describe, expect, it } from "vitest";
import { runNameFrom } from "../../scripts/sandbox/execution-history.js";
import {
  deploymentNames,
  deployToSandbox,
  handlerEnvironment,
  startLocalSandbox,
  useHandlerEnvironment,
} from "../../scripts/sandbox/runner.js";
import { loadScenario } from "../../scripts/sandbox/scenario.js";
import { functionArn } from "../../scripts/sandbox/sfn/drctl-functions.js";
import type { SandboxCall } from "../../scripts/sandbox/types.js";
import type { StateName } from "../../state-machines/names.js";
import { renderDefinition } from "../../state-machines/recovery.asl.js";

/** Sets TimeoutSeconds of the named states, wherever they are (Parallel branches included). */
function withTimeouts(node: unknown, states: readonly string[], seconds: number): void {
  if (!node || typeof node !== "object") return;
  const o = node as Record<string, unknown>;
  if (o.States && typeof o.States === "object") {
    for (const [name, state] of Object.entries(o.States as Record<string, Record<string, unknown>>)) {
      if (states.includes(name)) state.TimeoutSeconds = seconds;
      for (const b of (state.Branches as unknown[] | undefined) ?? []) withTimeouts(b, states, seconds);
    }
  }
}

const SLOW: { operation: string; match?: (input: Record<string, unknown>) => boolean }[] = [
  { operation: "StartRestoreJob" },
  { operation: "AttachVolume" },
  { operation: "PutParameter", match: (i) => String(i.Name).startsWith("/drctl-drill/") },
];

describe("state machine path: a Task times out while its Lambda keeps running", () => {
  it("StartRestores and Integrate time out mid-call; their retries overlap them and nothing is done twice", async () => {
    // Prepare
    const scenario = await loadScenario("scenarios/shop-drill.yaml");
    const sandbox = await startLocalSandbox(scenario);
    const restoreEnv = useHandlerEnvironment(handlerEnvironment(scenario, sandbox.url));
    const world = sandbox.world;
    const original = world.call.bind(world);
    const slowed: string[] = [];
    /** Drill parameter writes: name and outcome. */
    const writes: { name: string; ok: boolean }[] = [];
    world.call = async (call: SandboxCall) => {
      const rule = SLOW.findIndex((r) => r.operation === call.operation && (r.match?.(call.input) ?? true));
      if (rule >= 0) {
        SLOW.splice(rule, 1); // only the first matching call of each kind
        slowed.push(call.operation);
        await new Promise((done) => setTimeout(done, 1500));
      }
      const drillWrite =
        call.operation === "PutParameter" && String(call.input.Name).startsWith("/drctl-drill/");
      try {
        const out = await original(call);
        if (drillWrite) writes.push({ name: String(call.input.Name), ok: true });
        return out;
      } catch (e) {
        if (drillWrite) writes.push({ name: String(call.input.Name), ok: false });
        throw e;
      }
    };
    try {
      await deployToSandbox(scenario, sandbox.url);
      const n = deploymentNames(scenario);
      const definition = renderDefinition((fn) => functionArn(n.region, n.account, fn));
      const timedOut: StateName[] = ["StartRestores", "IntegrateRestored", "Integrate"];
      withTimeouts(definition, timedOut, 1);
      const sfn = new SFNClient({
        region: n.region,
        endpoint: sandbox.url,
        credentials: { accessKeyId: "test", secretAccessKey: "test" },
      });
      const { stateMachineArn } = await sfn.send(
        new CreateStateMachineCommand({
          name: "drctl-shop-short-timeouts",
          definition: JSON.stringify(definition),
          roleArn: n.orchestratorRoleArn,
        }),
      );

      // Act
      const { executionArn } = await sfn.send(
        new StartExecutionCommand({ stateMachineArn, input: '{"mode":"drill","trigger":"manual"}' }),
      );
      const record = sandbox.sfn.executionRecords().find((r) => r.executionArn === executionArn);
      await record?.done;
      await Promise.all(record?.detached ?? []);

      // Assess
      expect(record?.status, `${record?.error}: ${record?.cause}`).toBe("SUCCEEDED");
      expect([...slowed].sort()).toEqual(["AttachVolume", "PutParameter", "StartRestoreJob"]);
      const history: HistoryEvent[] = record?.history ?? [];
      const timeouts = history.filter((e) => e.type === "LambdaFunctionTimedOut").length;
      expect(timeouts).toBeGreaterThanOrEqual(2);
      expect(record?.detached.length).toBe(timeouts);
      // One restore job per resource, although each was started twice.
      const jobs = [...world.recovery.restoreJobs.values()];
      expect(jobs.map((j) => j.resource.name).sort()).toEqual(scenario.resources.map((r) => r.name).sort());
      // One attachment: the late AttachVolume found the volume in use.
      const attaches = world.calls.filter((c) => c.operation === "AttachVolume");
      expect(attaches.filter((c) => c.error === undefined)).toHaveLength(1);
      // Each drill parameter written once; the late write found it there (with the same value).
      const ok = writes.filter((w) => w.ok).map((w) => w.name);
      expect(ok).toEqual([...new Set(ok)]);
      expect(ok.length).toBe(scenario.resources.filter((r) => r.integrate.ssmParameter).length);
      expect(writes.filter((w) => !w.ok).length).toBeGreaterThanOrEqual(1);
      const run = runNameFrom(history);
      expect(run).toBeDefined();
      expect(world.leftovers(run ?? "")).toEqual([]);
    } finally {
      world.call = original;
      restoreEnv();
      await sandbox.close();
    }
  });
});
