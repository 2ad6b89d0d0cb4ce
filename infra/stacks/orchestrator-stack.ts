/**
 * The orchestrator, deployed in the RECOVERY region (it must work while the primary is down):
 * artifacts bucket (config, run documents, reports), notifications topic, the AWS Backup restore
 * role, one Lambda per step, the recovery state machine and its triggers (primary-region alarms
 * and AWS Health events forwarded to this region's default bus, a quarterly drill schedule) and an
 * alarm on failed executions.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, TimeZone } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as cwActions from "aws-cdk-lib/aws-cloudwatch-actions";
import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as logs from "aws-cdk-lib/aws-logs";
import * as s3 from "aws-cdk-lib/aws-s3";
import * as s3deploy from "aws-cdk-lib/aws-s3-deployment";
import * as scheduler from "aws-cdk-lib/aws-scheduler";
import * as schedulerTargets from "aws-cdk-lib/aws-scheduler-targets";
import * as sns from "aws-cdk-lib/aws-sns";
import * as subscriptions from "aws-cdk-lib/aws-sns-subscriptions";
import * as sfn from "aws-cdk-lib/aws-stepfunctions";
import { NagSuppressions } from "cdk-nag";
import { flattenCfnReference } from "cdk-nag/lib/utils/flatten-cfn-reference.js";
import type { Construct } from "constructs";
import { type AppConfig, configKey } from "../../functions/shared/config.js";
import type { ExecutionInput } from "../../functions/shared/types.js";
import { FUNCTIONS, type FunctionKey, substitutionKey } from "../../state-machines/names.js";
import { recoveryDefinition } from "../../state-machines/recovery.asl.js";
import { ApproverPolicy } from "../constructs/approver-policy.js";
import { type StepEnvironment, StepFunction } from "../constructs/step-function.js";
import { alarmPattern, executionStoppedPattern, healthPattern } from "../event-patterns.js";
import { type Grant, stepGrants } from "../permissions.js";

/** First Tuesday of January, April, July and October, 09:00 (in DEFAULT_DRILL_TIMEZONE). */
export const DEFAULT_DRILL_SCHEDULE = "cron(0 9 ? 1,4,7,10 TUE#1 *)";
export const DEFAULT_DRILL_TIMEZONE = "Etc/UTC";

/** Execution inputs of the three triggers (validated against ExecutionInput by validateInput). */
export const TRIGGER_INPUTS = {
  alarm: { mode: "failover", trigger: "alarm" },
  health: { mode: "failover", trigger: "health" },
  schedule: { mode: "drill", trigger: "schedule" },
} as const satisfies Record<string, Partial<ExecutionInput>>;

export interface OrchestratorStackProps extends StackProps {
  readonly config: AppConfig;
  /** Email address subscribed to the notifications topic (context `notifyEmail`). */
  readonly notifyEmail?: string | undefined;
  /** EventBridge Scheduler expression of the drill schedule (context `drillSchedule`). */
  readonly drillSchedule?: string | undefined;
  /** IANA time zone of the drill schedule (context `drillTimezone`). */
  readonly drillTimezone?: string | undefined;
  /** Context `drillScheduleEnabled=false` creates the schedule disabled. */
  readonly drillScheduleEnabled?: boolean | undefined;
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

