import type { CloudWatchClient } from "@aws-sdk/client-cloudwatch";

export interface AlarmState {
  name: string;
  /** OK | ALARM | INSUFFICIENT_DATA */
  state: string;
  reason: string;
}

/** The Amazon CloudWatch operations drctl uses. */
export interface CloudWatchApi {
  /** DescribeAlarms for the given names (metric and composite), all pages. */
  describeAlarms(names: string[]): Promise<AlarmState[]>;
}

export function cloudWatchApi(_client: CloudWatchClient): CloudWatchApi {
  throw new Error("cloudWatchApi: not implemented yet");
}
