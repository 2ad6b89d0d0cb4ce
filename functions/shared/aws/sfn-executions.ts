/**
 * Step Functions calls about another execution of the recovery state machine (the aftermath of a
 * stopped run, `drctl cleanup`): DescribeExecution and one page of its history with the data.
 */
import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient } from "@aws-sdk/client-sfn";
import { clientConfig, memoClient } from "./clients.js";
import { callAws } from "./errors.js";

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

export interface ExecutionsApi {
  /** DescribeExecution; undefined when the execution does not exist. */
  describeExecution(executionArn: string): Promise<ExecutionFacts | undefined>;
  /** One page (at most `max`, ≤ 1000) of the history with data, oldest first or newest first. */
  historyPage(executionArn: string, opts: { newestFirst: boolean; max: number }): Promise<HistoryEntry[]>;
}

type Details = { name?: unknown; input?: unknown; output?: unknown; error?: unknown; cause?: unknown };

export function executionsApi(client: SFNClient): ExecutionsApi {
  return {
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
          for (const [key, value] of Object.entries(e)) {
            if (!key.endsWith("EventDetails") || value === null || typeof value !== "object") continue;
            const d = value as Details;
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

/** The wrapper for this container and region. */
export const executionsFor = (region: string): ExecutionsApi =>
  memoClient(`sfn-executions:${region}`, () => executionsApi(new SFNClient(clientConfig("SFN", region))));
