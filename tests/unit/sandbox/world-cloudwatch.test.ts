/**
 * CloudWatch alarms in the sandbox through the SDK v3 client (awsJson1_0 with awsQueryCompatible
 * errors): the scenario's primary alarms, PutMetricAlarm, SetAlarmState, DescribeAlarms' filters
 * and pages. Sources in docs/fidelity.md, "CloudWatch".
 */
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  PutMetricAlarmCommand,
  paginateDescribeAlarms,
  SetAlarmStateCommand,
} from "@aws-sdk/client-cloudwatch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INITIAL_REASON } from "../../../scripts/sandbox/world/services/cloudwatch.js";
import { scenarioOf } from "./world-helpers.js";
import { closeWorlds, rejection, type WorldWire, worldWire } from "./world-wire.js";

const PRIMARY = "us-east-1";
let w: WorldWire;
let cw: CloudWatchClient;
beforeAll(async () => {
  w = await worldWire(
    scenarioOf({
      primary: {
        healthy: true,
        alarms: [
          { name: "shop-alb-5xx", state: "ALARM", reason: "Threshold Crossed: 5xx over 10" },
          { name: "shop-latency", state: "OK" },
        ],
      },
    }),
  );
  cw = new CloudWatchClient(w.config(PRIMARY));
});
afterAll(closeWorlds);

const put = (AlarmName: string, extra: object = {}) =>
  cw.send(
    new PutMetricAlarmCommand({
      AlarmName,
      Namespace: "AWS/ApplicationELB",
      MetricName: "HTTPCode_ELB_5XX_Count",
      Statistic: "Sum",
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 10,
      ComparisonOperator: "GreaterThanThreshold",
      ...extra,
    }),
  );

