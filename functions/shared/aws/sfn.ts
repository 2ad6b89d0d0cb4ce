import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  paginateGetExecutionHistory,
  type HistoryEvent as SdkHistoryEvent,
  SFNClient,
} from "@aws-sdk/client-sfn";
import { clientConfig, memoClient } from "./clients.js";
import { callAws, callAwsOptional } from "./errors.js";
import { collectPages } from "./util.js";

/** One history event, reduced to what reports need. */
export interface HistoryEvent {
  id: number;
  previousEventId?: number;
  timestamp: Date;
  type: string;
  /** State name for *StateEntered / *StateExited events. */
  stateName?: string;
  /** Size in bytes of the event's input or output payload, when it carries one. */
  payloadBytes: number;
  /** Error name and cause for *Failed events. */
  error?: string;
  cause?: string;
}

export interface ExecutionFacts {
  executionArn: string;
  stateMachineArn: string;
  status: string;
  /** The execution input; undefined when Step Functions left it out (over the size limit). */
  input?: string;
  startDate: Date;
  stopDate?: Date;
  error?: string;
  cause?: string;
}

/** A history event with the state name and the payload it carries (input or output). */
export interface HistoryEntry {
  id: number;
  type: string;
  timestamp: Date;
  stateName?: string;
  payload?: string;
  error?: string;
  cause?: string;
}

/** The calls about another execution (the aftermath of a stopped run, `drctl cleanup`). */
export interface ExecutionsApi {
  /** DescribeExecution; undefined when the execution does not exist. */
  describeExecution(executionArn: string): Promise<ExecutionFacts | undefined>;
  /** One page (at most `max`, ≤ 1000) of the history with data, oldest first or newest first. */
  historyPage(executionArn: string, opts: { newestFirst: boolean; max: number }): Promise<HistoryEntry[]>;
}

/** The AWS Step Functions operations drctl uses. Pagination happens inside (historyPage: one page). */
export interface SfnApi extends ExecutionsApi {
  /** GetExecutionHistory (includeExecutionData), all pages, oldest first. */
  getExecutionHistory(executionArn: string): Promise<HistoryEvent[]>;
  /** DescribeExecution: the execution's status (RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED,
   * PENDING_REDRIVE); undefined when it does not exist (ExecutionDoesNotExist). */
  executionStatus(executionArn: string): Promise<string | undefined>;
}

export function sfnApi(client: SFNClient): SfnApi {
  return {
    getExecutionHistory: async (executionArn) => {
      const events = await collectPages(
        paginateGetExecutionHistory(
          { client, pageSize: 1000, stopOnSameToken: true },
          { executionArn, includeExecutionData: true, reverseOrder: false },
        ),
        ["sfn", "GetExecutionHistory", executionArn],
        (out) => out.events,
      );
      return events.map(toHistoryEvent).sort((a, b) => a.id - b.id);
    },
    executionStatus: (executionArn) =>
      callAwsOptional("sfn", "DescribeExecution", executionArn, ["ExecutionDoesNotExist"], async () => {
        const out = await client.send(new DescribeExecutionCommand({ executionArn }));
        return out.status ?? "UNKNOWN";
      }),
    describeExecution: (executionArn) =>
      callAws<ExecutionFacts | undefined>(
        "sfn",
        "DescribeExecution",
        executionArn,
        async () => {
          const d = await client.send(new DescribeExecutionCommand({ executionArn }));
          const facts: ExecutionFacts = {
            executionArn,
            stateMachineArn: d.stateMachineArn ?? "",
            status: d.status ?? "UNKNOWN",
            startDate: d.startDate ?? new Date(0),
          };
          if (d.input !== undefined) facts.input = d.input;
          if (d.stopDate) facts.stopDate = d.stopDate;
          if (d.error !== undefined) facts.error = d.error;
          if (d.cause !== undefined) facts.cause = d.cause;
          return facts;
        },
        (err) => (err.code === "ExecutionDoesNotExist" ? { value: undefined } : undefined),
      ),

    historyPage: (executionArn, opts) =>
      callAws("sfn", "GetExecutionHistory", executionArn, async () => {
        const out = await client.send(
          new GetExecutionHistoryCommand({
            executionArn,
            includeExecutionData: true,
            maxResults: Math.min(1000, Math.max(1, opts.max)),
            reverseOrder: opts.newestFirst,
          }),
        );
        return (out.events ?? []).map((e) => {
          const entry: HistoryEntry = {
            id: e.id ?? 0,
            type: e.type ?? "",
            timestamp: e.timestamp ?? new Date(0),
          };
          const name = e.stateEnteredEventDetails?.name ?? e.stateExitedEventDetails?.name;
          if (name !== undefined) entry.stateName = name;
          for (const d of detailsOf(e)) {
            const payload =
              typeof d.output === "string" ? d.output : typeof d.input === "string" ? d.input : undefined;
            if (payload !== undefined) entry.payload = payload;
            if (typeof d.error === "string") entry.error = d.error;
            if (typeof d.cause === "string") entry.cause = d.cause;
          }
          return entry;
        });
      }),
  };
}

type Details = { input?: unknown; output?: unknown; name?: unknown; error?: unknown; cause?: unknown };

/** Every `*EventDetails` object the event carries (one per event in practice). */
function detailsOf(e: SdkHistoryEvent): Details[] {
  return Object.entries(e).flatMap(([key, value]) =>
    key.endsWith("EventDetails") && value !== null && typeof value === "object" ? [value as Details] : [],
  );
}

function toHistoryEvent(e: SdkHistoryEvent): HistoryEvent {
  const out: HistoryEvent = {
    id: e.id ?? 0,
    timestamp: e.timestamp ?? new Date(0),
    type: e.type ?? "",
    payloadBytes: 0,
  };
  if (e.previousEventId !== undefined) out.previousEventId = e.previousEventId;
  const stateName = e.stateEnteredEventDetails?.name ?? e.stateExitedEventDetails?.name;
  if (stateName !== undefined) out.stateName = stateName;
  for (const d of detailsOf(e)) {
    // executionStarted/stateEntered carry `input`; stateExited, task/lambda succeeded, executionSucceeded `output`.
    const payload =
      typeof d.input === "string" ? d.input : typeof d.output === "string" ? d.output : undefined;
    if (payload !== undefined && out.payloadBytes === 0)
      out.payloadBytes = Buffer.byteLength(payload, "utf8");
    if (typeof d.error === "string" && out.error === undefined) out.error = d.error;
    if (typeof d.cause === "string" && out.cause === undefined) out.cause = d.cause;
  }
  return out;
}

/** The wrapper for this container and region (one client per service and region). */
export const sfnFor = (region: string): SfnApi =>
  memoClient(`sfn:${region}`, () => sfnApi(new SFNClient(clientConfig("SFN", region))));
