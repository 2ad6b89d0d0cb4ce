/**
 * The Step Functions API of the emulation through the SDK v3 SFNClient: name rules, StartExecution's
 * idempotency, DescribeExecution of each end, ListExecutions. Sources in docs/fidelity.md,
 * "Step Functions".
 */
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  ListExecutionsCommand,
  StartExecutionCommand,
  StopExecutionCommand,
} from "@aws-sdk/client-sfn";
import { afterAll, describe, expect, it } from "vitest";
import { closeAll, FN, fn, ROLE, sfnWire } from "./sfn-support.js";
import { rejection } from "./world-wire.js";

afterAll(closeAll);

const PASS = { StartAt: "P", States: { P: { Type: "Pass", End: true } } };

/** A Task whose function returns only when `release` is called: its execution stays RUNNING. */
function held() {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const handler = async () => {
    await gate;
    return { ok: true };
  };
  return { handler, release: () => release() };
}

describe("Step Functions names", () => {
  it('takes 1 to 80 characters other than white space, brackets, wildcards, " # % \\ ^ | ~ ` $ & , ; : / and control characters', async () => {
    // Prepare
    const { sfn } = await sfnWire({});
    const create = (name: string) =>
      sfn.send(new CreateStateMachineCommand({ name, definition: JSON.stringify(PASS), roleArn: ROLE }));
    // Act
    const ok = await create("drctl.shop+1=é");
    const started = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: ok.stateMachineArn, name: "drill.shop@2026-03-01" }),
    );
    const bad = await Promise.all(
      ["a b", "a:b", "a/b", "a*b", "a\u0007b", "x".repeat(81)].map((n) => rejection(create(n))),
    );
    // Assess
    expect(ok.stateMachineArn).toMatch(/:stateMachine:drctl\.shop\+1=é$/);
    expect(started.executionArn).toMatch(/:execution:drctl\.shop\+1=é:drill\.shop@2026-03-01$/);
    expect(bad.map((e) => e.name)).toEqual(Array(6).fill("InvalidName"));
  });
});

describe("StartExecution", () => {
  it("is idempotent for a running execution with the same name and input; other input, or a closed execution of that name, is ExecutionAlreadyExists", async () => {
    // Prepare
    const gate = held();
    const { sfn, backend } = await sfnWire({ work: gate.handler });
    const definition = { StartAt: "W", States: { W: { Type: "Task", Resource: FN, End: true } } };
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({ name: "idem", definition: JSON.stringify(definition), roleArn: ROLE }),
    );
    const start = (input: string) =>
      sfn.send(new StartExecutionCommand({ stateMachineArn, name: "run-1", input }));
    // Act
    const first = await start('{"a":1}');
    const again = await start('{"a":1}');
    const otherInput = await rejection(start('{"a":2}'));
    gate.release();
    await Promise.all(backend.executionRecords().map((r) => r.done));
    const closed = await rejection(start('{"a":1}'));
    // Assess
    expect(again).toMatchObject({ executionArn: first.executionArn, startDate: first.startDate });
    expect([otherInput.name, closed.name]).toEqual(["ExecutionAlreadyExists", "ExecutionAlreadyExists"]);
    expect(backend.executionRecords()).toHaveLength(1);
  });
});

describe("DescribeExecution and ListExecutions", () => {
  it("a running or succeeded execution is NOT_REDRIVABLE with Step Functions' reason; failed, aborted and timed-out ones are REDRIVABLE; a timed-out one has no error or cause", async () => {
    // Prepare
    const gate = held();
    const stopGate = held();
    const wire = await sfnWire({ work: gate.handler, hold: stopGate.handler });
    const run = async (name: string, definition: object) => {
      const { stateMachineArn } = await wire.sfn.send(
        new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: ROLE }),
      );
      return (await wire.sfn.send(new StartExecutionCommand({ stateMachineArn }))).executionArn;
    };
    const d = async (executionArn: string | undefined) =>
      wire.sfn.send(new DescribeExecutionCommand({ executionArn }));
    // Act
    const r = await d(
      await run("running", { StartAt: "W", States: { W: { Type: "Task", Resource: FN, End: true } } }),
    );
    gate.release();
    await Promise.all(wire.backend.executionRecords().map((x) => x.done));
    const aborted = await run("aborted", {
      StartAt: "H",
      States: { H: { Type: "Task", Resource: fn("hold"), End: true } },
    });
    await wire.sfn.send(
      new StopExecutionCommand({ executionArn: aborted, error: "Stopped", cause: "by hand" }),
    );
    stopGate.release();
    const succeeded = await run("succeeded", PASS);
    const failed = await run("failed", {
      StartAt: "F",
      States: { F: { Type: "Fail", Error: "E", Cause: "c" } },
    });
    const timedOut = await run("timed-out", {
      StartAt: "W",
      TimeoutSeconds: 10,
      States: { W: { Type: "Wait", Seconds: 60, End: true } },
    });
    await Promise.all(wire.backend.executionRecords().map((x) => x.done));
    const [s, f, a, t] = await Promise.all([succeeded, failed, aborted, timedOut].map(d));
    // Assess
    expect(r).toMatchObject({
      status: "RUNNING",
      redriveStatus: "NOT_REDRIVABLE",
      redriveStatusReason: "Execution is RUNNING and cannot be redriven",
    });
    expect(s).toMatchObject({
      status: "SUCCEEDED",
      redriveStatus: "NOT_REDRIVABLE",
      redriveStatusReason: "Execution is SUCCEEDED and cannot be redriven",
    });
    expect(f).toMatchObject({
      status: "FAILED",
      error: "E",
      cause: "c",
      redriveStatus: "REDRIVABLE",
      redriveCount: 0,
    });
    expect(a).toMatchObject({
      status: "ABORTED",
      error: "Stopped",
      cause: "by hand",
      redriveStatus: "REDRIVABLE",
    });
    expect(t).toMatchObject({ status: "TIMED_OUT", redriveStatus: "REDRIVABLE" });
    expect([t?.error, t?.cause, f?.redriveStatusReason]).toEqual([undefined, undefined, undefined]);
  });

  it("ListExecutions lists newest first, filtered by status", async () => {
    // Prepare
    const wire = await sfnWire({});
    const { stateMachineArn } = await wire.sfn.send(
      new CreateStateMachineCommand({ name: "listed", definition: JSON.stringify(PASS), roleArn: ROLE }),
    );
    for (const name of ["one", "two", "three"]) {
      await wire.sfn.send(new StartExecutionCommand({ stateMachineArn, name }));
      wire.clock.advanceBy(60);
    }
    await Promise.all(wire.backend.executionRecords().map((r) => r.done));
    // Act
    const all = await wire.sfn.send(new ListExecutionsCommand({ stateMachineArn }));
    const failed = await wire.sfn.send(
      new ListExecutionsCommand({ stateMachineArn, statusFilter: "FAILED" }),
    );
    // Assess
    expect(all.executions?.map((e) => e.name)).toEqual(["three", "two", "one"]);
    expect(failed.executions).toEqual([]);
  });
});
