/**
 * The local runner reads a history in the form AWS writes it: drctl's Tasks call Lambda function
 * ARNs, so their results are in LambdaFunctionSucceeded events (not TaskSucceeded).
 */
import { afterAll, describe, expect, it } from "vitest";
import { restoreProgress, runNameFrom } from "../../../scripts/sandbox/execution-history.js";
import { closeAll, fn, sfnWire } from "./sfn-support.js";

afterAll(closeAll);

describe("the local runner's reading of the execution history", () => {
  it("takes restore progress from the LambdaFunctionSucceeded result and the run name from ValidateInput's exit", async () => {
    // Prepare
    const wire = await sfnWire({
      validate: () => ({ name: "drill-shop-20260301-0900" }),
      poll: () => ({ jobsKey: "runs/r/jobs.json", completed: 1, total: 3, failed: 1 }),
    });
    // Act
    const { events } = await wire.run({
      StartAt: "ValidateInput",
      States: {
        ValidateInput: { Type: "Task", Resource: fn("validate"), ResultPath: "$.run", Next: "PollRestores" },
        PollRestores: { Type: "Task", Resource: fn("poll"), ResultPath: "$.restores", End: true },
      },
    });
    // Assess
    expect(events.map(restoreProgress).filter((p) => p !== undefined)).toEqual(["1/3 (1 failed)"]);
    expect(runNameFrom(events)).toBe("drill-shop-20260301-0900");
  });
});
