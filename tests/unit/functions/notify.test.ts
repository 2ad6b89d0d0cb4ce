/**
 * Notify against the sandbox's World (tests/support/step-world.ts): the notification topic and the
 * OpsItems are the World's SNS and Systems Manager, the report in its artifacts bucket, the calls
 * signed as the notify function under its synthesized IAM; refusals are the World's call faults.
 * The execution history stays a fixture (the World does not model Step Functions).
 */
import { SNSClient } from "@aws-sdk/client-sns";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { handler } from "../../../functions/notify/handler.js";
import { type NotifyDeps, type NotifyEvent, notify } from "../../../functions/notify/notify.js";
import { snsApi } from "../../../functions/shared/aws/sns.js";
import { localContext } from "../../../functions/shared/middleware.js";
import { runContext } from "../../support/fixtures.js";
import { HistoryBuilder, sfnWith } from "../../support/fixtures-report.js";
import { type StepWorld, stepClient, stepWorld } from "../../support/step-world.js";

const RUN = runContext();
let w: StepWorld;
let topic: string;

beforeAll(async () => {
  w = await stepWorld("notify");
  topic = w.names.topicArn;
  await w.seed("sns", "CreateTopic", { Name: topic.split(":").at(-1) });
});
afterAll(async () => {
  await w.close();
});

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
    sns: snsApi(stepClient(w, "notify", SNSClient, "SNS")),
    ssm: w.apis.ssm,
    sfn: sfn.api,
    sfnMock: sfn.mock,
    store: w.store,
    topicArn: topic,
    now: w.now,
  };
}

