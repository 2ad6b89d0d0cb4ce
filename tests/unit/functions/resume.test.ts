/**
 * Resume (the failure path's Failed task) against the sandbox's World (tests/support/step-world.ts,
 * step-executions.ts): the run's documents in the World's S3, the per-app lock in its SSM, the
 * executions real ones of the World's Step Functions, and the step's calls signed as the resume
 * function under its synthesized IAM. One World for the file: each case is its own execution (its
 * own run and documents) and begins with no lock.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { handler } from "../../../functions/resume/handler.js";
import { type ResumeDeps, resume } from "../../../functions/resume/resume.js";
import { runKeys } from "../../../functions/shared/artifacts.js";
import { localContext } from "../../../functions/shared/middleware.js";
import type { RunContext } from "../../../functions/shared/types.js";
import { runContext } from "../../support/fixtures.js";
import {
  deleteParameter,
  parameterValue,
  putLock,
  type StepExecutions,
  stepExecutions,
  worldLock,
} from "../../support/step-executions.js";
import { type StepWorld, stepWorld } from "../../support/step-world.js";

let w: StepWorld;
let x: StepExecutions;
let deps: ResumeDeps;
beforeAll(async () => {
  w = await stepWorld("resume");
  x = await stepExecutions(w);
  deps = { store: w.store, ssm: w.apis.ssm, sfn: x.sfn("resume") };
});
afterAll(async () => {
  await x?.close();
  await w?.close();
});
/** Each case starts with no lock (the failure path of the failed attempt released it). */
beforeEach(() => deleteParameter(w));

const CAUSE = JSON.stringify({
  errorType: "IntegrationFailed",
  errorMessage: "orders-db (rds): denied",
  trace: [],
});

/**
 * A run whose execution (RUNNING in the World: the Failed task runs in it) failed at `step`, and the
 * state its failure path hands to the Failed task.
 */
async function setup(mode: "drill" | "failover", step = "Integrate") {
  const me = await x.start("RUNNING");
  const run = runContext({ mode, executionArn: me.executionArn, startedAt: me.startDate.toISOString() });
  const state = {
    run,
    recovery: {
      stack: {
        stackId: "s",
        status: "CREATE_COMPLETE",
        done: true,
        waitSeconds: 1,
        startedAt: run.startedAt,
      },
    },
    integration: {
      integrationKey: runKeys(run.artifactsPrefix).integration,
      total: 1,
      done: 0,
      pending: 1,
      allDone: false,
      waitSeconds: 5,
    },
    error: { Error: "IntegrationFailed", Cause: CAUSE },
    failure: { step, error: { Error: "IntegrationFailed", Cause: CAUSE }, redriveCount: 0 },
    notify: { messageId: "m-1", opsItemId: null },
    extra: { kept: "as it was" },
  };
  return { run, state, from: w.requests().length };
}

/** A JSON document of the World's artifacts bucket (seed client); undefined when there is none. */
async function documentAt(key: string): Promise<unknown> {
  try {
    const out = await w.seed("s3", "GetObject", { Bucket: w.names.bucket, Key: key });
    return JSON.parse(String(out.Body));
  } catch (error) {
    if ((error as { code?: string }).code === "NoSuchKey") return undefined;
    throw error;
  }
}

const lockOf = (run: RunContext) => ({
  executionArn: run.executionArn,
  run: run.name,
  startedAt: run.startedAt,
});

