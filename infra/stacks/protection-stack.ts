/**
 * The protection side of backup-and-restore DR:
 * - DrVaultStack (RECOVERY region): the vault holding the cross-region copies drctl restores from
 *   (config.vault), under a customer managed key, with recovery-point deletion blocked.
 * - ProtectionStack (PRIMARY region): a vault and an hourly backup plan whose copy action sends
 *   every recovery point to the DR vault; selection = the configured resources' ARNs and anything
 *   tagged backup=true.
 *
 * DynamoDB cross-region copies need AWS Backup's advanced DynamoDB features enabled in the account
 * (Backup settings), otherwise the copy job fails.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from "aws-cdk-lib";
import * as backup from "aws-cdk-lib/aws-backup";
import * as events from "aws-cdk-lib/aws-events";
import * as kms from "aws-cdk-lib/aws-kms";
import { NagSuppressions } from "cdk-nag";
import type { Construct } from "constructs";
import type { AppConfig } from "../../functions/shared/config.js";
import { arns } from "../permissions.js";

/** Tag that puts a primary resource under the backup plan. */
export const BACKUP_TAG = { key: "backup", value: "true" } as const;

export interface VaultStackProps extends StackProps {
  readonly config: AppConfig;
}

export class DrVaultStack extends Stack {
  readonly vault: backup.BackupVault;

  constructor(scope: Construct, id: string, props: VaultStackProps) {
    super(scope, id, props);
    const { config } = props;
    const key = new kms.Key(this, "VaultKey", {
      description: `drctl ${config.app}: DR backup vault ${config.vault}`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.vault = new backup.BackupVault(this, "Vault", {
      backupVaultName: config.vault,
      encryptionKey: key,
      // The copies are the only way back after a regional disaster: nobody deletes them by hand;
      // AWS Backup lifecycle (the plan's copy action deleteAfter) still expires them.
      blockRecoveryPointDeletion: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    new CfnOutput(this, "VaultArn", { value: this.vault.backupVaultArn });
  }
}

export interface ProtectionStackProps extends StackProps {
  readonly config: AppConfig;
  /** How long recovery points are kept, in both regions. Default 35 days. */
  readonly retention?: Duration | undefined;
}

export class ProtectionStack extends Stack {
  readonly plan: backup.BackupPlan;

  constructor(scope: Construct, id: string, props: ProtectionStackProps) {
    super(scope, id, props);
    const { config } = props;
    const retention = props.retention ?? Duration.days(35);
    const key = new kms.Key(this, "VaultKey", {
      description: `drctl ${config.app}: primary backup vault`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const vault = new backup.BackupVault(this, "Vault", {
      backupVaultName: `drctl-${config.app}-primary`,
      encryptionKey: key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // The DR vault's ARN is literal (account, region and name come from the config): no
    // cross-region reference, only a deployment-order dependency on DrVaultStack.
    const drVault = backup.BackupVault.fromBackupVaultArn(this, "DrVault", arns(config).vault);

    this.plan = new backup.BackupPlan(this, "Plan", {
      backupPlanName: `drctl-${config.app}`,
      backupVault: vault,
    });
    this.plan.addRule(
      new backup.BackupPlanRule({
        ruleName: "hourly-with-dr-copy",
        scheduleExpression: events.Schedule.cron({ minute: "0" }),
        startWindow: Duration.hours(1),
        completionWindow: Duration.hours(3),
        deleteAfter: retention,
        recoveryPointTags: { "drctl:app": config.app },
        copyActions: [{ destinationBackupVault: drVault, deleteAfter: retention }],
      }),
    );
    const selection = this.plan.addSelection("Selection", {
      backupSelectionName: `drctl-${config.app}`,
      resources: [
        backup.BackupResource.fromTag(BACKUP_TAG.key, BACKUP_TAG.value),
        ...config.resources.map((r) => backup.BackupResource.fromArn(r.sourceArn)),
      ],
      allowRestores: false,
    });
    NagSuppressions.addResourceSuppressions(
      selection,
      [
        {
          id: "AwsSolutions-IAM4",
          reason:
            "AWSBackupServiceRolePolicyForBackup is the AWS-maintained policy AWS Backup needs to back up and " +
            "copy every supported resource type.",
          appliesTo: [
            "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
          ],
        },
      ],
      true,
    );
    new CfnOutput(this, "BackupPlanId", { value: this.plan.backupPlanId });
  }
}
