/**
 * drctl approve <execution-arn> [--by NAME] [--region R] [--endpoint-url URL]
 * drctl reject  <execution-arn> [--reason TEXT] [--by NAME] [--region R] [--endpoint-url URL]
 *
 * Answers the approval an automatic failover waits for (state RequestApproval, callback pattern).
 * The task token is read from the execution history: the RequestApproval TaskScheduled event's
 * parameters hold it resolved (Payload.taskToken), so nothing else has to store it and whoever
 * may read the execution's history (states:GetExecutionHistory) can find it; answering needs
 * states:SendTaskSuccess / states:SendTaskFailure. Works against AWS (your credentials) and
 * against a standalone sandbox (`--endpoint-url http://127.0.0.1:4566`).
 */
import { userInfo } from "node:os";
import { parseArgs } from "node:util";
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
} from "@aws-sdk/client-sfn";
import { type ApprovalDecision, FAILOVER_REJECTED } from "../functions/shared/approval.js";
import { S } from "../state-machines/names.js";

export const APPROVAL_USAGE = `  approve  EXECUTION-ARN [--by NAME] [--region R] [--endpoint-url URL]
  reject   EXECUTION-ARN [--reason TEXT] [--by NAME] [--region R] [--endpoint-url URL]`;

const CALLBACK_RESOURCE = "invoke.waitForTaskToken";
/** TaskSucceeded / TaskFailed / TaskTimedOut of a callback task: its answer (or no answer). */
const closes = (e: HistoryEvent): boolean =>
  (e.taskSucceededEventDetails ?? e.taskFailedEventDetails ?? e.taskTimedOutEventDetails)?.resource ===
  CALLBACK_RESOURCE;

/** The region of a Step Functions execution (or state machine) ARN. */
export const regionOfArn = (arn: string): string | undefined =>
  /^arn:aws[\w-]*:states:([a-z0-9-]+):/.exec(arn)?.[1];

export type WaitingApproval = { token: string; since: Date } | { none: string };

/**
 * The task token RequestApproval waits with: the newest callback TaskScheduled of that state with
 * no TaskSucceeded/TaskFailed/TaskTimedOut after it (history read newest first).
 */
export async function findWaitingApproval(sfn: SFNClient, executionArn: string): Promise<WaitingApproval> {
  const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  if (described.status !== "RUNNING") return { none: `the execution is ${described.status}` };
  const entered = new Map<number, string>();
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 1000, nextToken }),
    );
    events.push(...(page.events ?? []));
    const scheduled = events.find((e) => e.taskScheduledEventDetails?.resource === CALLBACK_RESOURCE);
    if (scheduled) {
      for (const e of events) {
        const name = e.stateEnteredEventDetails?.name;
        if (name) entered.set(e.id ?? 0, name);
      }
      const closed = events.some((e) => (e.id ?? 0) > (scheduled.id ?? 0) && closes(e));
      const state = entered.get(scheduled.previousEventId ?? -1);
      if (closed) return { none: "the approval was already answered or timed out" };
      if (state !== undefined && state !== S.RequestApproval) return { none: `the waiting task is ${state}` };
      const parameters = JSON.parse(scheduled.taskScheduledEventDetails?.parameters ?? "{}") as {
        Payload?: { taskToken?: unknown };
      };
      const token = parameters.Payload?.taskToken;
      if (typeof token !== "string") return { none: "the waiting task's parameters hold no taskToken" };
      return { token, since: scheduled.timestamp ?? new Date() };
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return { none: "it is not waiting for an approval (no RequestApproval task)" };
}

/** Sends the decision for the execution's waiting approval; returns what happened, for people. */
export async function answerApproval(
  sfn: SFNClient,
  executionArn: string,
  decision: ApprovalDecision,
): Promise<{ ok: boolean; message: string }> {
  const waiting = await findWaitingApproval(sfn, executionArn);
  const name = executionArn.split(":").pop();
  if ("none" in waiting) return { ok: false, message: `${name}: no approval is waiting: ${waiting.none}` };
  if (decision.decision === "approved") {
    await sfn.send(
      new SendTaskSuccessCommand({ taskToken: waiting.token, output: JSON.stringify(decision) }),
    );
    return { ok: true, message: `${name}: approved by ${decision.by}; the failover goes on` };
  }
  const text = `Rejected by ${decision.by} at ${decision.at}${decision.reason ? `: ${decision.reason}` : ""}`;
  await sfn.send(
    new SendTaskFailureCommand({
      taskToken: waiting.token,
      error: FAILOVER_REJECTED,
      cause: JSON.stringify({ errorMessage: text.slice(0, 2000), ...decision }),
    }),
  );
  return { ok: true, message: `${name}: rejected by ${decision.by}; the run ends with ${FAILOVER_REJECTED}` };
}

/** `drctl approve|reject …`: 0 answered, 1 nothing to answer (or the call failed), 2 bad usage. */
export async function approvalCommand(command: "approve" | "reject", args: string[]): Promise<0 | 1 | 2> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(command, args);
  } catch (e) {
    console.error(`drctl ${command}: ${(e as Error).message}\n\nusage:\n${APPROVAL_USAGE}`);
    return 2;
  }
  const { executionArn, region, endpoint, decision } = parsed;
  const sfn = new SFNClient({ region, ...(endpoint !== undefined && { endpoint }) });
  try {
    const result = await answerApproval(sfn, executionArn, decision);
    (result.ok ? console.log : console.error)(result.message);
    return result.ok ? 0 : 1;
  } catch (e) {
    console.error(`drctl ${command}: ${(e as { name?: string }).name ?? "Error"}: ${(e as Error).message}`);
    return 1;
  } finally {
    sfn.destroy();
  }
}

function parse(command: "approve" | "reject", args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      by: { type: "string" },
      reason: { type: "string" },
      region: { type: "string" },
      "endpoint-url": { type: "string" },
    },
  });
  const [executionArn, ...extra] = positionals;
  if (!executionArn || extra.length > 0) throw new Error(`${command} needs exactly one EXECUTION-ARN`);
  const region = values.region ?? regionOfArn(executionArn);
  if (!region || !/:execution:/.test(executionArn)) {
    throw new Error(`'${executionArn}' is not a Step Functions execution ARN`);
  }
  if (command === "approve" && values.reason !== undefined) throw new Error("--reason is for reject");
  const by = values.by ?? process.env.USER ?? userInfo().username;
  const decision: ApprovalDecision = {
    decision: command === "approve" ? "approved" : "rejected",
    by: by.slice(0, 256),
    at: new Date().toISOString(),
    ...(values.reason !== undefined && { reason: values.reason.slice(0, 1024) }),
  };
  return { executionArn, region, endpoint: values["endpoint-url"], decision };
}
