import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { cloudWatchApi } from "../../../functions/shared/aws/cloudwatch.js";
import { awsError, pagesByToken } from "./helpers.js";

const cw = mockClient(CloudWatchClient);
const api = cloudWatchApi(new CloudWatchClient({ region: "us-east-1" }));

beforeEach(() => cw.reset());

describe("cloudWatchApi.describeAlarms", () => {
  it("asks for metric and composite alarms by name, over every page", async () => {
    const paged = pagesByToken({
      "": {
        MetricAlarms: [{ AlarmName: "api-5xx", StateValue: "ALARM", StateReason: "Threshold crossed" }],
        NextToken: "t",
      },
      t: { CompositeAlarms: [{ AlarmName: "primary-down", StateValue: "OK", StateReason: "fine" }] },
    });
    cw.on(DescribeAlarmsCommand).callsFake(paged.fake);
    const alarms = await api.describeAlarms(["api-5xx", "primary-down"]);
    expect(alarms).toEqual([
      { name: "api-5xx", state: "ALARM", reason: "Threshold crossed" },
      { name: "primary-down", state: "OK", reason: "fine" },
    ]);
    expect(paged.sent).toEqual([
      { AlarmNames: ["api-5xx", "primary-down"], AlarmTypes: ["MetricAlarm", "CompositeAlarm"] },
      {
        AlarmNames: ["api-5xx", "primary-down"],
        AlarmTypes: ["MetricAlarm", "CompositeAlarm"],
        NextToken: "t",
      },
    ]);
  });

  it("splits more than 100 names into several calls and skips the call for none", async () => {
    cw.on(DescribeAlarmsCommand).resolves({});
    await api.describeAlarms([]);
    expect(cw.commandCalls(DescribeAlarmsCommand)).toHaveLength(0);
    await api.describeAlarms(Array.from({ length: 150 }, (_, i) => `a${i}`));
    expect(cw.commandCalls(DescribeAlarmsCommand).map((c) => c.args[0].input.AlarmNames?.length)).toEqual([
      100, 50,
    ]);
  });

  it("maps a 500 to AwsTransient", async () => {
    cw.on(DescribeAlarmsCommand).rejects(awsError("InternalServiceError", "oops", 500));
    await expect(api.describeAlarms(["a"])).rejects.toMatchObject({ name: "AwsTransient" });
  });
});
