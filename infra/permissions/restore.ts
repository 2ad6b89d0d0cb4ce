/**
 * Choosing recovery points and running AWS Backup restore jobs.
 */
import type { FunctionKey } from "../../state-machines/names.js";
import type { Grant, SharedGrants } from "./shared.js";

export function restoreGrants(
  s: SharedGrants,
): Pick<Record<FunctionKey, Grant[]>, "planRestores" | "startRestores" | "pollRestores"> {
  const {
    a,
    recovery,
    inRecovery,
    describeWhy,
    bucket,
    readConfig,
    readRuns,
    writeRuns,
    listRestoreJobs,
    startRestore,
  } = s;
  return {
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
  };
}
