import { describe, expect, it } from "vitest";
import { runScenario } from "./support.js";

describe("state machine path: stack ROLLBACK (scenarios/stack-rollback.yaml)", () => {
  it("fails at CheckStack and the failed drill still cleans up", async () => {
    const run = await runScenario("scenarios/stack-rollback.yaml");

    expect(run.status).toBe("FAILED");
    expect(run.report.failedStep).toBe("CheckStack");
    expect(run.report.error?.name).toBe("StackFailed");
    expect(run.report.cleanup?.leftovers).toEqual([]);
    expect(run.leftovers).toEqual([]);
    expect(run.exitCode).toBe(0);
  });
});
