/**
 * The run's bookkeeping: input and lock, detection, DNS failover, reports, notifications, aftermath and resume.
 */
import type { FunctionKey } from "../../state-machines/names.js";
import { normalizedRecordName } from "./arns.js";
import type { Grant, SharedGrants } from "./shared.js";

export function runGrants(
  s: SharedGrants,
): Pick<
  Record<FunctionKey, Grant[]>,
  "validateInput" | "detect" | "failover" | "aftermath" | "writeReport" | "notify" | "resume"
> {
  return {
    validateInput: [
      s.bucket,
      s.readConfig,
      s.lock(["ssm:GetParameter", "ssm:PutParameter", "ssm:AddTagsToResource", "ssm:DeleteParameter"]),
      s.lockHolderStatus,
    ],
    detect: [
      s.bucket,
      s.readConfig,
      {
        actions: ["ec2:DescribeInstances", "ec2:DescribeInstanceStatus"],
        resources: ["*"],
        conditions: s.inPrimary,
        why: 'EC2 describe calls support no resource-level permissions (IAM requires "*"); limited to the primary region',
      },
      // Detect asks for metric AND composite alarms; DescribeAlarms returns composite alarms only
      // with the permission on "*" (DescribeAlarms API reference).
      ...(s.a.alarms.length > 0
        ? [
            {
              actions: ["cloudwatch:DescribeAlarms"],
              resources: ["*"],
              conditions: s.inPrimary,
              why: 'DescribeAlarms returns composite alarms only when allowed on "*" (CloudWatch API reference); limited to the primary region',
            },
          ]
        : []),
    ],
    failover: [
      s.bucket,
      s.readConfig,
      // runs/<run>/dns.json: the submitted change, so a rerun does not submit it again.
      s.readRuns,
      s.writeRuns,
      s.stackRead,
      {
        actions: ["route53:ChangeResourceRecordSets"],
        resources: [s.a.hostedZone],
        conditions: {
          "ForAllValues:StringEquals": {
            "route53:ChangeResourceRecordSetsNormalizedRecordNames": [
              normalizedRecordName(s.config.dns.record),
            ],
            "route53:ChangeResourceRecordSetsRecordTypes": [s.config.dns.type],
            "route53:ChangeResourceRecordSetsActions": ["UPSERT"],
          },
        },
      },
      { actions: ["route53:ListResourceRecordSets"], resources: [s.a.hostedZone] },
      {
        actions: ["route53:GetChange"],
        resources: [s.a.dnsChanges],
        why: "change ids are returned by ChangeResourceRecordSets at run time",
      },
    ],
    aftermath: [
      {
        actions: ["states:DescribeExecution", "states:GetExecutionHistory"],
        resources: [s.a.executions(s.ctx.stateMachineName)],
        why: "the stopped execution is named in the cleanup input; limited to this state machine's executions",
      },
      s.lock(["ssm:GetParameter", "ssm:DeleteParameter"]),
    ],
    writeReport: [
      s.bucket,
      s.readConfig,
      s.readRuns,
      s.writeRuns,
      s.history,
      s.lock(["ssm:GetParameter", "ssm:DeleteParameter"]),
    ],
    notify: [
      s.bucket,
      s.readConfig,
      s.readRuns,
      s.history,
      { actions: ["sns:Publish"], resources: [s.ctx.topicArn] },
      // CreateOpsItem has no resource types in the Service Authorization Reference: a statement
      // naming opsitem/* never matches it. drctl creates OpsItems without tags (no AddTagsToResource).
      {
        actions: ["ssm:CreateOpsItem"],
        resources: ["*"],
        conditions: s.inRecovery,
        why: 'ssm:CreateOpsItem supports no resource-level permissions (IAM requires "*"); limited to the recovery region',
      },
    ],

    // End of the failure path: on a redrive, takes the lock back and (a drill that was cleaned
    resume: [
      s.bucket,
      s.readRuns,
      s.writeRuns,
      {
        actions: ["s3:DeleteObject"],
        resources: [`${s.ctx.bucketArn}/runs/*`],
        why: "run documents are keyed by the run name, known only at run time; limited to the runs/ prefix",
      },
      s.lock(["ssm:GetParameter", "ssm:PutParameter", "ssm:AddTagsToResource", "ssm:DeleteParameter"]),
      s.lockHolderStatus,
    ],
  };
}
