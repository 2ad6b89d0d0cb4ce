/**
 * The orchestrator's resources besides its steps and state machine: the artifacts bucket (config,
 * run documents, reports) with its access logs and the app's config object, the notifications topic
 * under its own key, and the role AWS Backup assumes to run restore jobs.
 */
import { Duration, RemovalPolicy, type Stack } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as s3 from "aws-cdk-lib/aws-s3";
import * as s3deploy from "aws-cdk-lib/aws-s3-deployment";
import * as sns from "aws-cdk-lib/aws-sns";
import * as subscriptions from "aws-cdk-lib/aws-sns-subscriptions";
import { NagSuppressions } from "cdk-nag";
import { type AppConfig, configKey } from "../../functions/shared/config.js";

export interface OrchestratorResources {
  readonly artifacts: s3.Bucket;
  readonly topicKey: kms.Key;
  readonly topic: sns.Topic;
  readonly restoreRole: iam.Role;
}

export function orchestratorResources(
  stack: Stack,
  config: AppConfig,
  notifyEmail: string | undefined,
): OrchestratorResources {
  // ---- storage: artifacts bucket (+ its access logs) and the app's config -------------------
  const accessLogs = new s3.Bucket(stack, "AccessLogs", {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    lifecycleRules: [{ id: "expire-access-logs", expiration: Duration.days(365) }],
    removalPolicy: RemovalPolicy.RETAIN,
  });

  const artifacts = new s3.Bucket(stack, "Artifacts", {
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

  new s3deploy.BucketDeployment(stack, "Config", {
    sources: [s3deploy.Source.jsonData(configKey(config.app), config)],
    destinationBucket: asBucketRef(artifacts),
    // Other objects (other apps' configs, runs/) are not this deployment's to delete.
    prune: false,
    retainOnDelete: true,
    memoryLimit: 256,
  });

  // ---- notifications -------------------------------------------------------------------------
  // A customer managed key: CloudWatch alarms cannot publish to topics under the AWS managed key.
  const topicKey = new kms.Key(stack, "NotificationsKey", {
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
  const topic = new sns.Topic(stack, "Notifications", {
    displayName: `drctl ${config.app}`,
    masterKey: topicKey,
    enforceSSL: true,
  });
  if (notifyEmail) topic.addSubscription(new subscriptions.EmailSubscription(notifyEmail));

  // ---- the role AWS Backup assumes to run restore jobs ----------------------------------------
  const restoreRole = new iam.Role(stack, "RestoreRole", {
    assumedBy: new iam.ServicePrincipal("backup.amazonaws.com", {
      conditions: { StringEquals: { "aws:SourceAccount": config.account } },
    }),
    description: `AWS Backup restores for drctl ${config.app}`,
    managedPolicies: [
      iam.ManagedPolicy.fromAwsManagedPolicyName("service-role/AWSBackupServiceRolePolicyForRestores"),
    ],
  });
  NagSuppressions.addResourceSuppressions(restoreRole, [
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
  return { artifacts, topicKey, topic, restoreRole };
}

/**
 * aws-cdk-lib's IBucket has optional properties typed without `| undefined`, which
 * exactOptionalPropertyTypes rejects for the Bucket class itself; the value is the same object.
 */
const asBucketRef = (bucket: s3.Bucket): s3.IBucket => bucket as unknown as s3.IBucket;
