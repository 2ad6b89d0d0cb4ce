import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../../scripts/sandbox/clock.js";
import { SfnBackend } from "../../../scripts/sandbox/sfn/backend.js";
import type { ExecutionRecord } from "../../../scripts/sandbox/sfn/execution.js";
import { LambdaRegistry } from "../../../scripts/sandbox/sfn/lambda-registry.js";
import { Scheduler, timeSourceOf } from "../../../scripts/sandbox/sfn/scheduler.js";

const REGION = "us-west-2";
const ROLE = "arn:aws:iam::111122223333:role/drctl-orchestrator";

function setup() {
  const clock = new VirtualClock("2026-03-01T09:00:00.000Z");
  const registry = new LambdaRegistry().register("whole", async () => ({ replaced: true }));
  const backend = new SfnBackend({
    account: "111122223333",
    scheduler: new Scheduler(timeSourceOf(clock)),
    registry,
  });
  const call = (operation: string, input: Record<string, unknown>) =>
    backend.call({ service: "sfn", operation, region: REGION, input }) as Promise<Record<string, unknown>>;
  return { backend, call };
}

async function start(s: ReturnType<typeof setup>, definition: object, input: object) {
  const { stateMachineArn } = await s.call("CreateStateMachine", {
    name: `m${Math.random().toString(36).slice(2, 8)}`,
    definition: JSON.stringify(definition),
    roleArn: ROLE,
  });
  const { executionArn } = await s.call("StartExecution", { stateMachineArn, input: JSON.stringify(input) });
  const rec = s.backend.executionRecords().find((r) => r.executionArn === executionArn);
  await rec?.done;
  return rec as ExecutionRecord;
}

describe("SFN emulation: status changes and ResultPath", () => {
  it('ResultPath "$" replaces the state with the result (as Step Functions does)', async () => {
    const s = setup();
    const rec = await start(
      s,
      {
        StartAt: "Whole",
        States: {
          Whole: {
            Type: "Task",
            Resource: "arn:aws:lambda:us-west-2:111122223333:function:whole",
            ResultPath: "$",
            Next: "Read",
          },
          Read: {
            Type: "Choice",
            Choices: [{ Variable: "$.replaced", BooleanEquals: true, Next: "Yes" }],
            Default: "No",
          },
          Yes: { Type: "Succeed" },
          No: { Type: "Fail", Error: "NotReplaced" },
        },
      },
      { before: 1 },
    );
    expect(rec.status).toBe("SUCCEEDED");
    expect(JSON.parse(rec.output ?? "null")).toEqual({ replaced: true });
  });

  it("tells the status listeners when an execution starts and when it ends; no more after shutdown", async () => {
    const s = setup();
    const seen: string[] = [];
    s.backend.onStatusChange((r) => seen.push(`${r.name}:${r.status}`));
    const rec = await start(s, { StartAt: "P", States: { P: { Type: "Pass", End: true } } }, {});
    await Promise.resolve();
    expect(seen).toEqual([`${rec.name}:RUNNING`, `${rec.name}:SUCCEEDED`]);
    s.backend.stopAll();
    await start(s, { StartAt: "P", States: { P: { Type: "Pass", End: true } } }, {});
    expect(seen).toHaveLength(2);
  });
});
