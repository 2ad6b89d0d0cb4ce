/**
 * EventBridge patterns of the failover triggers. Alarms and AWS Health events are emitted in the
 * PRIMARY region; PrimaryForwarderStack forwards them (same pattern) to the recovery region's
 * default bus, where OrchestratorStack's rules (same pattern again) start the state machine.
 * A forwarded event keeps its original `region`, so both sides match region = primary.
 */
import type { EventPattern } from "aws-cdk-lib/aws-events";
import type { AppConfig, ResourceType } from "../functions/shared/config.js";

/** AWS Health service codes of each protected resource type. */
const HEALTH_SERVICE: Record<ResourceType, string> = {
  rds: "RDS",
  aurora: "RDS",
  ebs: "EBS",
  ec2: "EC2",
  efs: "ELASTICFILESYSTEM",
  dynamodb: "DYNAMODB",
};

/** Services whose open issues in the primary region start a failover (Detect still confirms). */
export function healthServices(config: AppConfig): string[] {
  const services = new Set(["EC2", "ELASTICLOADBALANCING"]);
  for (const r of config.resources) services.add(HEALTH_SERVICE[r.type]);
  if (config.selection) for (const s of Object.values(HEALTH_SERVICE)) services.add(s);
  return [...services].sort();
}

/** One of the configured primary-region alarms went into ALARM; undefined when none is configured. */
export function alarmPattern(config: AppConfig): EventPattern | undefined {
  if (config.detect.alarmNames.length === 0) return undefined;
  return {
    source: ["aws.cloudwatch"],
    detailType: ["CloudWatch Alarm State Change"],
    account: [config.account],
    region: [config.regions.primary],
    detail: { alarmName: config.detect.alarmNames, state: { value: ["ALARM"] } },
  };
}

/** An open AWS Health issue for a service the app uses, in the primary region. */
export function healthPattern(config: AppConfig): EventPattern {
  return {
    source: ["aws.health"],
    detailType: ["AWS Health Event"],
    region: [config.regions.primary],
    detail: { service: healthServices(config), eventTypeCategory: ["issue"], statusCode: ["open"] },
  };
}

/** How every aftermath execution's input begins (the rule's InputTemplate, `drctl cleanup`). */
export const CLEANUP_INPUT_PREFIX = '{"cleanupOf":';

/** Execution statuses after which a run may have left resources or its lock behind. */
export const STOPPED_STATUSES = ["ABORTED", "TIMED_OUT", "FAILED"] as const;

/**
 * Step Functions "Execution Status Change" of the recovery state machine to a status that ran no
 * (or maybe not all of its) failure path: StopExecution runs no Catch, a timeout neither, and a
 * FAILED run may have failed uncatchably (payload or history limits). The event's shape:
 * https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html
 */
export function executionStoppedPattern(stateMachineArn: string): EventPattern {
  return {
    source: ["aws.states"],
    detailType: ["Step Functions Execution Status Change"],
    detail: {
      status: [...STOPPED_STATUSES],
      stateMachineArn: [stateMachineArn],
      // Never the aftermath of an aftermath (its input is `{"cleanupOf":...}`): no loop of cleanups.
      input: [{ "anything-but": { prefix: CLEANUP_INPUT_PREFIX } }],
    },
  };
}
