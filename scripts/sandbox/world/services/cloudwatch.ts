/**
 * Amazon CloudWatch: metric alarms per region. PutMetricAlarm creates or updates one, SetAlarmState
 * sets its state, DescribeAlarms lists them. The sandbox has no metrics, so an alarm stays in the
 * state it was given (by the scenario's `primary.alarms` or SetAlarmState) instead of being
 * evaluated; composite alarms are not modelled (none exist).
 */
import type { MetricAlarm as MetricAlarmOut, StateValue } from "@aws-sdk/client-cloudwatch";
import { SandboxError } from "../../types.js";
import { invalid, optNumber, optString, outOfRange, requireString, stringList } from "../errors.js";
import { type CloudWatch, serviceHandlers } from "../handlers.js";
import type { MetricAlarm, Region, WorldCore } from "../model.js";
import { hashHex } from "../naming.js";
import { paginate } from "../paging.js";

const STATES: readonly StateValue[] = ["OK", "ALARM", "INSUFFICIENT_DATA"];
/** DescribeAlarms: MaxRecords 1-100 and at most 100 AlarmNames (model); 50 per page by default. */
const MAX_RECORDS = 100;
const DEFAULT_RECORDS = 50;
/** The StateReason of an alarm PutMetricAlarm has just created. */
export const INITIAL_REASON = "Unchecked: Initial alarm creation";

const combination = (message: string) => new SandboxError("InvalidParameterCombination", message, 400);

function stateOf(value: string | undefined, member: string): StateValue {
  const state = STATES.find((s) => s === value);
  if (!state) {
    throw invalid(
      "cloudwatch",
      `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy enum value set: [${STATES.join(", ")}]`,
    );
  }
  return state;
}

function alarmOut(a: MetricAlarm): MetricAlarmOut {
  return {
    ...a.config,
    AlarmName: a.name,
    AlarmArn: a.arn,
    ActionsEnabled: a.config.ActionsEnabled ?? true,
    OKActions: a.config.OKActions ?? [],
    AlarmActions: a.config.AlarmActions ?? [],
    InsufficientDataActions: a.config.InsufficientDataActions ?? [],
    AlarmConfigurationUpdatedTimestamp: new Date(a.configUpdatedAt),
    StateValue: a.state,
    StateReason: a.reason,
    ...(a.reasonData !== undefined ? { StateReasonData: a.reasonData } : {}),
    StateUpdatedTimestamp: new Date(a.stateUpdatedAt),
    StateTransitionedTimestamp: new Date(a.stateTransitionedAt),
  };
}

const actionsOf = (a: MetricAlarm): string[] => [
  ...(a.config.OKActions ?? []),
  ...(a.config.AlarmActions ?? []),
  ...(a.config.InsufficientDataActions ?? []),
];

/** Sets an alarm's state at `at` (its transition time moves only when the value changes). */
export function setAlarmState(a: MetricAlarm, state: StateValue, reason: string, at: number): void {
  if (a.state !== state) a.stateTransitionedAt = at;
  a.state = state;
  a.reason = reason;
  a.stateUpdatedAt = at;
}

function createAlarm(w: WorldCore, region: Region, name: string, at: number): MetricAlarm {
  const alarm: MetricAlarm = {
    name,
    arn: `arn:aws:cloudwatch:${region.name}:${w.account}:alarm:${name}`,
    config: {},
    state: "INSUFFICIENT_DATA",
    reason: INITIAL_REASON,
    configUpdatedAt: at,
    stateUpdatedAt: at,
    stateTransitionedAt: at,
    tags: {},
  };
  region.alarms.set(name, alarm);
  return alarm;
}

/** The scenario's `primary.alarms`: created a day before t=0, in their state since t=0. */
export function seedAlarms(w: WorldCore, t0: number): void {
  for (const a of w.scenario.primary.alarms) {
    const alarm = createAlarm(w, w.primary, a.name, t0 - 86400_000);
    setAlarmState(alarm, a.state, a.reason ?? `Set by the scenario: ${a.state}`, t0);
  }
}

