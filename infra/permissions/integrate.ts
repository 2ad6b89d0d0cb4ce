/**
 * Integrate: tagging restored resources and wiring them into the DR stack (RDS instance, volumes, mounts, parameters, Run Command).
 */
import { TAG_APP } from "../../functions/shared/types.js";
import type { FunctionKey } from "../../state-machines/names.js";
import type { Grant, SharedGrants } from "./shared.js";

export function integrateGrants(s: SharedGrants): Pick<Record<FunctionKey, Grant[]>, "integrate"> {
  const {
    config,
    a,
    recovery,
    inRecovery,
    drctlTagsOnly,
    ownedByApp,
    describeWhy,
    restoredResources,
    tagRestoredActions,
    bucket,
    readConfig,
    readRuns,
    writeRuns,
    stackRead,
  } = s;
  return {
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
  };
}
