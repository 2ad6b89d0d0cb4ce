/**
 * Least-privilege IAM for each step, derived from the app config: named resources wherever the
 * service supports resource-level permissions, tag conditions on mutating calls where it supports
 * them, and a written reason for every wildcard (it becomes the cdk-nag suppression reason).
 *
 * Which step calls what: docs/design.md and functions/<step>/<step>.ts over functions/shared/aws.
 */
import type { AppConfig } from "../functions/shared/config.js";
import { TAG_APP, TAG_EXECUTION, TAG_MODE } from "../functions/shared/types.js";
import type { FunctionKey } from "../state-machines/names.js";
import { templateObject } from "./config.js";

export type Conditions = Record<string, Record<string, string | string[]>>;

export interface Grant {
  actions: string[];
  resources: string[];
  conditions?: Conditions;
  /** Required when a resource contains '*': why nothing narrower can be named. */
  why?: string;
}

export interface GrantContext {
  config: AppConfig;
  /** Artifacts bucket ARN (may be a token). */
  bucketArn: string;
  topicArn: string;
  restoreRoleArn: string;
  stateMachineName: string;
}

export const DRCTL_TAG_KEYS = [TAG_EXECUTION, TAG_MODE, TAG_APP];

export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** ARNs of the app's resources, all literal (account and regions come from the config). */
export function arns(config: AppConfig) {
  const { account, app } = config;
  const { primary, recovery } = config.regions;
  const p = partitionOf(recovery);
  const arn = (service: string, region: string, resource: string) =>
    `arn:${p}:${service}:${region}:${account}:${resource}`;
  return {
    partition: p,
    arn,
    vault: arn("backup", recovery, `backup-vault:${config.vault}`),
    /**
     * Every ARN form the vault's copies have: AWS Backup's own for the types it fully manages (EFS,
     * DynamoDB with advanced backup), the owning service's snapshot or image for the others (SAR:
     * backup recoveryPoint = arn:${Partition}:${Vendor}:${Region}:*:${ResourceType}:${RecoveryPointId}).
     */
    recoveryPoints: [
      arn("backup", recovery, "recovery-point:*"),
      arn("rds", recovery, "snapshot:awsbackup:*"),
      arn("rds", recovery, "cluster-snapshot:awsbackup:*"),
      `arn:${p}:ec2:${recovery}::snapshot/*`,
      `arn:${p}:ec2:${recovery}::image/*`,
    ],
    lockParameter: arn("ssm", recovery, `parameter/drctl/lock/${app}`),
    /** Claims of stale-lock takeovers (functions/shared/lock.ts), one per stale holder. */
    lockTakeovers: arn("ssm", recovery, `parameter/drctl/lock-takeover/${app}/*`),
    drillParameters: arn("ssm", recovery, "parameter/drctl-drill/*"),
    appParameters: [
      ...new Set(
        config.resources.flatMap((r) => (r.integrate.ssmParameter ? [r.integrate.ssmParameter] : [])),
      ),
    ].map((name) => arn("ssm", recovery, `parameter${name}`)),
    failoverStack: arn("cloudformation", recovery, `stack/${config.stack.name}/*`),
    drillStacks: arn("cloudformation", recovery, `stack/${config.stack.name}-drill-*/*`),
    alarms: config.detect.alarmNames.map((name) => arn("cloudwatch", primary, `alarm:${name}`)),
    executions: (stateMachineName: string) => arn("states", recovery, `execution:${stateMachineName}:*`),
    hostedZone: `arn:${p}:route53:::hostedzone/${config.dns.hostedZoneId}`,
    dnsChanges: `arn:${p}:route53:::change/*`,
    runShellScript: `arn:${p}:ssm:${recovery}::document/AWS-RunShellScript`,
  };
}

/**
 * The record name as Route 53 puts it in route53:ChangeResourceRecordSetsNormalizedRecordNames:
 * lowercase, no trailing dot, every character but a-z 0-9 - _ . as a backslash and three octal
 * digits (`*` → `\052`); escapes already in the name stay as they are.
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/specifying-rrset-conditions.html
 */