describe("resume (the failure path's Failed task)", () => {
  it("raises the recorded error under its own name while the execution has not been redriven", async () => {
    // Prepare
    const { state, from } = await setup("failover");
    // Act
    const raised = await resume({ state, redriveCount: 0 }, deps).catch((e: Error) => e);
    // Assess
    expect(raised).toBeInstanceOf(Error);
    expect([(raised as Error).name, (raised as Error).message]).toEqual([
      "IntegrationFailed",
      "orders-db (rds): denied",
    ]);
    expect(w.requests().slice(from)).toHaveLength(0);
    expect(await parameterValue(w)).toBeUndefined();
  });

  it("through the Lambda handler too: the error type Step Functions sees is the recorded one", async () => {
    // Prepare
    process.env.ARTIFACTS_BUCKET ??= "drctl-artifacts-test";
    process.env.AWS_REGION ??= "us-west-2";
    const { state } = await setup("failover");
    // Act
    const raised = await handler({ state, redriveCount: 0 }, localContext("resume")).catch((e: Error) => e);
    // Assess
    expect((raised as Error).name).toBe("IntegrationFailed");
  });

  it("on a redrive of a failover: takes the lock back and resumes at the failed state with the state it had", async () => {
    // Prepare
    const { state, run, from } = await setup("failover");
    // Act
    const out = await resume({ state, redriveCount: 1 }, deps);
    // Assess
    expect(out).toEqual({
      run,
      recovery: state.recovery,
      integration: state.integration,
      extra: state.extra,
      redrive: { count: 1, resumeAt: "Integrate", failedStep: "Integrate", error: "IntegrationFailed" },
    });
    const requests = w.requests().slice(from);
    expect(requests.map((r) => r.operation)).toEqual(["PutParameter"]);
    expect(requests[0]?.input).toMatchObject({ Name: "/drctl/lock/shop", Overwrite: false });
    expect(await worldLock(w)).toEqual(lockOf(run));
  });

  it("refuses with RecoveryInProgress when another run took the lock meanwhile", async () => {
    // Prepare: another execution, still running, holds the lock
    const { state, run } = await setup("failover");
    const other = await x.start("RUNNING");
    const held = { executionArn: other.executionArn, run: "failover-shop-other" };
    await putLock(w, held);
    // Act
    const raised = await resume({ state, redriveCount: 1 }, deps).catch((e: Error) => e);
    // Assess
    expect((raised as Error).name).toBe("RecoveryInProgress");
    expect((raised as Error).message).toContain(other.executionArn);
    expect(await worldLock(w)).toEqual(held);
    expect((await worldLock(w))?.executionArn).not.toBe(run.executionArn);
  });

  it("on a redrive of a cleaned-up drill: restarts at Recover with new tokens, its progress documents set aside", async () => {
    // Prepare
    const { state, run } = await setup("drill");
    const keys = runKeys(run.artifactsPrefix);
    await w.putJson(keys.jobs, { run: run.name, jobs: [] });
    await w.putJson(keys.integration, { run: run.name, resources: [] });
    await w.putJson(keys.plan, { kept: true });
    // Act
    const out = await resume({ state, redriveCount: 2 }, deps);
    // Assess
    expect(out).toEqual({
      run: { ...run, redrive: 2 },
      extra: state.extra,
      redrive: { count: 2, resumeAt: "Recover", failedStep: "Integrate", error: "IntegrationFailed" },
    });
    const archived = runKeys(`${run.artifactsPrefix}attempt-2/`);
    expect([await documentAt(keys.jobs), await documentAt(keys.integration)]).toEqual([undefined, undefined]);
    expect(await documentAt(archived.jobs)).toEqual({ run: run.name, jobs: [] });
    expect(await documentAt(archived.integration)).toEqual({ run: run.name, resources: [] });
    expect(await documentAt(keys.plan)).toEqual({ kept: true });
    expect(await worldLock(w)).toEqual(lockOf(run));
  });

  it("a drill that failed after its recovery (report, cleanup) resumes at that state", async () => {
    // Prepare
    const { state, run } = await setup("drill", "FinalizeReport");
    // Act
    const out = await resume({ state, redriveCount: 1 }, deps);
    // Assess
    expect(out.redrive).toMatchObject({ resumeAt: "FinalizeReport" });
    expect((out.run as { redrive?: number }).redrive).toBeUndefined();
    expect(await worldLock(w)).toEqual(lockOf(run));
  });
});