/** What the World received from the step since `mark()`: the messages published, the OpsItems opened. */
function mark() {
  const { messages, opsItems } = w.world.recovery;
  const [sent, opened, requests] = [messages.length, opsItems.length, w.requests().length];
  return () => {
    const step = w.requests().slice(requests);
    return {
      messages: messages.slice(sent),
      opsItems: opsItems.slice(opened),
      published: step.filter((r) => r.operation === "Publish" && !r.error).map((r) => r.input),
      opened: step.filter((r) => r.operation === "CreateOpsItem" && !r.error).map((r) => r.input),
    };
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

describe("notify", () => {
  it("publishes a failure naming the task that failed, and opens an OpsItem", async () => {
    // Prepare
    const since = mark();
    // Act
    const result = await notify(failedAtRecover(), deps());
    // Assess
    const { messages, opsItems, opened } = since();
    expect(result).toEqual({ messageId: expect.any(String), opsItemId: opsItems[0]?.id });
    expect(messages).toHaveLength(1);
    const published = {
      TopicArn: messages[0]?.topicArn,
      Subject: messages[0]?.subject,
      Message: messages[0]?.message,
    };
    expect(published?.TopicArn).toBe(topic);
    expect(published?.Subject).toBe("drctl drill shop FAILED at CheckStack: StackFailed");
    expect(published?.Message).toContain(`Run:        ${RUN.name}`);
    expect(published?.Message).toContain("Mode:       drill");
    expect(published?.Message).toContain("Trigger:    manual");
    expect(published?.Message).toContain("Step:       CheckStack");
    expect(published?.Message).toContain("Cause:      stack shop-dr rolled back: Subnet capacity");
    expect(published?.Message).toContain(
      `Report:     s3://${w.names.bucket}/${RUN.artifactsPrefix}report.json`,
    );
    expect(opsItems).toEqual([
      expect.objectContaining({ title: "drctl drill shop FAILED at CheckStack: StackFailed", severity: "3" }),
    ]);
    const ops = opened[0];
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
    const since = mark();
    await notify(failedAtRecover(runContext({ mode: "failover" })), deps());
    expect(since().opsItems.map((o) => o.severity)).toEqual(["2"]);
  });

  it("works without a run (the input was rejected) and names the input", async () => {
    // Prepare
    const d = deps();
    const since = mark();
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
    const { messages, opened } = since();
    expect(result.messageId).toBe(messages[0]?.messageId);
    const published = { Subject: messages[0]?.subject, Message: messages[0]?.message };
    expect(published?.Subject).toBe("drctl drill nope FAILED at ValidateInput: ConfigInvalid");
    expect(published?.Message).toContain('Input:      {"mode":"drill","app":"nope"}');
    expect(published?.Message).toContain("Cause:      no configuration for app 'nope'");
    expect(d.sfnMock.calls()).toHaveLength(0);
    expect(opened[0]?.OperationalData).toMatchObject({ "drctl:run": { Value: "none" } });
  });

  it("names the JSON type of an execution input that is not an object, and never repeats a long value", async () => {
    // Prepare
    const failure = { step: "ValidateInput", error: { Error: "InputInvalid", Cause: "execution input: …" } };
    const since = mark();
    // Act
    await notify({ outcome: "FAILED", state: { input: "drill", failure } }, deps());
    await notify({ outcome: "FAILED", state: { input: { mode: "x".repeat(5000) }, failure } }, deps());
    // Assess
    const [first, second] = since().messages.map((m) => ({ Subject: m.subject, Message: m.message }));
    expect(first?.Subject).toBe("drctl recovery FAILED at ValidateInput: InputInvalid");
    expect(first?.Message).toContain("Input:      not a JSON object (a string)");
    expect(second?.Message).toContain(`Input:      {"mode":"${"x".repeat(80)}"}`);
    expect(second?.Message).not.toContain("x".repeat(81));
  });

  it("publishes success with RTO and RPO from the report, and opens no OpsItem", async () => {
    // Prepare
    const reportKey = `${RUN.artifactsPrefix}report.json`;
    await w.putJson(reportKey, {
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
    const since = mark();
    // Act
    const result = await notify(event, deps());
    // Assess
    const { messages, opsItems, opened } = since();
    expect(result).toEqual({ messageId: messages[0]?.messageId, opsItemId: null });
    const published = { Subject: messages[0]?.subject, Message: messages[0]?.message };
    expect(published?.Subject).toBe("drctl drill shop SUCCEEDED");
    expect(published?.Message).toContain("RTO:        52m 05s (objective 240m)");
    expect(published?.Message).toContain("RPO:        25m 00s (objective 60m)");
    expect(published?.Message).toContain("Leftovers:  0");
    expect(opsItems).toEqual([]);
    expect(opened).toEqual([]);
  });

  it("still opens the OpsItem when SNS refuses, and fails only when both do", async () => {
    // Prepare
    const run = runContext({ startedAt: "2026-03-01T11:00:00.000Z" });
    const since = mark();
    w.fault({ call: "sns:Publish", error: "AuthorizationError", times: 1 });
    // Act
    const first = await notify(failedAtRecover(run), deps());
    const afterFirst = since();
    w.fault(
      { call: "sns:Publish", error: "AuthorizationError", times: 1 },
      { call: "ssm:CreateOpsItem", error: "AccessDeniedException", times: 1 },
    );
    const second = await notify(failedAtRecover(run), deps()).catch((e: unknown) => e);
    // Assess
    expect(first).toEqual({ messageId: null, opsItemId: afterFirst.opsItems[0]?.id });
    expect(afterFirst.messages).toEqual([]);
    expect(second).toMatchObject({ name: "AwsCallFailed" });
    expect(since()).toMatchObject({ messages: [], opsItems: [afterFirst.opsItems[0]] });
  });

  it("a retried notification of the same execution gets the OpsItem already open (OpsCenter deduplicates)", async () => {
    // Prepare
    const run = runContext({ startedAt: "2026-03-01T12:00:00.000Z" });
    const since = mark();
    // Act
    const first = await notify(failedAtRecover(run), deps());
    const again = await notify(failedAtRecover(run), deps());
    // Assess
    const { messages, opsItems } = since();
    expect(opsItems).toHaveLength(1);
    expect([first.opsItemId, again.opsItemId]).toEqual([opsItems[0]?.id, opsItems[0]?.id]);
    expect(messages.map((m) => m.messageId)).toEqual([first.messageId, again.messageId]);
  });

  it("fails a success notification SNS refuses: no channel delivered it (the Catch records it)", async () => {
    // Prepare
    const since = mark();
    w.fault({ call: "sns:Publish", error: "AuthorizationError", times: 1 });
    // Act
    const raised = await notify({ state: { run: RUN }, outcome: "SUCCEEDED" }, deps()).catch(
      (e: unknown) => e,
    );
    // Assess
    expect(raised).toMatchObject({ name: "AwsCallFailed" });
    expect(since()).toMatchObject({ messages: [], opsItems: [] });
  });

  it("publishes only to its own topic: another topic is refused by its IAM policy", async () => {
    // Prepare
    const other = `${topic}-other`;
    await w.seed("sns", "CreateTopic", { Name: other.split(":").at(-1) });
    const since = mark();
    // Act
    const raised = await notify(
      { state: { run: RUN }, outcome: "SUCCEEDED" },
      { ...deps(), topicArn: other },
    ).catch((e: unknown) => e);
    // Assess
    expect(raised).toMatchObject({ name: "AwsCallFailed" });
    expect(w.requests("Publish").at(-1)?.error).toBe("AuthorizationError");
    expect(since().messages).toEqual([]);
  });
});

describe("notify handler", () => {
  it("rejects a bad event with InputInvalid", async () => {
    vi.stubEnv("ARTIFACTS_BUCKET", "drctl-artifacts-test");
    vi.stubEnv("SNS_TOPIC_ARN", topic);
    const err = await handler({ state: {}, outcome: "MAYBE" }, localContext("notify")).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ name: "InputInvalid" });
    expect((err as Error).message).toContain("outcome");
    vi.unstubAllEnvs();
  });
});