describe("CloudWatch alarms", () => {
  it("has the scenario's primary alarms, in their state since t=0; none in the recovery region", async () => {
    // Act
    const { MetricAlarms, CompositeAlarms } = await cw.send(
      new DescribeAlarmsCommand({ AlarmNames: ["shop-alb-5xx", "shop-latency", "nope"] }),
    );
    const recovery = await new CloudWatchClient(w.config()).send(new DescribeAlarmsCommand({}));
    // Assess
    expect(MetricAlarms?.map((a) => [a.AlarmName, a.StateValue, a.StateReason])).toEqual([
      ["shop-alb-5xx", "ALARM", "Threshold Crossed: 5xx over 10"],
      ["shop-latency", "OK", "Set by the scenario: OK"],
    ]);
    expect(MetricAlarms?.[0]).toMatchObject({
      AlarmArn: "arn:aws:cloudwatch:us-east-1:111122223333:alarm:shop-alb-5xx",
      StateUpdatedTimestamp: new Date(w.scenario.start),
      ActionsEnabled: true,
    });
    expect(CompositeAlarms).toEqual([]);
    expect(recovery.MetricAlarms).toEqual([]);
  });

  it("PutMetricAlarm creates in INSUFFICIENT_DATA; an update keeps the state and replaces the configuration", async () => {
    // Act
    await put("new-alarm", { AlarmDescription: "first", Tags: [{ Key: "app", Value: "shop" }] });
    const [created] =
      (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ["new-alarm"] }))).MetricAlarms ?? [];
    await cw.send(
      new SetAlarmStateCommand({ AlarmName: "new-alarm", StateValue: "OK", StateReason: "fine" }),
    );
    w.clock.advanceBy(60);
    await put("new-alarm", { Threshold: 20 });
    const [updated] =
      (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ["new-alarm"] }))).MetricAlarms ?? [];
    // Assess
    expect(created).toMatchObject({
      StateValue: "INSUFFICIENT_DATA",
      StateReason: INITIAL_REASON,
      Threshold: 10,
    });
    expect(created?.AlarmDescription).toBe("first");
    expect(updated).toMatchObject({ StateValue: "OK", StateReason: "fine", Threshold: 20 });
    expect(updated?.AlarmDescription).toBeUndefined();
    expect(updated?.AlarmConfigurationUpdatedTimestamp?.getTime()).toBe(
      (created?.AlarmConfigurationUpdatedTimestamp?.getTime() ?? 0) + 60_000,
    );
  });

  it("SetAlarmState moves the transition time only when the value changes; unknown alarm, bad JSON refused", async () => {
    // Prepare
    await put("flappy");
    const describe = async () =>
      (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ["flappy"] }))).MetricAlarms?.[0];
    // Act
    w.clock.advanceBy(10);
    await cw.send(new SetAlarmStateCommand({ AlarmName: "flappy", StateValue: "ALARM", StateReason: "a" }));
    const first = await describe();
    w.clock.advanceBy(10);
    await cw.send(new SetAlarmStateCommand({ AlarmName: "flappy", StateValue: "ALARM", StateReason: "b" }));
    const second = await describe();
    const missing = await rejection(
      cw.send(new SetAlarmStateCommand({ AlarmName: "ghost", StateValue: "OK", StateReason: "x" })),
    );
    const badJson = await rejection(
      cw.send(
        new SetAlarmStateCommand({
          AlarmName: "flappy",
          StateValue: "OK",
          StateReason: "x",
          StateReasonData: "{not json",
        }),
      ),
    );
    // Assess
    expect(second?.StateReason).toBe("b");
    expect(second?.StateTransitionedTimestamp).toEqual(first?.StateTransitionedTimestamp);
    expect(second?.StateUpdatedTimestamp?.getTime()).toBe(
      (first?.StateUpdatedTimestamp?.getTime() ?? 0) + 10_000,
    );
    expect(missing).toMatchObject({
      name: "ResourceNotFound",
      Code: "ResourceNotFound",
      $metadata: { httpStatusCode: 404 },
    });
    expect(badJson).toMatchObject({ name: "InvalidFormatFault", Code: "InvalidFormat" });
  });

  it("DescribeAlarms filters by prefix, state and type; metric alarms only when AlarmTypes is omitted", async () => {
    // Prepare
    await put("web-a", { AlarmActions: ["arn:aws:sns:us-east-1:111122223333:oncall"] });
    await put("web-b");
    // Act
    const names = async (input: object) =>
      ((await cw.send(new DescribeAlarmsCommand(input))).MetricAlarms ?? []).map((a) => a.AlarmName);
    // Assess
    expect(await names({ AlarmNamePrefix: "web-" })).toEqual(["web-a", "web-b"]);
    expect(await names({ StateValue: "ALARM", AlarmNamePrefix: "shop-" })).toEqual(["shop-alb-5xx"]);
    expect(await names({ StateValue: "OK", AlarmNamePrefix: "shop-" })).toEqual(["shop-latency"]);
    expect(await names({ ActionPrefix: "arn:aws:sns:us-east-1:111122223333:on" })).toEqual(["web-a"]);
    expect(await names({ AlarmTypes: ["CompositeAlarm"] })).toEqual([]);
    expect(await names({ ParentsOfAlarmName: "web-a" })).toEqual([]);
    expect(await names({ AlarmNames: ["web-b"], AlarmTypes: ["MetricAlarm", "CompositeAlarm"] })).toEqual([
      "web-b",
    ]);
  });

  it("DescribeAlarms refuses AlarmNames with AlarmNamePrefix, ChildrenOfAlarmName with a filter, MaxRecords over 100, a foreign token", async () => {
    // Act
    const both = await rejection(
      cw.send(new DescribeAlarmsCommand({ AlarmNames: ["a"], AlarmNamePrefix: "a" })),
    );
    const related = await rejection(
      cw.send(new DescribeAlarmsCommand({ ChildrenOfAlarmName: "web-a", StateValue: "OK" })),
    );
    const tooMany = await rejection(cw.send(new DescribeAlarmsCommand({ MaxRecords: 101 })));
    const token = await rejection(cw.send(new DescribeAlarmsCommand({ NextToken: "bogus" })));
    // Assess
    expect(both).toMatchObject({
      name: "InvalidParameterCombinationException",
      Code: "InvalidParameterCombination",
    });
    expect(related).toMatchObject({ Code: "InvalidParameterCombination" });
    expect(tooMany).toMatchObject({ name: "InvalidParameterValueException", Code: "InvalidParameterValue" });
    expect(token).toMatchObject({ name: "InvalidNextToken", $metadata: { httpStatusCode: 400 } });
  });

  it("pages by MaxRecords (50 by default) in name order; the SDK paginator reads every page", async () => {
    // Prepare
    for (let i = 0; i < 60; i++) await put(`bulk-${String(i).padStart(2, "0")}`);
    // Act
    const first = await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: "bulk-" }));
    const small = await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: "bulk-", MaxRecords: 7 }));
    const all: string[] = [];
    for await (const page of paginateDescribeAlarms(
      { client: cw, pageSize: 25 },
      { AlarmNamePrefix: "bulk-" },
    ))
      all.push(...(page.MetricAlarms ?? []).map((a) => a.AlarmName ?? ""));
    // Assess
    expect(first.MetricAlarms).toHaveLength(50);
    expect(first.NextToken).toBeDefined();
    expect(small.MetricAlarms?.map((a) => a.AlarmName)).toEqual(
      Array.from({ length: 7 }, (_, i) => `bulk-0${i}`),
    );
    expect(all).toEqual(Array.from({ length: 60 }, (_, i) => `bulk-${String(i).padStart(2, "0")}`));
  });
});
