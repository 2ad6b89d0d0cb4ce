/**
 * Choosing recovery points and running AWS Backup restore jobs.
 */
import type { FunctionKey } from "../../state-machines/names.js";
import type { Grant, SharedGrants } from "./shared.js";

export function restoreGrants(
  s: SharedGrants,
): Pick<Record<FunctionKey, Grant[]>, "planRestores" | "startRestores" | "pollRestores"> {
  return {
    planRestores: [
      s.bucket,
      s.readConfig,
      s.writeRuns,
      { actions: ["backup:ListRecoveryPointsByBackupVault"], resources: [s.a.vault] },
      {
        actions: ["backup:GetRecoveryPointRestoreMetadata"],
        resources: [s.a.vault, ...s.a.recoveryPoints],
        why: "recovery points are listed at run time; limited to this account's recovery-region points",
      },
      // Tag selection reads each copy's tags from the service that owns it (aws/copy-tags.ts).
      {
        actions: ["backup:ListTags"],
        resources: [s.a.arn("backup", s.recovery, "recovery-point:*")],
        why: "recovery points are listed at run time; AWS Backup-managed points of this account and region",
      },
      {
        actions: ["rds:ListTagsForResource"],
        resources: [
          s.a.arn("rds", s.recovery, "snapshot:awsbackup:*"),
          s.a.arn("rds", s.recovery, "cluster-snapshot:awsbackup:*"),
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
        conditions: s.inRecovery,
        why: s.describeWhy("EC2"),
      },
    ],
    startRestores: [s.bucket, s.readConfig, s.readRuns, s.writeRuns, ...s.startRestore, s.listRestoreJobs],
    // Restarts FAILED jobs (maxRestoreAttempts), hence StartRestoreJob and PassRole as well.
    pollRestores: [s.bucket, s.readConfig, s.readRuns, s.writeRuns, ...s.startRestore, s.listRestoreJobs],
  };
}