export function normalizedRecordName(record: string): string {
  const lower = record.toLowerCase().replace(/\.$/, "");
  return lower.replace(/\\[0-7]{3}|[^a-z0-9_.-]/g, (ch) =>
    ch.length > 1 ? ch : `\\${(ch.codePointAt(0) ?? 0).toString(8).padStart(3, "0")}`,
  );
}

export function stepGrants(ctx: GrantContext): Record<FunctionKey, Grant[]> {
  const { config } = ctx;
  const a = arns(config);
  const { primary, recovery } = config.regions;
  const inRecovery = { StringEquals: { "aws:RequestedRegion": recovery } };
  const inPrimary = { StringEquals: { "aws:RequestedRegion": primary } };
  /** Adding only drctl's own tags, with this app's value. */
  const drctlTagsOnly: Conditions = {
    StringEquals: { [`aws:RequestTag/${TAG_APP}`]: config.app },
    "ForAllValues:StringEquals": { "aws:TagKeys": DRCTL_TAG_KEYS },
  };
  /**
   * Cleanup's tagging: the run's tags of a drill of this app (what the delete statement requires),
   * only on resources with no other app or mode: a failover's or another app's resource can never
   * be re-tagged into something cleanup may delete.
   */
  const drillTagsOnly: Conditions = {
    StringEquals: { [`aws:RequestTag/${TAG_APP}`]: config.app, [`aws:RequestTag/${TAG_MODE}`]: "drill" },
    "ForAllValues:StringEquals": { "aws:TagKeys": DRCTL_TAG_KEYS },
    StringEqualsIfExists: {
      [`aws:ResourceTag/${TAG_APP}`]: config.app,
      [`aws:ResourceTag/${TAG_MODE}`]: "drill",
    },
  };
  /** Resources a run of this app created and tagged. */
  const ownedByApp: Conditions = { StringEquals: { [`aws:ResourceTag/${TAG_APP}`]: config.app } };
  /** ...and only drill ones: cleanup can never delete what a failover restored. */
  const ownedByDrill: Conditions = {
    StringEquals: { [`aws:ResourceTag/${TAG_APP}`]: config.app, [`aws:ResourceTag/${TAG_MODE}`]: "drill" },
  };
  const describeWhy = (service: string) =>
    `${service} describe/list calls support no resource-level permissions (IAM requires "*"); limited to the recovery region`;

  /** Every kind of resource a restore (or Integrate) creates; their ids are generated at run time. */
  const restoredResources = [
    a.arn("rds", recovery, "db:*"),
    a.arn("rds", recovery, "cluster:*"),
    a.arn("ec2", recovery, "volume/*"),
    a.arn("ec2", recovery, "instance/*"),
    a.arn("elasticfilesystem", recovery, "file-system/*"),
    a.arn("dynamodb", recovery, "table/*"),
  ];
  const tagRestoredActions = [
    "rds:AddTagsToResource",
    "ec2:CreateTags",
    "elasticfilesystem:TagResource",
    "dynamodb:TagResource",
  ];
  const stackWhy = "stack ARNs end in a generated id; drill stacks are named <stack>-drill-<run suffix>";

  const bucket: Grant = { actions: ["s3:ListBucket"], resources: [ctx.bucketArn] };
  const readConfig: Grant = {
    actions: ["s3:GetObject"],
    resources: [`${ctx.bucketArn}/config/${config.app}.json`],
  };
  const readRuns: Grant = {
    actions: ["s3:GetObject"],
    resources: [`${ctx.bucketArn}/runs/*`],
    why: "run documents are keyed by the run name, known only at run time; limited to the runs/ prefix",
  };
  const writeRuns: Grant = {
    actions: ["s3:PutObject"],
    resources: [`${ctx.bucketArn}/runs/*`],
    why: "run documents are keyed by the run name, known only at run time; limited to the runs/ prefix",
  };
  const lock = (actions: string[]): Grant => ({
    actions,
    resources: [a.lockParameter, a.lockTakeovers],
    why: "the lock's takeover claims are named by a hash of the stale lock they replace; this app's only",
  });
  const stackRead: Grant = {
    actions: ["cloudformation:DescribeStacks"],
    resources: [a.failoverStack, a.drillStacks],
    why: stackWhy,
  };
  const listRestoreJobs: Grant = {
    actions: ["backup:DescribeRestoreJob", "backup:ListRestoreJobs"],
    resources: ["*"],
    why: "restore jobs are not an IAM resource type: Describe/ListRestoreJobs can name no resource",
  };
  const startRestore: Grant[] = [
    {
      actions: ["backup:StartRestoreJob"],
      resources: a.recoveryPoints,
      why: "recovery points are chosen at run time (newest per resource); limited to this account and region",
    },
    {
      actions: ["iam:PassRole"],
      resources: [ctx.restoreRoleArn],
      conditions: { StringEquals: { "iam:PassedToService": "backup.amazonaws.com" } },
    },
  ];

  const history: Grant = {
    actions: ["states:GetExecutionHistory"],
    resources: [a.executions(ctx.stateMachineName)],
    why: "execution names are generated per run; limited to this state machine's executions",
  };

  const template = templateObject(config.stack.templateUrl);
  const templateArn = `arn:${a.partition}:s3:::${template.bucket}/${template.key}`;

  // Whether the lock's holder still runs (a stale lock is taken over).
  const lockHolderStatus = {
    actions: ["states:DescribeExecution"],
    resources: [a.executions(ctx.stateMachineName)],
    why: "execution names are generated per run; limited to this state machine's executions",
  };

  return {
    validateInput: [
      bucket,
      readConfig,
      lock(["ssm:GetParameter", "ssm:PutParameter", "ssm:AddTagsToResource", "ssm:DeleteParameter"]),
      lockHolderStatus,
    ],

    detect: [
      bucket,
      readConfig,
      {
        actions: ["ec2:DescribeInstances", "ec2:DescribeInstanceStatus"],
        resources: ["*"],
        conditions: inPrimary,
        why: 'EC2 describe calls support no resource-level permissions (IAM requires "*"); limited to the primary region',
      },
      // Detect asks for metric AND composite alarms; DescribeAlarms returns composite alarms only
      // with the permission on "*" (DescribeAlarms API reference).
      ...(a.alarms.length > 0
        ? [
            {
              actions: ["cloudwatch:DescribeAlarms"],
              resources: ["*"],
              conditions: inPrimary,
              why: 'DescribeAlarms returns composite alarms only when allowed on "*" (CloudWatch API reference); limited to the primary region',
            },
          ]
        : []),
    ],

    deployStack: [
      bucket,
      readConfig,
      // The report of the failover that left a DR stack: a failed one's stack is adopted.
      readRuns,
      {
        actions: [
          "cloudformation:CreateStack",
          "cloudformation:DescribeStacks",
          "cloudformation:TagResource",
        ],
        resources: [a.failoverStack, a.drillStacks],
        why: stackWhy,
      },
      // replaceStack: the DR stack a failed failover of this app left (its run's report is read first).
      {
        actions: ["cloudformation:DeleteStack"],
        resources: [a.failoverStack],
        conditions: {
          StringEquals: {
            [`aws:ResourceTag/${TAG_APP}`]: config.app,
            [`aws:ResourceTag/${TAG_MODE}`]: "failover",
          },
        },
        why: "the failover stack only, and only one a failover of this app created (its tags)",
      },
      // GetTemplateSummary with a TemplateURL names no stack: IAM matches it against "*" only
      // (SAR: its stack resource is optional). The condition keeps it to the configured template
      // (cloudformation:TemplateUrl, as in AWS's sample "Allow stack creation based on template":
      // https://docs.aws.amazon.com/prescriptive-guidance/latest/least-privilege-cloudformation/sample-id-policies-for-cloudformation.html).
      {
        actions: ["cloudformation:GetTemplateSummary"],
        resources: ["*"],
        conditions: { StringEquals: { "cloudformation:TemplateUrl": config.stack.templateUrl } },
        why: "GetTemplateSummary of a TemplateURL has no stack resource; limited to the configured template URL",
      },
      // CloudFormation reads TemplateURL with the caller's credentials (CreateStack and
      // GetTemplateSummary): the same sample gives the principals read access to the template bucket.
      { actions: ["s3:GetObject"], resources: [templateArn] },
      // The stack's service role (RoleARN): only that role, only to CloudFormation. DeleteStack
      // (cleanup) uses the role kept with the stack and needs no PassRole.
      {
        actions: ["iam:PassRole"],
        resources: [config.stack.roleArn],
        conditions: { StringEquals: { "iam:PassedToService": "cloudformation.amazonaws.com" } },
      },
    ],

    checkStack: [
      bucket,
      readConfig,
      {
        actions: ["cloudformation:DescribeStacks", "cloudformation:DescribeStackEvents"],
        resources: [a.failoverStack, a.drillStacks],
        why: stackWhy,
      },
    ],

    planRestores: [
      bucket,
      readConfig,
      writeRuns,
      { actions: ["backup:ListRecoveryPointsByBackupVault"], resources: [a.vault] },
      {
        actions: ["backup:GetRecoveryPointRestoreMetadata"],
        resources: [a.vault, ...a.recoveryPoints],
        why: "recovery points are listed at run time; limited to this account's recovery-region points",
      },
      // Tag selection reads each copy's tags from the service that owns it (aws/copy-tags.ts).
      {
        actions: ["backup:ListTags"],
        resources: [a.arn("backup", recovery, "recovery-point:*")],
        why: "recovery points are listed at run time; AWS Backup-managed points of this account and region",
      },
      {
        actions: ["rds:ListTagsForResource"],
        resources: [
          a.arn("rds", recovery, "snapshot:awsbackup:*"),
          a.arn("rds", recovery, "cluster-snapshot:awsbackup:*"),
        ],
        why: "AWS Backup names its RDS snapshot copies awsbackup:copyjob-<id> at run time; read-only, recovery region",
      },
      {
        actions: [
          "ec2:DescribeSubnets",
          "ec2:DescribeSecurityGroups",
          "ec2:DescribeSnapshots",
          "ec2:DescribeImages",
        ],
        resources: ["*"],
        conditions: inRecovery,
        why: describeWhy("EC2"),
      },
    ],

    startRestores: [bucket, readConfig, readRuns, writeRuns, ...startRestore, listRestoreJobs],

    // Restarts FAILED jobs (maxRestoreAttempts), hence StartRestoreJob and PassRole as well.
    pollRestores: [bucket, readConfig, readRuns, writeRuns, ...startRestore, listRestoreJobs],

    integrate: [
      bucket,
      readConfig,
      readRuns,
      writeRuns,
      stackRead,
      {
        actions: [
          "rds:DescribeDBInstances",
          "rds:DescribeDBClusters",
          "ec2:DescribeInstances",
          "ec2:DescribeVolumes",
          "ec2:DescribeSubnets",
          "ec2:DescribeNetworkInterfaces",
          "elasticfilesystem:DescribeFileSystems",
          "elasticfilesystem:DescribeMountTargets",
          "dynamodb:DescribeTable",
          "ssm:GetCommandInvocation",
          // Wildcard-only in the Service Authorization Reference: which instances are managed yet.
          "ssm:DescribeInstanceInformation",
        ],
        resources: ["*"],
        conditions: inRecovery,
        why: describeWhy("RDS/EC2/EFS/DynamoDB/SSM"),
      },
      // Tagging restored resources: only drctl's keys, only with this app's value.
      {
        actions: tagRestoredActions,
        resources: restoredResources,
        conditions: drctlTagsOnly,
        why: "restored resources get generated ids; the aws:TagKeys/aws:RequestTag condition allows adding drctl's own tags only",
      },
      // Aurora: a cluster restored by AWS Backup has no instance; the new one must carry the app tag.
      {
        actions: ["rds:CreateDBInstance"],
        resources: [
          a.arn("rds", recovery, "db:*"),
          a.arn("rds", recovery, `subgrp:${config.network.dbSubnetGroup}`),
        ],
        conditions: { StringEquals: { [`aws:RequestTag/${TAG_APP}`]: config.app } },
        why: "instance identifiers are derived from the run; creation requires the drctl:app tag",
      },
      {
        actions: ["rds:CreateDBInstance"],
        resources: [a.arn("rds", recovery, "cluster:*")],
        conditions: ownedByApp,
        why: "only into clusters this app's runs restored and tagged",
      },
      {
        actions: ["ec2:AttachVolume"],
        resources: [a.arn("ec2", recovery, "volume/*"), a.arn("ec2", recovery, "instance/*")],
        conditions: ownedByApp,
        why: "restored volume and DR instance ids are generated; both must carry drctl:app (stack tags / run tags)",
      },
      {
        actions: ["elasticfilesystem:CreateMountTarget"],
        resources: [a.arn("elasticfilesystem", recovery, "file-system/*")],
        conditions: ownedByApp,
        why: "restored file system ids are generated; the file system must carry drctl:app",
      },
      // EFS creates the mount target's network interface with the caller's permissions.
      {
        actions: ["ec2:CreateNetworkInterface"],
        resources: [
          ...config.network.subnetIds.map((id) => a.arn("ec2", recovery, `subnet/${id}`)),
          ...config.network.securityGroupIds.map((id) => a.arn("ec2", recovery, `security-group/${id}`)),
          a.arn("ec2", recovery, "network-interface/*"),
        ],
        why: "the new network interface's id is generated; subnets and security groups are the configured ones",
      },
      {
        actions: ["ssm:GetParameter", "ssm:PutParameter", "ssm:AddTagsToResource"],
        resources: [...a.appParameters, a.drillParameters],
        why: "drill parameters live under /drctl-drill/<run name>/, a name known only at run time",
      },
      { actions: ["ssm:SendCommand"], resources: [a.runShellScript] },
      {
        actions: ["ssm:SendCommand"],
        resources: [a.arn("ec2", recovery, "instance/*")],
        conditions: { StringEquals: { [`ssm:resourceTag/${TAG_APP}`]: config.app } },
        why: "DR instances are created by the stack; only those tagged drctl:app (CloudFormation stack tags)",
      },
    ],

    validateHealth: [bucket, readConfig, stackRead],

    failover: [
      bucket,
      readConfig,
      // runs/<run>/dns.json: the submitted change, so a rerun does not submit it again.
      readRuns,
      writeRuns,
      stackRead,
      {
        actions: ["route53:ChangeResourceRecordSets"],
        resources: [a.hostedZone],
        conditions: {
          "ForAllValues:StringEquals": {
            "route53:ChangeResourceRecordSetsNormalizedRecordNames": [
              normalizedRecordName(config.dns.record),
            ],
            "route53:ChangeResourceRecordSetsRecordTypes": [config.dns.type],
            "route53:ChangeResourceRecordSetsActions": ["UPSERT"],
          },
        },
      },
      { actions: ["route53:ListResourceRecordSets"], resources: [a.hostedZone] },
      {
        actions: ["route53:GetChange"],
        resources: [a.dnsChanges],
        why: "change ids are returned by ChangeResourceRecordSets at run time",
      },
    ],

    aftermath: [
      {
        actions: ["states:DescribeExecution", "states:GetExecutionHistory"],
        resources: [a.executions(ctx.stateMachineName)],
        why: "the stopped execution is named in the cleanup input; limited to this state machine's executions",
      },
      lock(["ssm:GetParameter", "ssm:DeleteParameter"]),
    ],

    writeReport: [
      bucket,
      readConfig,
      readRuns,
      writeRuns,
      history,
      lock(["ssm:GetParameter", "ssm:DeleteParameter"]),
    ],

    cleanup: [
      bucket,
      readConfig,
      readRuns,
      writeRuns,
      listRestoreJobs,
      {
        actions: [
          "rds:DescribeDBInstances",
          "rds:DescribeDBClusters",
          "ec2:DescribeInstances",
          "ec2:DescribeVolumes",
          "elasticfilesystem:DescribeFileSystems",
          "elasticfilesystem:DescribeMountTargets",
          "dynamodb:DescribeTable",
        ],
        resources: ["*"],
        conditions: inRecovery,
        why: describeWhy("RDS/EC2/EFS/DynamoDB"),
      },
      {
        actions: ["cloudformation:DescribeStacks", "cloudformation:DeleteStack"],
        resources: [a.drillStacks],
        why: "drill stacks only (<stack>-drill-<run suffix>); never the failover stack",
      },
      // DescribeTable returns no tags: cleanup reads them to recognise another run's table.
      {
        actions: ["dynamodb:ListTagsOfResource"],
        resources: [a.arn("dynamodb", recovery, "table/*")],
        why: "restored table names carry the run suffix, known only at run time; read-only, recovery region",
      },
      // A drill that failed before Integrate leaves restored resources untagged: cleanup adds the
      // run's tags (drctl:app=<app>, drctl:mode=drill), which the delete statement below requires.
      {
        actions: tagRestoredActions,
        resources: restoredResources,
        conditions: drillTagsOnly,
        why: "restored resources get generated ids; only drctl's own tags of a drill of this app, never over another app's or mode's",
      },
      {
        actions: [
          "rds:DeleteDBInstance",
          "rds:DeleteDBCluster",
          "ec2:DetachVolume",
          "ec2:DeleteVolume",
          "ec2:TerminateInstances",
          "elasticfilesystem:DeleteMountTarget",
          "elasticfilesystem:DeleteFileSystem",
          "dynamodb:DeleteTable",
        ],
        resources: restoredResources,
        conditions: ownedByDrill,
        why: "restored resource ids are generated; deletes need drctl:app=<app> and drctl:mode=drill tags",
      },
      // EFS deletes a mount target's network interface with the caller's permissions (EFS API
      // reference, DeleteMountTarget). Its id is generated and it carries no tags: only interfaces
      // in the configured DR subnets.
      {
        actions: ["ec2:DeleteNetworkInterface"],
        resources: [a.arn("ec2", recovery, "network-interface/*")],
        conditions: {
          ArnEquals: {
            "ec2:Subnet": config.network.subnetIds.map((id) => a.arn("ec2", recovery, `subnet/${id}`)),
          },
        },
        why: "mount target network interfaces get generated ids and no tags; limited to the configured DR subnets",
      },
      {
        actions: ["ssm:GetParameter", "ssm:DeleteParameter"],
        resources: [a.drillParameters],
        why: "drill parameters live under /drctl-drill/<run name>/, a name known only at run time",
      },
    ],

    notify: [
      bucket,
      readConfig,
      readRuns,
      history,
      { actions: ["sns:Publish"], resources: [ctx.topicArn] },
      // CreateOpsItem has no resource types in the Service Authorization Reference: a statement
      // naming opsitem/* never matches it. drctl creates OpsItems without tags (no AddTagsToResource).
      {
        actions: ["ssm:CreateOpsItem"],
        resources: ["*"],
        conditions: inRecovery,
        why: 'ssm:CreateOpsItem supports no resource-level permissions (IAM requires "*"); limited to the recovery region',
      },
    ],

    // End of the failure path: on a redrive, takes the lock back and (a drill that was cleaned
    // up) moves the run's progress documents aside so the recovery starts afresh.
    resume: [
      bucket,
      readRuns,
      writeRuns,
      {
        actions: ["s3:DeleteObject"],
        resources: [`${ctx.bucketArn}/runs/*`],
        why: "run documents are keyed by the run name, known only at run time; limited to the runs/ prefix",
      },
      lock(["ssm:GetParameter", "ssm:PutParameter", "ssm:AddTagsToResource", "ssm:DeleteParameter"]),
      lockHolderStatus,
    ],
  };
}
