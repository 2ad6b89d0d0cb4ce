/** `drctl redrive <execution-arn>` against the sandbox's Step Functions (RedriveExecution). */
import { DescribeExecutionCommand } from "@aws-sdk/client-sfn";
import { afterAll, describe, expect, it } from "vitest";
import { redrive } from "../../../scripts/cli/redrive.js";
import { closeAll, fn, sfnWire } from "./sfn-support.js";

afterAll(closeAll);

describe("drctl redrive", () => {
  it("redrives a failed execution, and refuses a succeeded one with Step Functions' reason", async () => {
    // Prepare
    let calls = 0;
    const wire = await sfnWire({
      work: async () => {
        calls++;
        if (calls === 1) throw Object.assign(new Error("first time"), { name: "Boom" });
        return { ok: true };
      },
    });
    const { executionArn } = await wire.run({
      StartAt: "W",
      States: { W: { Type: "Task", Resource: fn("work"), End: true } },
    });
    const lines: string[] = [];
    const deps = { sfn: wire.sfn, print: (l: string) => lines.push(l) };
    // Act
    const first = await redrive([executionArn], deps);
    await Promise.all(wire.backend.executionRecords().map((r) => r.done));
    const again = await redrive([executionArn], deps);
    const bad = await redrive(["not-an-arn"], deps);
    const described = await wire.sfn.send(new DescribeExecutionCommand({ executionArn }));
    // Assess
    expect([first, again, bad]).toEqual([0, 1, 2]);
    expect(described).toMatchObject({ status: "SUCCEEDED", redriveCount: 1 });
    expect(lines[0]).toContain("is FAILED (Boom); redriving");
    expect(lines[1]).toMatch(/^redriven at \S+ \(redrive 1\)/);
    expect(lines[2]).toContain("not redrivable: Execution is SUCCEEDED and cannot be redriven");
    expect(lines[3]).toMatch(/^usage: drctl redrive/);
  });
});
