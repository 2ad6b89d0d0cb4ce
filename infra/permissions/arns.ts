/**
 * ARNs of the app's resources and the names IAM conditions compare, all derived from the config.
 */
import type { AppConfig } from "../../functions/shared/config.js";
import { TAG_APP, TAG_EXECUTION, TAG_MODE } from "../../functions/shared/types.js";

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
