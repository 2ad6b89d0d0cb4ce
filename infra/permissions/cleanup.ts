/**
 * Cleanup: deleting what a drill restored, only resources tagged as this app's drill.
 */
import type { FunctionKey } from "../../state-machines/names.js";
import type { Grant, SharedGrants } from "./shared.js";

export function cleanupGrants(s: SharedGrants): Pick<Record<FunctionKey, Grant[]>, "cleanup"> {
  return {
    cleanup: [
      s.bucket,
      s.readConfig,
      s.readRuns,
      s.writeRuns,
      s.listRestoreJobs,
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
        conditions: s.inRecovery,
        why: s.describeWhy("RDS/EC2/EFS/DynamoDB"),
      },
      {
        actions: ["cloudformation:DescribeStacks", "cloudformation:DeleteStack"],
        resources: [s.a.drillStacks],
        why: "drill stacks only (<stack>-drill-<run suffix>); never the failover stack",
      },
      // DescribeTable returns no tags: cleanup reads them to recognise another run's table.
      {
        actions: ["dynamodb:ListTagsOfResource"],
        resources: [s.a.arn("dynamodb", s.recovery, "table/*")],
        why: "restored table names carry the run suffix, known only at run time; read-only, recovery region",
      },
      // A drill that failed before Integrate leaves restored resources untagged: cleanup adds the
      // run's tags (drctl:app=<app>, drctl:mode=drill), which the delete statement below requires.
      {
        actions: s.tagRestoredActions,
        resources: s.restoredResources,
        conditions: s.drillTagsOnly,
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
        resources: s.restoredResources,
        conditions: s.ownedByDrill,
        why: "restored resource ids are generated; deletes need drctl:app=<app> and drctl:mode=drill tags",
      },
      // EFS deletes a mount target's network interface with the caller's permissions (EFS API
      // reference, DeleteMountTarget). Its id is generated and it carries no tags: only interfaces
      // in the configured DR subnets.
      {
        actions: ["ec2:DeleteNetworkInterface"],
        resources: [s.a.arn("ec2", s.recovery, "network-interface/*")],
        conditions: {
          ArnEquals: {
            "ec2:Subnet": s.config.network.subnetIds.map((id) => s.a.arn("ec2", s.recovery, `subnet/${id}`)),
          },
        },
        why: "mount target network interfaces get generated ids and no tags; limited to the configured DR subnets",
      },
      {
        // DeleteParameters is authorized per parameter named (its resource type is parameter).
        actions: ["ssm:GetParameter", "ssm:DeleteParameters"],
        resources: [s.a.drillParameters],
        why: "drill parameters live under /drctl-drill/<run name>/, a name known only at run time",
      },
    ],
  };
}
