/**
 * What several steps' grants share: the request conditions (region, drctl's tags), the artifacts
 * bucket's objects, the lock, the stacks, the restore jobs and the executions.
 */
import type { AppConfig } from "../../functions/shared/config.js";
import { TAG_APP, TAG_MODE } from "../../functions/shared/types.js";
import { arns, DRCTL_TAG_KEYS } from "./arns.js";

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

/** The grants and conditions the step groups (permissions/*.ts) compose. */
export type SharedGrants = ReturnType<typeof sharedGrants>;

export function sharedGrants(ctx: GrantContext) {
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

  // Whether the lock's holder still runs (a stale lock is taken over).
  const lockHolderStatus = {
    actions: ["states:DescribeExecution"],
    resources: [a.executions(ctx.stateMachineName)],
    why: "execution names are generated per run; limited to this state machine's executions",
  };

  return {
    ctx,
    config,
    a,
    recovery,
    inRecovery,
    inPrimary,
    drctlTagsOnly,
    drillTagsOnly,
    ownedByApp,
    ownedByDrill,
    describeWhy,
    restoredResources,
    tagRestoredActions,
    stackWhy,
    bucket,
    readConfig,
    readRuns,
    writeRuns,
    lock,
    stackRead,
    listRestoreJobs,
    startRestore,
    history,
    lockHolderStatus,
  };
}
