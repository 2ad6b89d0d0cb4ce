import type { SFNClient } from "@aws-sdk/client-sfn";

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

/** The AWS Step Functions operations drctl uses. Pagination happens inside. */
export interface SfnApi {
  /** GetExecutionHistory (includeExecutionData), all pages, oldest first. */
  getExecutionHistory(executionArn: string): Promise<HistoryEvent[]>;
}

export function sfnApi(_client: SFNClient): SfnApi {
  throw new Error("sfnApi: not implemented yet");
}
