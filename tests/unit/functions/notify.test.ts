import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { CreateOpsItemCommand, SSMClient } from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { handler } from "../../../functions/notify/handler.js";
import { type NotifyDeps, type NotifyEvent, notify } from "../../../functions/notify/notify.js";
import { snsApi } from "../../../functions/shared/aws/sns.js";
import { ssmApi } from "../../../functions/shared/aws/ssm.js";
import { localContext } from "../../../functions/shared/middleware.js";
import { type MemoryS3, memoryS3, runContext } from "../../support/fixtures.js";
import { awsError, HistoryBuilder, sfnWith } from "../../support/fixtures-report.js";

const TOPIC = "arn:aws:sns:us-west-2:111122223333:drctl";
const RUN = runContext();
const sns = mockClient(new SNSClient({ region: "us-west-2" }));
const ssm = mockClient(new SSMClient({ region: "us-west-2" }));
let s3: MemoryS3;

/** Recover failed because CheckStack failed with StackFailed. */
function failedHistory() {
  const h = new HistoryBuilder()
    .task("ValidateInput", 0, 1)
    .enter("Recover", 2, "Parallel")
    .task("DeployStack", 2, 3);
  h.failTask("CheckStack", 300, 301, "StackFailed", '{"errorMessage":"stack rolled back"}');
  return h
    .parallelFailed("Recover", 301, "StackFailed")
    .pass("FailedAtRecover", 301)
    .enter("NotifyFailure", 302);
}

function deps(history = failedHistory()): NotifyDeps & { sfnMock: ReturnType<typeof sfnWith>["mock"] } {
  const sfn = sfnWith(history.events);
  return {
    sns: snsApi(sns as unknown as SNSClient),
    ssm: ssmApi(ssm as unknown as SSMClient),
    sfn: sfn.api,
    sfnMock: sfn.mock,
    store: s3.store,
    topicArn: TOPIC,
    now: () => new Date(),
  };
}

const failedAtRecover = (run = RUN): NotifyEvent => ({
  outcome: "FAILED",
  state: {
    run,
    failure: {
      step: "Recover",
      error: {
        Error: "StackFailed",
        Cause: '{"errorType":"StackFailed","errorMessage":"stack shop-dr rolled back: Subnet capacity"}',
      },
    },
  },
});

beforeEach(() => {
  sns.reset();
  ssm.reset();
  s3 = memoryS3();
  sns.on(PublishCommand).resolves({ MessageId: "msg-1" });
  ssm.on(CreateOpsItemCommand).resolves({ OpsItemId: "oi-1" });
});

