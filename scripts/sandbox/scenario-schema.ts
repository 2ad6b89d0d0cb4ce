/**
 * The scenario schema: one zod object, the single source for validation, the defaults, the
 * TypeScript types and scenarios/scenario.schema.json. Unknown fields are errors everywhere.
 */
import { z } from "zod";
import { MODES } from "../../functions/shared/types.js";
import { TASK_FUNCTIONS } from "../../state-machines/names.js";
import { ScenarioApproval, ScenarioTrigger } from "./scenario-approval.js";
import { checkScenario } from "./scenario-checks.js";
import { Fault, seconds } from "./scenario-faults.js";
import { fqdn, name, positiveInt, prefixed, region, ScenarioResource } from "./scenario-fields.js";
import { groupName, KMS_KEY_ID } from "./scenario-source.js";

/** A CloudWatch metric alarm of the primary region (PutMetricAlarm's AlarmName rules). */
const ScenarioAlarm = z
  .object({
    name: z
      .string()
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the rule is "no ASCII control characters"
      .regex(/^[^\x00-\x1f\x7f]{1,255}$/, "allowed: 1-255 characters, no ASCII control characters")
      .describe("its AlarmName, unique in the scenario"),
    state: z.enum(["OK", "ALARM", "INSUFFICIENT_DATA"]).describe("its StateValue from t=0 on"),
    reason: z
      .string()
      .max(1023, "allowed: <= 1023 characters")
      .optional()
      .describe('its StateReason (default "Set by the scenario: <state>")'),
  })
  .strict();

/** Virtual-clock start when a scenario gives none. */
export const DEFAULT_START = "2026-03-01T09:00:00Z";
export const DEFAULT_ACCOUNT = "111122223333";

/** States that can fail (Task states), for expect.failedStep. */
const STATE_NAMES = Object.keys(TASK_FUNCTIONS) as [string, ...string[]];

const ScenarioObject = z
  .object({
    name,
    description: z.string().optional(),
    mode: z.enum(MODES).default("drill"),
    trigger: ScenarioTrigger,
    approval: ScenarioApproval.optional(),
    selection: z
      .object({
        tags: z
          .record(z.string(), z.string())
          .describe("tag key → value; a resource is selected when its newest copy carries them all"),
      })
      .strict()
      .optional()
      .describe(
        "drctl's config selects resources by these tags (its `selection`): resources whose tags include them all are left out of its resource list and found by their copies' tags; the others are listed by name",
      ),
    start: z.iso
      .datetime({ offset: true, message: "allowed: an ISO-8601 date-time such as 2026-03-01T09:00:00Z" })
      .default(DEFAULT_START)
      .describe("virtual clock at t=0"),
    regions: z.object({ primary: region, recovery: region }).strict(),
    account: z
      .string()
      .regex(/^\d{12}$/, "allowed: a 12-digit account id")
      .default(DEFAULT_ACCOUNT),
    objectives: z.object({ rtoMinutes: positiveInt, rpoMinutes: positiveInt }).strict(),
    vault: z.string().regex(/^[A-Za-z0-9_.-]{2,50}$/, "allowed: a backup vault name (2-50 of A-Za-z0-9_.-)"),
    app: z
      .object({
        stackName: z
          .string()
          .regex(
            /^[A-Za-z][A-Za-z0-9-]{0,100}$/,
            "allowed: a CloudFormation stack name ([A-Za-z][A-Za-z0-9-]*)",
          ),
        deploySeconds: seconds.default(300),
        healthyAfterSeconds: seconds.default(60),
        ssmRegistrationSeconds: seconds
          .default(120)
          .describe(
            "an instance becomes a Systems Manager managed instance (Run Command) this long after it is running",
          ),
      })
      .strict(),
    network: z
      .object({
        vpcId: prefixed("vpc-"),
        subnetIds: z
          .array(prefixed("subnet-"))
          .min(1, "allowed: at least one subnet")
          .max(6, "allowed: <= 6"),
        securityGroupIds: z.array(prefixed("sg-")).min(1, "allowed: at least one security group"),
        dbSubnetGroup: z.string().min(1, "allowed: a DB subnet group name"),
        keyPairs: z
          .array(z.string().min(1))
          .default([])
          .describe("EC2 key pairs that exist in the recovery region (none by default)"),
        dbParameterGroups: z
          .array(groupName)
          .default([])
          .describe("DB parameter groups in the recovery region besides the engines' default.* groups"),
        dbClusterParameterGroups: z
          .array(groupName)
          .default([])
          .describe("DB cluster parameter groups in the recovery region besides the default.* groups"),
        optionGroups: z
          .array(groupName)
          .default([])
          .describe("option groups in the recovery region besides the engines' default:* groups"),
        kmsKeys: z
          .array(KMS_KEY_ID)
          .default([])
          .describe(
            "customer managed KMS keys in the recovery region (the AWS managed aws/* keys always exist)",
          ),
      })
      .strict(),
    dns: z
      .object({
        hostedZone: fqdn,
        record: fqdn,
        primaryTarget: z.string().min(1, "allowed: a DNS name"),
        propagationSeconds: seconds.default(60),
      })
      .strict(),
    iamRoles: z
      .array(
        z
          .string()
          .regex(/^([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/, "allowed: an IAM role name, optionally path/name"),
      )
      .default([])
      .describe(
        "IAM roles in the account besides drctl-restore and service-role/AWSBackupDefaultServiceRole (a restore job whose IamRoleArn names another role fails)",
      ),
    primary: z
      .object({
        healthy: z.boolean().default(true),
        alarms: z
          .array(ScenarioAlarm)
          .default([])
          .refine((alarms) => new Set(alarms.map((a) => a.name)).size === alarms.length, {
            message: "allowed: unique alarm names",
          })
          .describe(
            "CloudWatch metric alarms in the primary region; the config's detect.alarmNames name them",
          ),
      })
      .strict()
      .default({ healthy: true, alarms: [] }),
    resources: z.array(ScenarioResource).min(1, "allowed: at least one resource"),
    faults: z.array(Fault).default([]),
    expect: z
      .object({
        outcome: z.enum(["SUCCEEDED", "FAILED"]).optional(),
        failedStep: z.enum(STATE_NAMES).nullable().optional(),
        dnsChanged: z.boolean().optional(),
        leftovers: z.number().int().min(0, "allowed: >= 0").optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
/** A scenario's fields as parsed, before the rules that span fields (scenario-checks.ts). */
export type ScenarioFields = z.infer<typeof ScenarioObject>;

export const Scenario = ScenarioObject.superRefine(checkScenario);
export type Scenario = z.infer<typeof Scenario>;
export type ScenarioInput = z.input<typeof Scenario>;