export const cloudWatchHandlers = serviceHandlers<CloudWatch>()({
  PutMetricAlarm({ world, region, input, now }) {
    const { AlarmName: _, Tags, ...config } = input;
    const name = requireString("cloudwatch", input, "AlarmName");
    const existing = region.alarms.get(name);
    // An update keeps the state and ignores Tags; the configuration is replaced as a whole.
    const alarm = existing ?? createAlarm(world, region, name, now);
    if (!existing) for (const t of Tags ?? []) if (t.Key) alarm.tags[t.Key] = t.Value ?? "";
    alarm.config = config;
    alarm.configUpdatedAt = now;
    return {};
  },

  SetAlarmState({ region, input, now }) {
    const name = requireString("cloudwatch", input, "AlarmName");
    const alarm = region.alarms.get(name);
    if (!alarm) throw new SandboxError("ResourceNotFound", `Alarm ${name} not found`, 404);
    const state = stateOf(input.StateValue, "stateValue");
    const data = optString(input, "StateReasonData");
    if (data !== undefined) {
      try {
        JSON.parse(data);
      } catch {
        throw new SandboxError("InvalidFormat", "StateReasonData is not valid JSON", 400);
      }
    }
    setAlarmState(alarm, state, input.StateReason ?? "", now);
    if (data !== undefined) alarm.reasonData = data;
    else delete alarm.reasonData;
    return {};
  },

  DescribeAlarms({ region, input }) {
    const names = stringList(input, "AlarmNames");
    const prefix = optString(input, "AlarmNamePrefix");
    const state = optString(input, "StateValue");
    const actionPrefix = optString(input, "ActionPrefix");
    const related = optString(input, "ChildrenOfAlarmName") ?? optString(input, "ParentsOfAlarmName");
    const max = optNumber(input, "MaxRecords");
    const tooMany = outOfRange("cloudwatch", "MaxRecords", max, 1, MAX_RECORDS);
    if (tooMany) throw tooMany;
    if (names.length > MAX_RECORDS) {
      throw invalid(
        "cloudwatch",
        `1 validation error detected: Value '[${names.join(", ")}]' at 'alarmNames' failed to satisfy constraint: Member must have length less than or equal to ${MAX_RECORDS}`,
      );
    }
    if (names.length > 0 && prefix !== undefined) {
      throw combination("AlarmNames and AlarmNamePrefix cannot be specified together.");
    }
    const filters = [names.length > 0, prefix, state, actionPrefix, input.AlarmTypes?.length];
    if (related !== undefined && filters.some(Boolean)) {
      throw combination(
        "ChildrenOfAlarmName and ParentsOfAlarmName allow only MaxRecords and NextToken besides them.",
      );
    }
    const wanted = state === undefined ? undefined : stateOf(state, "stateValue");
    // No AlarmTypes: metric alarms only. Composite alarms (and so children and parents) never exist here.
    const metric = related === undefined && (input.AlarmTypes ?? ["MetricAlarm"]).includes("MetricAlarm");
    const alarms = metric
      ? [...region.alarms.values()]
          .filter(
            (a) =>
              (names.length === 0 || names.includes(a.name)) &&
              (prefix === undefined || a.name.startsWith(prefix)) &&
              (wanted === undefined || a.state === wanted) &&
              (actionPrefix === undefined || actionsOf(a).some((x) => x.startsWith(actionPrefix))),
          )
          .sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0))
      : [];
    const scope = `cloudwatch:alarms:${hashHex(JSON.stringify([names, prefix, wanted, actionPrefix, metric]))}`;
    const page = paginate(
      alarms,
      { max, token: optString(input, "NextToken"), defaultMax: DEFAULT_RECORDS, scope },
      () => new SandboxError("InvalidNextToken", "The service returned an invalid next token.", 400),
    );
    return {
      MetricAlarms: page.items.map(alarmOut),
      CompositeAlarms: [],
      ...(page.next ? { NextToken: page.next } : {}),
    };
  },
});