describe("notify", () => {
  it("publishes a failure naming the task that failed, and opens an OpsItem", async () => {
    // Act
    const result = await notify(failedAtRecover(), deps());
    // Assess
    expect(result).toEqual({ messageId: "msg-1", opsItemId: "oi-1" });
    const published = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(published?.TopicArn).toBe(TOPIC);
    expect(published?.Subject).toBe("drctl drill shop FAILED at CheckStack: StackFailed");
    expect(published?.Message).toContain(`Run:        ${RUN.name}`);
    expect(published?.Message).toContain("Mode:       drill");
    expect(published?.Message).toContain("Trigger:    manual");
    expect(published?.Message).toContain("Step:       CheckStack");
    expect(published?.Message).toContain("Cause:      stack shop-dr rolled back: Subnet capacity");
    expect(published?.Message).toContain(
      `Report:     s3://drctl-artifacts-test/${RUN.artifactsPrefix}report.json`,
    );
    const ops = ssm.commandCalls(CreateOpsItemCommand)[0]?.args[0].input;
    expect(ops).toMatchObject({
      Title: "drctl drill shop FAILED at CheckStack: StackFailed",
      Source: "drctl",
      Category: "Recovery",
      Severity: "3",
    });
    expect(ops?.OperationalData).toMatchObject({
      "drctl:run": { Value: RUN.name, Type: "SearchableString" },
      "drctl:executionArn": { Value: RUN.executionArn },
      "drctl:step": { Value: "CheckStack" },
      "drctl:error": { Value: "StackFailed" },
    });
  });

  it("opens a severity 2 OpsItem for a failover", async () => {
    await notify(failedAtRecover(runContext({ mode: "failover" })), deps());
    expect(ssm.commandCalls(CreateOpsItemCommand)[0]?.args[0].input.Severity).toBe("2");
  });

  it("works without a run (the input was rejected) and names the input", async () => {
    // Prepare
    const d = deps();
    const event: NotifyEvent = {
      outcome: "FAILED",
      state: {
        input: { mode: "drill", app: "nope" },
        failure: {
          step: "ValidateInput",
          error: { Error: "ConfigInvalid", Cause: "no configuration for app 'nope'" },
        },
      },
    };
    // Act
    const result = await notify(event, d);
    // Assess
    expect(result.messageId).toBe("msg-1");
    const published = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(published?.Subject).toBe("drctl drill nope FAILED at ValidateInput: ConfigInvalid");
    expect(published?.Message).toContain('Input:      {"mode":"drill","app":"nope"}');
    expect(published?.Message).toContain("Cause:      no configuration for app 'nope'");
    expect(d.sfnMock.calls()).toHaveLength(0);
    expect(
      ssm.commandCalls(CreateOpsItemCommand)[0]?.args[0].input.OperationalData?.["drctl:run"]?.Value,
    ).toBe("none");
  });

  it("names the JSON type of an execution input that is not an object, and never repeats a long value", async () => {
    // Prepare
    const failure = { step: "ValidateInput", error: { Error: "InputInvalid", Cause: "execution input: …" } };
    // Act
    await notify({ outcome: "FAILED", state: { input: "drill", failure } }, deps());
    await notify({ outcome: "FAILED", state: { input: { mode: "x".repeat(5000) }, failure } }, deps());
    // Assess
    const [first, second] = sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
    expect(first?.Subject).toBe("drctl recovery FAILED at ValidateInput: InputInvalid");
    expect(first?.Message).toContain("Input:      not a JSON object (a string)");
    expect(second?.Message).toContain(`Input:      {"mode":"${"x".repeat(80)}"}`);
    expect(second?.Message).not.toContain("x".repeat(81));
  });

  it("publishes success with RTO and RPO from the report, and opens no OpsItem", async () => {
    // Prepare
    const reportKey = `${RUN.artifactsPrefix}report.json`;
    s3.putJson(reportKey, {
      version: 1,
      execution: {
        name: RUN.name,
        mode: "drill",
        trigger: "manual",
        local: false,
        startedAt: "2026-03-01T09:00:00.000Z",
        endedAt: "2026-03-01T10:00:00.000Z",
        historyEvents: 10,
        stateTransitions: 5,
        maxPayloadBytes: 100,
      },
      outcome: "SUCCEEDED",
      failedStep: null,
      error: null,
      objectives: { rtoMinutes: 240, rpoMinutes: 60 },
      rtoSeconds: 3125,
      criticalPathSeconds: 3000,
      rpoSeconds: 1500,
      phases: [],
      resources: [],
      dns: { changed: false, record: "app.example.com.", from: null, to: null },
      cleanup: { deleted: ["a"], leftovers: [] },
    });
    const event: NotifyEvent = {
      outcome: "SUCCEEDED",
      state: {
        run: RUN,
        report: {
          reportKey,
          markdownKey: `${RUN.artifactsPrefix}report.md`,
          htmlKey: `${RUN.artifactsPrefix}report.html`,
          outcome: "SUCCEEDED",
          final: true,
        },
      },
    };
    // Act
    const result = await notify(event, deps());
    // Assess
    expect(result).toEqual({ messageId: "msg-1", opsItemId: null });
    const published = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(published?.Subject).toBe("drctl drill shop SUCCEEDED");
    expect(published?.Message).toContain("RTO:        52m 05s (objective 240m)");
    expect(published?.Message).toContain("RPO:        25m 00s (objective 60m)");
    expect(published?.Message).toContain("Leftovers:  0");
    expect(ssm.commandCalls(CreateOpsItemCommand)).toHaveLength(0);
  });

  it("still opens the OpsItem when SNS refuses, and fails only when both do", async () => {
    // Prepare
    sns.on(PublishCommand).rejects(awsError("AuthorizationError", "not authorized"));
    // Act
    const first = await notify(failedAtRecover(), deps());
    ssm.on(CreateOpsItemCommand).rejects(awsError("AccessDeniedException", "denied"));
    const second = await notify(failedAtRecover(), deps()).catch((e: unknown) => e);
    // Assess
    expect(first).toEqual({ messageId: null, opsItemId: "oi-1" });
    expect(second).toMatchObject({ name: "AwsCallFailed" });
  });

  it("fails a success notification SNS refuses: no channel delivered it (the Catch records it)", async () => {
    // Prepare
    sns.on(PublishCommand).rejects(awsError("AuthorizationError", "not authorized"));
    // Act
    const raised = await notify({ state: { run: RUN }, outcome: "SUCCEEDED" }, deps()).catch(
      (e: unknown) => e,
    );
    // Assess
    expect(raised).toMatchObject({ name: "AwsCallFailed" });
    expect(ssm.commandCalls(CreateOpsItemCommand)).toHaveLength(0);
  });
});

describe("notify handler", () => {
  it("rejects a bad event with InputInvalid", async () => {
    vi.stubEnv("ARTIFACTS_BUCKET", "drctl-artifacts-test");
    vi.stubEnv("SNS_TOPIC_ARN", TOPIC);
    const err = await handler({ state: {}, outcome: "MAYBE" }, localContext("notify")).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ name: "InputInvalid" });
    expect((err as Error).message).toContain("outcome");
    vi.unstubAllEnvs();
  });
});
