/**
 * Approval of automatic failovers, piece by piece: the configuration, which runs wait, the SNS
 * request notify publishes with the task token, and the RequestApproval state in the definition.
 */
import { describe, expect, it } from "vitest";
import { requestApproval } from "../../../functions/notify/approval.js";
import { notify } from "../../../functions/notify/notify.js";
import { approvalGate } from "../../../functions/shared/approval.js";
import { AppConfig } from "../../../functions/shared/config.js";
import { LAMBDA_CALLBACK } from "../../../state-machines/approval.asl.js";
import { arnPlaceholder, S } from "../../../state-machines/names.js";
import { recoveryDefinition } from "../../../state-machines/recovery.asl.js";
import { appConfigInput, runContext } from "../../support/fixtures.js";

const TOKEN = "AQCEAAAAKgAAAAMAAAAAAAAAAb'token";

function published() {
  const sent: { topic: string; subject: string; body: string }[] = [];
  return {
    sent,
    sns: {
      publish: async (topic: string, subject: string, body: string) => {
        sent.push({ topic, subject, body });
        return "msg-1";
      },
    },
  };
}

describe("approval configuration", () => {
  it("defaults to waiting 60 minutes for a person; windows are 1 to 720 minutes", () => {
    expect(AppConfig.parse(appConfigInput()).approval).toEqual({ mode: "wait", windowMinutes: 60 });
    const ok = appConfigInput({ approval: { mode: "proceed-after", windowMinutes: 15 } });
    expect(AppConfig.parse(ok).approval).toEqual({ mode: "proceed-after", windowMinutes: 15 });
    for (const bad of [{ windowMinutes: 0 }, { windowMinutes: 721 }, { mode: "maybe" }, { extra: 1 }]) {
      expect(
        AppConfig.safeParse(appConfigInput({ approval: bad as never })).success,
        JSON.stringify(bad),
      ).toBe(false);
    }
  });

  it("only failovers an alarm or AWS Health started wait (not manual, scheduled, dry runs or drills)", () => {
    const config = { mode: "proceed-after" as const, windowMinutes: 10 };
    const run = (mode: string, trigger: string, dryRun = false) =>
      approvalGate({ mode, trigger, dryRun }, config);
    expect(run("failover", "alarm")).toEqual({
      mode: "proceed-after",
      windowMinutes: 10,
      timeoutSeconds: 600,
    });
    expect(run("failover", "health")).toMatchObject({ timeoutSeconds: 600 });
    expect(run("failover", "manual")).toBeUndefined();
    expect(run("failover", "schedule")).toBeUndefined();
    expect(run("failover", "alarm", true)).toBeUndefined();
    expect(run("drill", "alarm")).toBeUndefined();
  });
});

describe("the approval request (notify, outcome APPROVAL)", () => {
  const ASKED = new Date("2026-03-01T12:00:00.000Z");
  const gate = { mode: "wait" as const, windowMinutes: 30, timeoutSeconds: 1800 };
  const state = { run: runContext({ mode: "failover", trigger: "alarm", approval: gate }) };

  it("publishes the drctl commands, the AWS CLI commands with the shell-quoted token, and the deadline", async () => {
    // Prepare
    const { sent, sns } = published();
    // Act
    const result = await requestApproval(state, TOKEN, {
      sns,
      topicArn: "arn:aws:sns:us-west-2:1:t",
      now: () => ASKED,
    });
    // Assess
    expect(result).toEqual({ messageId: "msg-1", opsItemId: null });
    expect(sent).toHaveLength(1);
    const { subject, body } = sent[0] ?? { subject: "", body: "" };
    expect(subject).toBe("drctl failover shop: approval needed (alarm trigger)");
    expect(body).toContain(`drctl approve ${state.run.executionArn} [--by NAME]`);
    expect(body).toContain(`drctl reject ${state.run.executionArn} --reason "WHY"`);
    expect(body).toContain(`--task-token 'AQCEAAAAKgAAAAMAAAAAAAAAAb'\\''token'`);
    expect(body).toContain("--error FailoverRejected");
    expect(body).toContain(
      "without an answer the run fails with ApprovalTimedOut at 2026-03-01T12:30:00.000Z",
    );
  });

  it("says a proceed-after run goes on at the deadline unless rejected", async () => {
    const { sent, sns } = published();
    const proceed = {
      run: runContext({
        mode: "failover",
        trigger: "health",
        approval: { ...gate, mode: "proceed-after" as const },
      }),
    };
    await requestApproval(proceed, TOKEN, { sns, topicArn: "arn:aws:sns:us-west-2:1:t", now: () => ASKED });
    expect(sent[0]?.body).toMatch(/the failover PROCEEDS at \S+ unless it is rejected before/);
  });

  it("refuses a request without a task token or without an approval gate", async () => {
    const { sns } = published();
    const deps = { sns, topicArn: "t", now: () => ASKED } as unknown as Parameters<typeof notify>[1];
    await expect(notify({ state, outcome: "APPROVAL" }, deps)).rejects.toThrow(/needs taskToken/);
    await expect(
      requestApproval({ run: runContext() }, TOKEN, { sns, topicArn: "t", now: () => ASKED }),
    ).rejects.toThrow(/no approval gate/);
  });
});

describe("RequestApproval in the definition", () => {
  const def = recoveryDefinition();
  const request = def.States[S.RequestApproval];

  it("comes after Detect and before anything is created, only when $.run.approval is present", () => {
    expect(def.States[S.Detect]).toMatchObject({ Next: S.ApprovalChoice });
    expect(def.States[S.ApprovalChoice]).toEqual({
      Type: "Choice",
      Choices: [{ Variable: "$.run.approval", IsPresent: true, Next: S.RequestApproval }],
      Default: S.DryRunChoice,
    });
    expect(request).toMatchObject({ Next: S.DryRunChoice, ResultPath: "$.approval" });
  });

  it("invokes notify with the callback pattern, bounded by the run's window; its timeout is caught, never retried", () => {
    if (request?.Type !== "Task") throw new Error("RequestApproval is not a Task");
    expect(request.Resource).toBe(LAMBDA_CALLBACK);
    expect(request.Parameters).toEqual({
      FunctionName: arnPlaceholder("notify"),
      Payload: { "state.$": "$", outcome: "APPROVAL", "taskToken.$": "$$.Task.Token" },
    });
    expect(request).toMatchObject({ TimeoutSecondsPath: "$.run.approval.timeoutSeconds" });
    expect("TimeoutSeconds" in request).toBe(false);
    expect(request.Retry.flatMap((r) => r.ErrorEquals)).not.toContain("States.Timeout");
    expect(request.Retry.flatMap((r) => r.ErrorEquals)).toContain("AwsTransient");
    expect(request.Catch?.map((c) => [c.ErrorEquals, c.Next])).toEqual([
      [["States.Timeout"], S.ApprovalTimeoutChoice],
      [["States.ALL"], `FailedAt${S.RequestApproval}`],
    ]);
  });
});
