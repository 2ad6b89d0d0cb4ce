import { describe, expect, it } from "vitest";
import { aftermath, MAX_CAUSE } from "../../../functions/aftermath/aftermath.js";
import type { ExecutionFacts, HistoryEntry } from "../../../functions/shared/aws/sfn.js";
import type { SsmApi } from "../../../functions/shared/aws/ssm.js";
import { runContext } from "../../support/fixtures.js";

const MACHINE = "arn:aws:states:us-west-2:111122223333:stateMachine:drctl-shop";
const STOPPED = "arn:aws:states:us-west-2:111122223333:execution:drctl-shop:drill-1";
const SELF = { id: "arn:aws:states:us-west-2:111122223333:execution:drctl-shop:aftermath-1" };
const request = { cleanupOf: STOPPED, trigger: "execution-status-change" };

const lockOf = (executionArn: string) => JSON.stringify({ executionArn, run: "drill-shop-x" });

function deps(facts: Partial<ExecutionFacts>, history: HistoryEntry[], lock?: string) {
  const params = new Map(lock ? [["/drctl/lock/shop", lock]] : []);
  const ssm = {
    getParameter: async (name: string) => params.get(name),
    deleteParameter: async (name: string) => params.delete(name),
  } as unknown as SsmApi;
  return {
    params,
    deps: {
      executions: {
        describeExecution: async (arn: string) =>
          ({
            executionArn: arn,
            stateMachineArn: MACHINE,
            startDate: new Date(0),
            ...facts,
          }) as ExecutionFacts,
        historyPage: async (_arn: string, o: { newestFirst: boolean }) =>
          o.newestFirst ? [...history].reverse() : history,
      },
      ssm,
      defaultApp: "shop",
    },
  };
}

const ev = (id: number, type: string, stateName?: string, payload?: object): HistoryEntry => ({
  id,
  type,
  timestamp: new Date(id * 1000),
  ...(stateName && { stateName }),
  ...(payload && { payload: JSON.stringify(payload) }),
});

describe("aftermath", () => {
  it("a drill stopped after ValidateInput: cleanup, with its run, its last state's dns and a bounded cause", async () => {
    const run = runContext({ executionArn: STOPPED });
    const history = [
      ev(1, "ExecutionStarted"),
      ev(2, "TaskStateExited", "ValidateInput", { run }),
      ev(3, "TaskStateEntered", "Integrate", { run, integration: undefined }),
      ev(4, "ExecutionAborted"),
    ];
    const { deps: d } = deps(
      { status: "ABORTED", input: '{"mode":"drill"}', error: "X", cause: "y".repeat(5000) },
      history,
    );
    const out = await aftermath({ request, execution: SELF }, d);
    expect(out.aftermath).toMatchObject({ action: "cleanup", status: "ABORTED", lastState: "Integrate" });
    expect(out.run?.name).toBe(run.name);
    expect(out.failure?.error.Error).toBe("ExecutionAborted");
    expect(out.failure?.error.Cause?.length).toBe(MAX_CAUSE);
    expect(JSON.stringify(out)).not.toContain('"mode":"drill"}');
  });

  it("stopped before ValidateInput returned: releases the lock only when it names that execution", async () => {
    for (const [holder, left] of [
      [lockOf(STOPPED), undefined],
      [
        lockOf("arn:aws:states:us-west-2:111122223333:execution:drctl-shop:other"),
        lockOf("arn:aws:states:us-west-2:111122223333:execution:drctl-shop:other"),
      ],
    ] as const) {
      const { deps: d, params } = deps(
        { status: "ABORTED", input: '{"mode":"drill"}' },
        [ev(1, "ExecutionStarted")],
        holder,
      );
      const out = await aftermath({ request, execution: SELF }, d);
      expect(out.aftermath.action).toBe("unlock");
      expect(out.run).toBeUndefined();
      expect(params.get("/drctl/lock/shop")).toBe(left);
    }
  });

  it("nothing to do for a cleanup run, a succeeded run, or a FAILED run whose failure path finished", async () => {
    const finished = [
      ev(1, "TaskStateExited", "ReportFailure", { report: { final: true, outcome: "FAILED" } }),
    ];
    const cases: [Partial<ExecutionFacts>, HistoryEntry[]][] = [
      [{ status: "FAILED", input: JSON.stringify(request) }, []],
      [{ status: "SUCCEEDED", input: "{}" }, []],
      [{ status: "FAILED", input: "{}" }, finished],
    ];
    for (const [facts, history] of cases) {
      const out = await aftermath({ request, execution: SELF }, deps(facts, history).deps);
      expect(out.aftermath.action).toBe("none");
    }
  });

  it("refuses an input that is not {cleanupOf} of this state machine, without echoing it", async () => {
    const { deps: d } = deps({ status: "ABORTED" }, []);
    const other = "arn:aws:states:us-west-2:111122223333:execution:drctl-other:x";
    await expect(aftermath({ request: { cleanupOf: other }, execution: SELF }, d)).rejects.toMatchObject({
      name: "InputInvalid",
    });
    const big = { cleanupOf: STOPPED, extra: "z".repeat(100_000) };
    const err = (await aftermath({ request: big, execution: SELF }, d).catch((e) => e)) as Error;
    expect(err.name).toBe("InputInvalid");
    expect(err.message.length).toBeLessThan(MAX_CAUSE + 50);
  });
});
