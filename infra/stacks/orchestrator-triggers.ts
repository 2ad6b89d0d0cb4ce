/**
 * What starts and watches the recovery state machine: primary-region alarms and AWS Health events
 * (forwarded to this region's default bus), the quarterly drill schedule, the aftermath of a stopped
 * execution, and an alarm on failed executions.
 */
import { Duration, type Stack, TimeZone } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as cwActions from "aws-cdk-lib/aws-cloudwatch-actions";
import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import * as scheduler from "aws-cdk-lib/aws-scheduler";
import * as schedulerTargets from "aws-cdk-lib/aws-scheduler-targets";
import type * as sns from "aws-cdk-lib/aws-sns";
import type * as sfn from "aws-cdk-lib/aws-stepfunctions";
import type { AppConfig } from "../../functions/shared/config.js";
import type { ExecutionInput } from "../../functions/shared/types.js";
import { alarmPattern, executionStoppedPattern, healthPattern } from "../event-patterns.js";

/** First Tuesday of January, April, July and October, 09:00 (in DEFAULT_DRILL_TIMEZONE). */
export const DEFAULT_DRILL_SCHEDULE = "cron(0 9 ? 1,4,7,10 TUE#1 *)";
export const DEFAULT_DRILL_TIMEZONE = "Etc/UTC";

/** Execution inputs of the three triggers (validated against ExecutionInput by validateInput). */
export const TRIGGER_INPUTS = {
  alarm: { mode: "failover", trigger: "alarm" },
  health: { mode: "failover", trigger: "health" },
  schedule: { mode: "drill", trigger: "schedule" },
} as const satisfies Record<string, Partial<ExecutionInput>>;

/** The drill schedule's settings (cdk.json context, OrchestratorStackProps). */
export interface DrillSchedule {
  /** EventBridge Scheduler expression of the drill schedule (context `drillSchedule`). */
  readonly drillSchedule?: string | undefined;
  /** IANA time zone of the drill schedule (context `drillTimezone`). */
  readonly drillTimezone?: string | undefined;
  /** Context `drillScheduleEnabled=false` creates the schedule disabled. */
  readonly drillScheduleEnabled?: boolean | undefined;
}

/** The triggers; returns the rule that starts the aftermath of a stopped execution. */
export function orchestratorTriggers(
  stack: Stack,
  config: AppConfig,
  stateMachine: sfn.StateMachine,
  schedule: DrillSchedule,
): events.Rule {
  const primary = config.regions.primary;
  const alarms = alarmPattern(config);
  if (alarms) {
    new events.Rule(stack, "PrimaryAlarmRule", {
      description: `drctl ${config.app}: primary-region alarm in ALARM (forwarded from ${primary}) -> failover`,
      eventPattern: alarms,
      targets: [startTarget(stateMachine, TRIGGER_INPUTS.alarm)],
    });
  }
  new events.Rule(stack, "PrimaryHealthRule", {
    description: `drctl ${config.app}: AWS Health issue in ${primary} (forwarded) -> failover (Detect confirms)`,
    eventPattern: healthPattern(config),
    targets: [startTarget(stateMachine, TRIGGER_INPUTS.health)],
  });

  const executionStoppedRule = new events.Rule(stack, "ExecutionStoppedRule", {
    description: `drctl ${config.app}: an execution ended ABORTED/TIMED_OUT/FAILED -> its aftermath (cleanup, unlock, report)`,
    eventPattern: executionStoppedPattern(stateMachine.stateMachineArn),
    targets: [
      startTarget(stateMachine, {
        cleanupOf: events.EventField.fromPath("$.detail.executionArn"),
        trigger: "execution-status-change",
      }),
    ],
  });

  new scheduler.Schedule(stack, "QuarterlyDrill", {
    description: `drctl ${config.app}: quarterly DR drill`,
    schedule: scheduler.ScheduleExpression.expression(
      schedule.drillSchedule ?? DEFAULT_DRILL_SCHEDULE,
      TimeZone.of(schedule.drillTimezone ?? DEFAULT_DRILL_TIMEZONE),
    ),
    enabled: schedule.drillScheduleEnabled ?? true,
    target: new schedulerTargets.StepFunctionsStartExecution(stateMachine, {
      input: scheduler.ScheduleTargetInput.fromObject(TRIGGER_INPUTS.schedule),
      retryAttempts: 3,
      maxEventAge: Duration.hours(1),
    }),
  });
  return executionStoppedRule;
}

/** Alarm on failed / timed-out executions (backstop for the notify step), to the topic. */
export function executionFailuresAlarm(
  stack: Stack,
  config: AppConfig,
  stateMachine: sfn.StateMachine,
  topic: sns.Topic,
): void {
  const period = Duration.minutes(5);
  const failures = new cloudwatch.MathExpression({
    expression: "FILL(failed, 0) + FILL(timedOut, 0)",
    usingMetrics: {
      failed: stateMachine.metricFailed({ period, statistic: "Sum" }),
      timedOut: stateMachine.metricTimedOut({ period, statistic: "Sum" }),
    },
    label: "ExecutionsFailed + ExecutionsTimedOut",
    period,
  });
  const failureAlarm = new cloudwatch.Alarm(stack, "ExecutionFailuresAlarm", {
    alarmDescription: `drctl ${config.app}: a recovery execution failed or timed out`,
    metric: failures,
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  failureAlarm.addAlarmAction(new cwActions.SnsAction(topic));
}

/** StartExecution of the recovery state machine with a fixed input, retried by EventBridge. */
function startTarget(stateMachine: sfn.StateMachine, input: object): targets.SfnStateMachine {
  return new targets.SfnStateMachine(stateMachine, {
    input: events.RuleTargetInput.fromObject(input),
    retryAttempts: 3,
    maxEventAge: Duration.hours(1),
  });
}
