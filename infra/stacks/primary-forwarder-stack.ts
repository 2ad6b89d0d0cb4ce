/**
 * PRIMARY region: forwards the failover trigger events (the configured CloudWatch alarms going
 * into ALARM, open AWS Health issues) to the recovery region's default event bus, where
 * OrchestratorStack's rules start the state machine. Same-account cross-region delivery needs only
 * the rule's role (events:PutEvents on the target bus), no bus policy.
 *
 * Caveat: forwarding runs in the primary region, so a full regional EventBridge outage also stops
 * it; `drctl failover` (CLI) and a manual StartExecution in the recovery region remain.
 */
import { Stack, type StackProps } from "aws-cdk-lib";
import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import type { Construct } from "constructs";
import type { AppConfig } from "../../functions/shared/config.js";
import { alarmPattern, healthPattern } from "../event-patterns.js";
import { arns } from "../permissions.js";

export interface PrimaryForwarderStackProps extends StackProps {
  readonly config: AppConfig;
}

export class PrimaryForwarderStack extends Stack {
  constructor(scope: Construct, id: string, props: PrimaryForwarderStackProps) {
    super(scope, id, props);
    const { config } = props;
    const recovery = config.regions.recovery;
    const target = events.EventBus.fromEventBusArn(
      this,
      "RecoveryBus",
      arns(config).arn("events", recovery, "event-bus/default"),
    );
    const alarms = alarmPattern(config);
    if (alarms) {
      new events.Rule(this, "ForwardAlarms", {
        description: `drctl ${config.app}: forward primary alarms to ${recovery}`,
        eventPattern: alarms,
        targets: [new targets.EventBus(target)],
      });
    }
    new events.Rule(this, "ForwardHealth", {
      description: `drctl ${config.app}: forward AWS Health issues to ${recovery}`,
      eventPattern: healthPattern(config),
      targets: [new targets.EventBus(target)],
    });
  }
}
