import { afterEach, describe, expect, it } from "vitest";
import { runFacts } from "../../scripts/cli/aws.js";
import { cleanupRun } from "../../scripts/cli/cleanup.js";
import { openSandbox, runIn, type Sandbox } from "./stopped-support.js";

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

/** What the sandbox still holds of a run, and the lock. */
const state = (s: Sandbox, runName: string) => ({
  leftovers: s.box.world.leftovers(runName),
  lock: s.box.world.inspect().parameters[`/drctl/lock/${s.names.app}`],
});

describe("drctl cleanup (after a run nothing cleaned up: no aftermath rule)", () => {
  it("deletes what a stopped drill created and frees the lock that run holds", async () => {
    sandbox = await openSandbox("scenarios/shop-drill.yaml");
    sandbox.box.events.close();
    const stopped = await runIn(sandbox, { mode: "drill", name: "drill-stopped", stopAt: "pollRestores" });
    expect(stopped.stopped.status).toBe("ABORTED");
    expect(JSON.parse(state(sandbox, stopped.runName).lock ?? "{}").run).toBe(stopped.runName);

    const facts = await runFacts(stopped.stopped.executionArn, sandbox.names.bucket);
    const lines: string[] = [];
    const clock = sandbox.box.clock;
    const code = await cleanupRun(facts, {
      executionArn: stopped.stopped.executionArn,
      confirm: false,
      print: (l) => lines.push(l),
      sleep: async (s) => void clock.advanceBy(s),
    });

    expect(code, lines.join("\n")).toBe(0);
    expect(state(sandbox, stopped.runName)).toEqual({ leftovers: [], lock: undefined });
    expect(lines.at(-1)).toBe(`lock /drctl/lock/${sandbox.names.app} released`);
  });

  it("removes a failed failover's restores and DR stack only when confirmed, and frees the lock", async () => {
    sandbox = await openSandbox("scenarios/shop-failover.yaml");
    sandbox.box.events.close();
    const stopped = await runIn(sandbox, {
      mode: "failover",
      name: "failover-stopped",
      stopAt: "pollRestores",
    });
    const before = state(sandbox, stopped.runName);
    expect(before.leftovers.length).toBeGreaterThan(1);
    const facts = await runFacts(stopped.stopped.executionArn, sandbox.names.bucket);
    const clock = sandbox.box.clock;
    const lines: string[] = [];
    const opts = {
      executionArn: stopped.stopped.executionArn,
      print: (l: string) => lines.push(l),
      sleep: async (s: number) => void clock.advanceBy(s),
    };

    expect(await cleanupRun(facts, { ...opts, confirm: false, ask: async () => "no" })).toBe(1);
    expect(state(sandbox, stopped.runName)).toEqual(before);

    // Confirmed: the DR stack and the restores go, except what the failover restored with the
    // source's deletion protection (kept by design), which is listed with its reason.
    const code = await cleanupRun(facts, { ...opts, confirm: false, ask: async () => "yes" });
    const after = state(sandbox, stopped.runName);
    expect(code).toBe(1);
    expect(after.lock).toBeUndefined();
    expect(after.leftovers.filter((arn) => arn.includes(":stack/") || arn.includes(":restore-job:"))).toEqual(
      [],
    );
    expect(after.leftovers.length).toBeLessThan(before.leftovers.length);
    expect(lines.join("\n")).toMatch(
      /CleanupIncomplete: .*(deletion protection|disableApiTermination|OperationNotPermitted)/,
    );
  });
});
