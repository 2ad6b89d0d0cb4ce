import { CloudWatchClient, paginateDescribeAlarms } from "@aws-sdk/client-cloudwatch";
import { clientConfig, memoClient } from "./clients.js";
import { chunks, collectPages } from "./util.js";

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
        const pages = await collectPages(
          paginateDescribeAlarms(
            { client, stopOnSameToken: true },
            { AlarmNames: batch, AlarmTypes: ["MetricAlarm", "CompositeAlarm"] },
          ),
          ["cloudwatch", "DescribeAlarms", batch.join(",")],
          (out) =>
            [...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? [])].map(
              (a): AlarmState => ({
                name: a.AlarmName ?? "",
                state: a.StateValue ?? "INSUFFICIENT_DATA",
                reason: a.StateReason ?? "",
              }),
            ),
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
