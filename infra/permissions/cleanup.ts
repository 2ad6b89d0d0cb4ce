/**
 * Cleanup: deleting what a drill restored, only resources tagged as this app's drill.
 */
import type { FunctionKey } from "../../state-machines/names.js";
import type { Grant, SharedGrants } from "./shared.js";

export function cleanupGrants(s: SharedGrants): Pick<Record<FunctionKey, Grant[]>, "cleanup"> {
  const {
    config,
    a,
    recovery,
    inRecovery,
    drillTagsOnly,
    ownedByDrill,
    describeWhy,
    restoredResources,
    tagRestoredActions,
    bucket,
    readConfig,
    readRuns,
    writeRuns,
    listRestoreJobs,
  } = s;
  return {
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
  };
}
