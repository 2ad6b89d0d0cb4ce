import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { clientConfig, memoClient } from "./clients.js";
import { callAws } from "./errors.js";
import { chunks, paginate } from "./util.js";

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

/** DescribeAlarms accepts at most 100 alarm names per call. */
const NAMES_PER_CALL = 100;

export function cloudWatchApi(client: CloudWatchClient): CloudWatchApi {
  return {
    describeAlarms: async (names) => {
      const alarms: AlarmState[] = [];
      for (const batch of chunks([...new Set(names)], NAMES_PER_CALL)) {
        const pages = await paginate((token) =>
          callAws("cloudwatch", "DescribeAlarms", batch.join(","), async () => {
            const out = await client.send(
              new DescribeAlarmsCommand({
                AlarmNames: batch,
                AlarmTypes: ["MetricAlarm", "CompositeAlarm"],
                ...(token !== undefined && { NextToken: token }),
              }),
            );
            const items = [...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? [])].map(
              (a): AlarmState => ({
                name: a.AlarmName ?? "",
                state: a.StateValue ?? "INSUFFICIENT_DATA",
                reason: a.StateReason ?? "",
              }),
            );
            return { items, next: out.NextToken };
          }),
        );
        alarms.push(...pages);
      }
      return alarms;
    },
  };
}

/** The wrapper for this container and region (one client per service and region). */
export const cloudWatchFor = (region: string): CloudWatchApi =>
  memoClient(`cloudwatch:${region}`, () =>
    cloudWatchApi(new CloudWatchClient(clientConfig("CLOUDWATCH", region))),
  );
