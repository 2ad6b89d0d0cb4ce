import { SFNClient } from "@aws-sdk/client-sfn";
import {
  GetParameterCommand,
  ParameterAlreadyExists,
  PutParameterCommand,
  SSMClient,
} from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { handler } from "../../../functions/resume/handler.js";
import { resume } from "../../../functions/resume/resume.js";
import { runKeys } from "../../../functions/shared/artifacts.js";
import { sfnApi } from "../../../functions/shared/aws/sfn.js";
import { ssmApi } from "../../../functions/shared/aws/ssm.js";
import { localContext } from "../../../functions/shared/middleware.js";
import { memoryS3, runContext } from "../../support/fixtures.js";

const CAUSE = JSON.stringify({
  errorType: "IntegrationFailed",
  errorMessage: "orders-db (rds): denied",
  trace: [],
});

function setup(mode: "drill" | "failover", step = "Integrate") {
  const s3 = memoryS3();
  const client = new SSMClient({ region: "us-west-2" });
  const ssm = mockClient(client);
  const run = runContext({ mode });
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
  return {
    s3,
    ssm,
    run,
    state,
    deps: { store: s3.store, ssm: ssmApi(client), sfn: sfnApi(new SFNClient({ region: "us-west-2" })) },
  };
}

describe("resume (the failure path's Failed task)", () => {
  it("raises the recorded error under its own name while the execution has not been redriven", async () => {
    // Prepare
    const { state, deps, ssm } = setup("failover");
    // Act
    const raised = await resume({ state, redriveCount: 0 }, deps).catch((e: Error) => e);
    // Assess
    expect(raised).toBeInstanceOf(Error);
    expect([(raised as Error).name, (raised as Error).message]).toEqual([
      "IntegrationFailed",
      "orders-db (rds): denied",
    ]);
    expect(ssm.commandCalls(PutParameterCommand)).toHaveLength(0);
  });

  it("through the Lambda handler too: the error type Step Functions sees is the recorded one", async () => {
    // Prepare
    process.env.ARTIFACTS_BUCKET ??= "drctl-artifacts-test";
    process.env.AWS_REGION ??= "us-west-2";
    const { state } = setup("failover");
    // Act
    const raised = await handler({ state, redriveCount: 0 }, localContext("resume")).catch((e: Error) => e);
    // Assess
    expect((raised as Error).name).toBe("IntegrationFailed");
  });

  it("on a redrive of a failover: takes the lock back and resumes at the failed state with the state it had", async () => {
    // Prepare
    const { state, deps, ssm, run } = setup("failover");
    ssm.on(PutParameterCommand).resolves({ Version: 1 });
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
    expect(ssm.commandCalls(PutParameterCommand)[0]?.args[0].input).toMatchObject({
      Name: "/drctl/lock/shop",
      Overwrite: false,
    });
    const value = ssm.commandCalls(PutParameterCommand)[0]?.args[0].input.Value ?? "{}";
    expect(JSON.parse(value)).toMatchObject({ executionArn: run.executionArn, run: run.name });
  });

  it("refuses with RecoveryInProgress when another run took the lock meanwhile", async () => {
    // Prepare
    const { state, deps, ssm } = setup("failover");
    ssm.on(PutParameterCommand).rejects(new ParameterAlreadyExists({ message: "exists", $metadata: {} }));
    ssm
      .on(GetParameterCommand)
      .resolves({ Parameter: { Name: "/drctl/lock/shop", Value: "failover-shop-other" } });
    // Act
    const raised = await resume({ state, redriveCount: 1 }, deps).catch((e: Error) => e);
    // Assess
    expect((raised as Error).name).toBe("RecoveryInProgress");
  });

  it("on a redrive of a cleaned-up drill: restarts at Recover with new tokens, its progress documents set aside", async () => {
    // Prepare
    const { state, deps, ssm, s3, run } = setup("drill");
    ssm.on(PutParameterCommand).resolves({ Version: 1 });
    const keys = runKeys(run.artifactsPrefix);
    s3.putJson(keys.jobs, { run: run.name, jobs: [] });
    s3.putJson(keys.integration, { run: run.name, resources: [] });
    s3.putJson(keys.plan, { kept: true });
    // Act
    const out = await resume({ state, redriveCount: 2 }, deps);
    // Assess
    expect(out).toEqual({
      run: { ...run, redrive: 2 },
      extra: state.extra,
      redrive: { count: 2, resumeAt: "Recover", failedStep: "Integrate", error: "IntegrationFailed" },
    });
    const archived = runKeys(`${run.artifactsPrefix}attempt-2/`);
    expect([s3.getJson(keys.jobs), s3.getJson(keys.integration)]).toEqual([undefined, undefined]);
    expect(s3.getJson(archived.jobs)).toEqual({ run: run.name, jobs: [] });
    expect(s3.getJson(archived.integration)).toEqual({ run: run.name, resources: [] });
    expect(s3.getJson(keys.plan)).toEqual({ kept: true });
  });

  it("a drill that failed after its recovery (report, cleanup) resumes at that state", async () => {
    // Prepare
    const { state, deps, ssm } = setup("drill", "FinalizeReport");
    ssm.on(PutParameterCommand).resolves({ Version: 1 });
    // Act
    const out = await resume({ state, redriveCount: 1 }, deps);
    // Assess
    expect(out.redrive).toMatchObject({ resumeAt: "FinalizeReport" });
    expect((out.run as { redrive?: number }).redrive).toBeUndefined();
  });
});
