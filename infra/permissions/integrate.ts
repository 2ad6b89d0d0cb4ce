/**
 * Integrate: tagging restored resources and wiring them into the DR stack (RDS instance, volumes, mounts, parameters, Run Command).
 */
import { TAG_APP } from "../../functions/shared/types.js";
import type { FunctionKey } from "../../state-machines/names.js";
import type { Grant, SharedGrants } from "./shared.js";

export function integrateGrants(s: SharedGrants): Pick<Record<FunctionKey, Grant[]>, "integrate"> {
  return {
    integrate: [
      s.bucket,
      s.readConfig,
      s.readRuns,
      s.writeRuns,
      s.stackRead,
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
        conditions: s.inRecovery,
        why: s.describeWhy("RDS/EC2/EFS/DynamoDB/SSM"),
      },
      // Tagging restored resources: only drctl's keys, only with this app's value.
      {
        actions: s.tagRestoredActions,
        resources: s.restoredResources,
        conditions: s.drctlTagsOnly,
        why: "restored resources get generated ids; the aws:TagKeys/aws:RequestTag condition allows adding drctl's own tags only",
      },
      // Aurora: a cluster restored by AWS Backup has no instance; the new one must carry the app tag.
      {
        actions: ["rds:CreateDBInstance"],
        resources: [
          s.a.arn("rds", s.recovery, "db:*"),
          s.a.arn("rds", s.recovery, `subgrp:${s.config.network.dbSubnetGroup}`),
        ],
        conditions: { StringEquals: { [`aws:RequestTag/${TAG_APP}`]: s.config.app } },
        why: "instance identifiers are derived from the run; creation requires the drctl:app tag",
      },
      {
        actions: ["rds:CreateDBInstance"],
        resources: [s.a.arn("rds", s.recovery, "cluster:*")],
        conditions: s.ownedByApp,
        why: "only into clusters this app's runs restored and tagged",
      },
      {
        actions: ["ec2:AttachVolume"],
        resources: [s.a.arn("ec2", s.recovery, "volume/*"), s.a.arn("ec2", s.recovery, "instance/*")],
        conditions: s.ownedByApp,
        why: "restored volume and DR instance ids are generated; both must carry drctl:app (stack tags / run tags)",
      },
      {
        actions: ["elasticfilesystem:CreateMountTarget"],
        resources: [s.a.arn("elasticfilesystem", s.recovery, "file-system/*")],
        conditions: s.ownedByApp,
        why: "restored file system ids are generated; the file system must carry drctl:app",
      },
      // EFS creates the mount target's network interface with the caller's permissions.
      {
        actions: ["ec2:CreateNetworkInterface"],
        resources: [
          ...s.config.network.subnetIds.map((id) => s.a.arn("ec2", s.recovery, `subnet/${id}`)),
          ...s.config.network.securityGroupIds.map((id) =>
            s.a.arn("ec2", s.recovery, `security-group/${id}`),
          ),
          s.a.arn("ec2", s.recovery, "network-interface/*"),
        ],
        why: "the new network interface's id is generated; subnets and security groups are the configured ones",
      },
      {
        actions: ["ssm:GetParameter", "ssm:PutParameter", "ssm:AddTagsToResource"],
        resources: [...s.a.appParameters, s.a.drillParameters],
        why: "drill parameters live under /drctl-drill/<run name>/, a name known only at run time",
      },
      { actions: ["ssm:SendCommand"], resources: [s.a.runShellScript] },
      {
        actions: ["ssm:SendCommand"],
        resources: [s.a.arn("ec2", s.recovery, "instance/*")],
        conditions: { StringEquals: { [`ssm:resourceTag/${TAG_APP}`]: s.config.app } },
        why: "DR instances are created by the stack; only those tagged drctl:app (CloudFormation stack tags)",
      },
    ],
  };
}
