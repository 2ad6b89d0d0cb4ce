import { afterEach, describe, expect, it } from "vitest";
import { type StoppedRun, stopMidway } from "./stopped-support.js";

let run: StoppedRun | undefined;
afterEach(async () => {
  await run?.close();
  run = undefined;
});

describe("an execution stopped midway (StopExecution runs no Catch)", () => {
  it("a drill stopped while its restores run is cleaned up: no leftovers, lock free, report says stopped", async () => {
    run = await stopMidway("scenarios/shop-drill.yaml", { mode: "drill", stopAt: "pollRestores" });

    expect(run.stopped.status).toBe("ABORTED");
    expect(run.aftermath.map((e) => [JSON.parse(e.input), e.status])).toEqual([
      [{ cleanupOf: run.stopped.executionArn, trigger: "execution-status-change" }, "SUCCEEDED"],
    ]);
    expect(run.box.world.leftovers(run.runName)).toEqual([]);
    expect(run.lock).toBeUndefined();
    expect(run.report?.outcome).toBe("FAILED");
    expect(run.report?.error?.name).toBe("ExecutionAborted");
    expect(run.report?.error?.cause).toMatch(
      /^the execution ended ABORTED in \w+ at \S+ \(Operator\.Stop: stopped from the console\)/,
    );
    expect(run.report?.cleanup?.leftovers).toEqual([]);
    expect(run.report?.cleanup?.deleted.length).toBeGreaterThan(0);
    const messages = run.box.world.inspect().messages;
    expect(messages.some((m) => /drill shop FAILED.*ExecutionAborted/.test(m.subject ?? ""))).toBe(true);
  });

  it("a failover stopped midway deletes nothing: lock free, report and notification say stopped", async () => {
    run = await stopMidway("scenarios/shop-failover.yaml", { mode: "failover", stopAt: "pollRestores" });

    expect(run.stopped.status).toBe("ABORTED");
    expect(run.aftermath.map((e) => e.status)).toEqual(["SUCCEEDED"]);
    const left = run.box.world.leftovers(run.runName);
    // The DR stack and the restores it started stay: a failover's resources are never deleted.
    expect(left.some((arn) => arn.includes(":stack/shop-dr/"))).toBe(true);
    expect(left.some((arn) => arn.includes(":rds:") || arn.includes(":restore-job:"))).toBe(true);
    expect(run.report?.cleanup?.status).toBe("NOT_APPLICABLE");
    expect(run.lock).toBeUndefined();
    expect(run.report?.outcome).toBe("FAILED");
    expect(run.report?.error?.name).toBe("ExecutionAborted");
    const messages = run.box.world.inspect().messages;
    expect(messages.some((m) => /failover shop FAILED.*ExecutionAborted/.test(m.subject ?? ""))).toBe(true);
  });

  it("a drill that failed and finished its failure path: the aftermath does nothing", async () => {
    run = await stopMidway("scenarios/stack-rollback.yaml", { mode: "drill" });

    expect(run.stopped.status).toBe("FAILED");
    expect(run.aftermath.map((e) => e.status)).toEqual(["SUCCEEDED"]);
    const resolved = run.aftermath[0]?.history.find(
      (e) => e.stateExitedEventDetails?.name === "ResolveStoppedRun",
    );
    expect(JSON.parse(resolved?.stateExitedEventDetails?.output ?? "{}").aftermath).toMatchObject({
      status: "FAILED",
      action: "none",
    });
    expect(run.report?.error?.name).toBe("StackFailed");
    expect(run.lock).toBeUndefined();
  });
});
