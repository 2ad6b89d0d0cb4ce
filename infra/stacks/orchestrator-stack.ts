/**
 * The orchestrator, deployed in the RECOVERY region (it must work while the primary is down):
 * artifacts bucket (config, run documents, reports), notifications topic, the AWS Backup restore
 * role, one Lambda per step, the recovery state machine and its triggers (primary-region alarms
 * and AWS Health events forwarded to this region's default bus, a quarterly drill schedule) and an
 * alarm on failed executions.
 */
import { CfnOutput, RemovalPolicy, Stack, type StackProps } from "aws-cdk-lib";
import type * as events from "aws-cdk-lib/aws-events";
import * as iam from "aws-cdk-lib/aws-iam";
import * as logs from "aws-cdk-lib/aws-logs";
import type * as s3 from "aws-cdk-lib/aws-s3";
import type * as sns from "aws-cdk-lib/aws-sns";
import * as sfn from "aws-cdk-lib/aws-stepfunctions";
import { NagSuppressions } from "cdk-nag";
import type { Construct } from "constructs";
import type { AppConfig } from "../../functions/shared/config.js";
import { FUNCTIONS, type FunctionKey, substitutionKey } from "../../state-machines/names.js";
import { recoveryDefinition } from "../../state-machines/recovery.asl.js";
import { ApproverPolicy } from "../constructs/approver-policy.js";
import { type StepEnvironment, StepFunction } from "../constructs/step-function.js";
import { stepGrants } from "../permissions.js";
import { orchestratorResources } from "./orchestrator-resources.js";
import { type DrillSchedule, executionFailuresAlarm, orchestratorTriggers } from "./orchestrator-triggers.js";
import { applyGrants, suppressBucketDeployment } from "./step-grants.js";

export { DEFAULT_DRILL_SCHEDULE, DEFAULT_DRILL_TIMEZONE, TRIGGER_INPUTS } from "./orchestrator-triggers.js";

export interface OrchestratorStackProps extends StackProps, DrillSchedule {
  readonly config: AppConfig;
  /** Email address subscribed to the notifications topic (context `notifyEmail`). */
  readonly notifyEmail?: string | undefined;
  /** Retention of every log group. Default one year. */
  readonly logRetention?: logs.RetentionDays | undefined;
}

export const stateMachineNameFor = (app: string): string => `drctl-${app}`;

export class OrchestratorStack extends Stack {
  readonly artifacts: s3.Bucket;
  readonly topic: sns.Topic;
  readonly restoreRole: iam.Role;
  readonly stateMachine: sfn.StateMachine;
  /** Starts the aftermath of an execution that ended ABORTED, TIMED_OUT or FAILED. */
  readonly executionStoppedRule: events.Rule;
  readonly steps: { [K in FunctionKey]: StepFunction<K> };

  constructor(scope: Construct, id: string, props: OrchestratorStackProps) {
    super(scope, id, props);
    const { config } = props;
    const retention = props.logRetention ?? logs.RetentionDays.ONE_YEAR;
    const stateMachineName = stateMachineNameFor(config.app);

    const resources = orchestratorResources(this, config, props.notifyEmail);
    this.artifacts = resources.artifacts;
    this.topic = resources.topic;
    this.restoreRole = resources.restoreRole;

    // ---- one function per step ------------------------------------------------------------------
    const base = { ARTIFACTS_BUCKET: this.artifacts.bucketName, DRCTL_LOCAL: "false" } as const;
    const restore = { ...base, RESTORE_ROLE_ARN: this.restoreRole.roleArn };
    const environments: { [K in FunctionKey]: StepEnvironment<K> } = {
      validateInput: { ...base, DEFAULT_APP: config.app },
      detect: base,
      deployStack: base,
      checkStack: base,
      planRestores: base,
      startRestores: restore,
      pollRestores: restore,
      integrate: base,
      validateHealth: base,
      failover: base,
      writeReport: base,
      cleanup: base,
      notify: { ...base, SNS_TOPIC_ARN: this.topic.topicArn },
      aftermath: { ...base, DEFAULT_APP: config.app },
      resume: base,
    };
    const grants = stepGrants({
      config,
      bucketArn: this.artifacts.bucketArn,
      topicArn: this.topic.topicArn,
      restoreRoleArn: this.restoreRole.roleArn,
      stateMachineName,
    });
    const makeStep = <K extends FunctionKey>(key: K): StepFunction<K> => {
      const step = new StepFunction(this, `${key[0]?.toUpperCase()}${key.slice(1)}`, {
        key,
        environment: environments[key],
        logRetention: retention,
      });
      applyGrants(this, step, grants[key]);
      return step;
    };
    const steps = {} as Record<FunctionKey, StepFunction<FunctionKey>>;
    for (const key of FUNCTIONS) steps[key] = makeStep(key);
    this.steps = steps as { [K in FunctionKey]: StepFunction<K> };
    // Publishing to a KMS-encrypted topic needs the key.
    applyGrants(this, this.steps.notify, [
      { actions: ["kms:Decrypt", "kms:GenerateDataKey"], resources: [resources.topicKey.keyArn] },
    ]);

    // ---- the state machine ----------------------------------------------------------------------
    const machineLogs = new logs.LogGroup(this, "StateMachineLogs", {
      logGroupName: `/aws/vendedlogs/states/${stateMachineName}`,
      retention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const machineRole = new iam.Role(this, "StateMachineRole", {
      assumedBy: new iam.ServicePrincipal("states.amazonaws.com"),
      description: `drctl ${config.app} recovery state machine`,
    });
    // Exactly the step functions, unqualified (the Tasks' Resource is the function ARN).
    machineRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["lambda:InvokeFunction"],
        resources: FUNCTIONS.map((key) => this.steps[key].functionArn),
      }),
    );
    this.stateMachine = new sfn.StateMachine(this, "StateMachine", {
      stateMachineName,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromString(JSON.stringify(recoveryDefinition())),
      definitionSubstitutions: Object.fromEntries(
        FUNCTIONS.map((key) => [substitutionKey(key), this.steps[key].functionArn]),
      ),
      role: machineRole,
      logs: { destination: machineLogs, level: sfn.LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });
    NagSuppressions.addResourceSuppressions(
      machineRole,
      [
        {
          id: "AwsSolutions-IAM5",
          reason:
            "CloudWatch Logs vended-log delivery and X-Ray tracing actions (logs:*LogDelivery*, " +
            "logs:DescribeResourcePolicies, xray:PutTraceSegments, ...) support no resource-level permissions.",
          appliesTo: ["Resource::*"],
        },
      ],
      true,
    );

    // ---- triggers and the alarm on failed executions --------------------------------------------
    this.executionStoppedRule = orchestratorTriggers(this, config, this.stateMachine, props);
    executionFailuresAlarm(this, config, this.stateMachine, this.topic);

    // ---- suppressions for CDK-provided helpers --------------------------------------------------
    suppressBucketDeployment(this);

    new CfnOutput(this, "StateMachineArn", { value: this.stateMachine.stateMachineArn });
    new CfnOutput(this, "ArtifactsBucket", { value: this.artifacts.bucketName });
    new CfnOutput(this, "TopicArn", { value: this.topic.topicArn });
    new CfnOutput(this, "RestoreRoleArn", { value: this.restoreRole.roleArn });
    new ApproverPolicy(this, "Approvers", { config, stateMachineName });
  }
}