    // ---- storage: artifacts bucket (+ its access logs) and the app's config -------------------
    const accessLogs = new s3.Bucket(this, "AccessLogs", {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: "expire-access-logs", expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.artifacts = new s3.Bucket(this, "Artifacts", {
      encryption: s3.BucketEncryption.S3_MANAGED,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: asBucketRef(accessLogs),
      serverAccessLogsPrefix: "artifacts/",
      lifecycleRules: [
        // Run documents are rewritten every poll tick: keep the history of a run for 90 days only.
        { id: "runs-noncurrent", prefix: "runs/", noncurrentVersionExpiration: Duration.days(90) },
        { id: "abort-multipart", abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
      // Reports are the evidence of drills (audits); never deleted with the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    new s3deploy.BucketDeployment(this, "Config", {
      sources: [s3deploy.Source.jsonData(configKey(config.app), config)],
      destinationBucket: asBucketRef(this.artifacts),
      // Other objects (other apps' configs, runs/) are not this deployment's to delete.
      prune: false,
      retainOnDelete: true,
      memoryLimit: 256,
    });

    // ---- notifications -------------------------------------------------------------------------
    // A customer managed key: CloudWatch alarms cannot publish to topics under the AWS managed key.
    const topicKey = new kms.Key(this, "NotificationsKey", {
      description: `drctl ${config.app} notifications`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    topicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal("cloudwatch.amazonaws.com")],
        actions: ["kms:Decrypt", "kms:GenerateDataKey"],
        resources: ["*"],
        conditions: { StringEquals: { "aws:SourceAccount": config.account } },
      }),
    );
    this.topic = new sns.Topic(this, "Notifications", {
      displayName: `drctl ${config.app}`,
      masterKey: topicKey,
      enforceSSL: true,
    });
    if (props.notifyEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.notifyEmail));

    // ---- the role AWS Backup assumes to run restore jobs ----------------------------------------
    this.restoreRole = new iam.Role(this, "RestoreRole", {
      assumedBy: new iam.ServicePrincipal("backup.amazonaws.com", {
        conditions: { StringEquals: { "aws:SourceAccount": config.account } },
      }),
      description: `AWS Backup restores for drctl ${config.app}`,
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName("service-role/AWSBackupServiceRolePolicyForRestores"),
      ],
    });
    NagSuppressions.addResourceSuppressions(this.restoreRole, [
      {
        id: "AwsSolutions-IAM4",
        reason:
          "AWSBackupServiceRolePolicyForRestores is the AWS-maintained policy for restores of every resource type " +
          "AWS Backup supports; it follows new restore requirements without redeploying.",
        appliesTo: [
          "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
        ],
      },
    ]);

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
      this.applyGrants(step, grants[key]);
      return step;
    };
    const steps = {} as Record<FunctionKey, StepFunction<FunctionKey>>;
    for (const key of FUNCTIONS) steps[key] = makeStep(key);
    this.steps = steps as { [K in FunctionKey]: StepFunction<K> };
    // Publishing to a KMS-encrypted topic needs the key.
    this.applyGrants(this.steps.notify, [
      { actions: ["kms:Decrypt", "kms:GenerateDataKey"], resources: [topicKey.keyArn] },
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

    // ---- triggers -------------------------------------------------------------------------------
    const primary = config.regions.primary;
    const alarms = alarmPattern(config);
    if (alarms) {
      new events.Rule(this, "PrimaryAlarmRule", {
        description: `drctl ${config.app}: primary-region alarm in ALARM (forwarded from ${primary}) -> failover`,
        eventPattern: alarms,
        targets: [this.startTarget(TRIGGER_INPUTS.alarm)],
      });
    }
    new events.Rule(this, "PrimaryHealthRule", {
      description: `drctl ${config.app}: AWS Health issue in ${primary} (forwarded) -> failover (Detect confirms)`,
      eventPattern: healthPattern(config),
      targets: [this.startTarget(TRIGGER_INPUTS.health)],
    });

    this.executionStoppedRule = new events.Rule(this, "ExecutionStoppedRule", {
      description: `drctl ${config.app}: an execution ended ABORTED/TIMED_OUT/FAILED -> its aftermath (cleanup, unlock, report)`,
      eventPattern: executionStoppedPattern(this.stateMachine.stateMachineArn),
      targets: [
        this.startTarget({
          cleanupOf: events.EventField.fromPath("$.detail.executionArn"),
          trigger: "execution-status-change",
        }),
      ],
    });

    new scheduler.Schedule(this, "QuarterlyDrill", {
      description: `drctl ${config.app}: quarterly DR drill`,
      schedule: scheduler.ScheduleExpression.expression(
        props.drillSchedule ?? DEFAULT_DRILL_SCHEDULE,
        TimeZone.of(props.drillTimezone ?? DEFAULT_DRILL_TIMEZONE),
      ),
      enabled: props.drillScheduleEnabled ?? true,
      target: new schedulerTargets.StepFunctionsStartExecution(this.stateMachine, {
        input: scheduler.ScheduleTargetInput.fromObject(TRIGGER_INPUTS.schedule),
        retryAttempts: 3,
        maxEventAge: Duration.hours(1),
      }),
    });

    // ---- alarm on failed / timed-out executions (backstop for the notify step) -----------------
    const period = Duration.minutes(5);
    const failures = new cloudwatch.MathExpression({
      expression: "FILL(failed, 0) + FILL(timedOut, 0)",
      usingMetrics: {
        failed: this.stateMachine.metricFailed({ period, statistic: "Sum" }),
        timedOut: this.stateMachine.metricTimedOut({ period, statistic: "Sum" }),
      },
      label: "ExecutionsFailed + ExecutionsTimedOut",
      period,
    });
    const failureAlarm = new cloudwatch.Alarm(this, "ExecutionFailuresAlarm", {
      alarmDescription: `drctl ${config.app}: a recovery execution failed or timed out`,
      metric: failures,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    failureAlarm.addAlarmAction(new cwActions.SnsAction(this.topic));

    // ---- suppressions for CDK-provided helpers --------------------------------------------------
    this.suppressBucketDeployment();

    new CfnOutput(this, "StateMachineArn", { value: this.stateMachine.stateMachineArn });
    new CfnOutput(this, "ArtifactsBucket", { value: this.artifacts.bucketName });
    new CfnOutput(this, "TopicArn", { value: this.topic.topicArn });
    new CfnOutput(this, "RestoreRoleArn", { value: this.restoreRole.roleArn });
    new ApproverPolicy(this, "Approvers", { config, stateMachineName });
  }

  /** StartExecution of the recovery state machine with a fixed input, retried by EventBridge. */
  private startTarget(input: object): targets.SfnStateMachine {
    return new targets.SfnStateMachine(this.stateMachine, {
      input: events.RuleTargetInput.fromObject(input),
      retryAttempts: 3,
      maxEventAge: Duration.hours(1),
    });
  }

  /**
   * Adds the grants to the step's role; each wildcard resource becomes a cdk-nag IAM5 suppression
   * for exactly that finding, with the grant's reason.
   */
  private applyGrants(step: StepFunction<FunctionKey>, grants: Grant[]): void {
    const findings: { reason: string; appliesTo: string[] }[] = [];
    for (const g of grants) {
      const statement = new iam.PolicyStatement({ actions: g.actions, resources: g.resources });
      if (g.conditions) statement.addConditions(g.conditions);
      step.grant(statement);
      const wild = [
        ...g.actions.filter((a) => a.includes("*")).map((a) => `Action::${a}`),
        ...g.resources
          .map((r) => flattenCfnReference(this.resolve(r)))
          .filter((r) => r.includes("*"))
          .map((r) => `Resource::${r}`),
      ];
      if (wild.length === 0) continue;
      if (!g.why) throw new Error(`${step.key}: wildcard grant ${wild.join(", ")} needs a reason (why)`);
      findings.push({ reason: g.why, appliesTo: wild });
    }
    // Active tracing adds xray:PutTraceSegments/PutTelemetryRecords, which name no resource.
    findings.push({
      reason: "X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions.",
      appliesTo: ["Resource::*"],
    });
    NagSuppressions.addResourceSuppressions(
      step.role,
      findings.map((f) => ({ id: "AwsSolutions-IAM5", reason: f.reason, appliesTo: f.appliesTo })),
      true,
    );
  }

  /** The s3-deployment custom resource (config upload) is CDK's own singleton Lambda. */
  private suppressBucketDeployment(): void {
    for (const child of this.node.children) {
      if (!child.node.id.startsWith("Custom::CDKBucketDeployment")) continue;
      NagSuppressions.addResourceSuppressions(
        child,
        [
          {
            id: "AwsSolutions-IAM4",
            reason: "CDK's BucketDeployment handler uses AWSLambdaBasicExecutionRole for its own logs.",
            appliesTo: [
              "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
            ],
          },
          {
            id: "AwsSolutions-IAM5",
            reason:
              "CDK's BucketDeployment copies the config object from the CDK asset bucket into the artifacts " +
              "bucket (s3:GetObject*/List*/DeleteObject*/Abort* on those buckets' objects).",
          },
          {
            id: "AwsSolutions-L1",
            reason: "CDK's BucketDeployment handler runtime is chosen by aws-cdk-lib, not by this app.",
          },
        ],
        true,
      );
    }
  }
}

/**
 * aws-cdk-lib's IBucket has optional properties typed without `| undefined`, which
 * exactOptionalPropertyTypes rejects for the Bucket class itself; the value is the same object.
 */
const asBucketRef = (bucket: s3.Bucket): s3.IBucket => bucket as unknown as s3.IBucket;
