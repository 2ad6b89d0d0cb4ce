/**
 * The application's DR configuration: one typed, validated document. The CDK app validates it at
 * synth time and uploads it to the artifacts bucket as `config/<app>.json`; every step loads it
 * from there (see loadConfig in ./artifacts.ts). The sandbox derives one from a scenario.
 */
import * as z from "zod";

export const RESOURCE_TYPES = ["rds", "aurora", "ebs", "ec2", "efs", "dynamodb"] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

const name = z.string().regex(/^[a-z0-9-]{1,64}$/, "lowercase letters, digits and '-', 1-64 characters");
const region = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, "an AWS region such as us-west-2");
const arn = z.string().startsWith("arn:", "an ARN");
const IAM_ROLE_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const tagFilter = z.string().regex(/^[^=]+=.*$/, "a tag filter KEY=VALUE");

export const Integration = z
  .object({
    /**
     * rds | aurora | efs | dynamodb: write the endpoint / file system id / table name here. At most
     * 800 characters and 13 levels, so that a drill's copy under /drctl-drill/<run name> stays
     * within SSM's 1,011 characters (with the ARN) and 15 levels.
     */
    ssmParameter: z
      .string()
      .startsWith("/")
      .max(800)
      .refine((p) => p.split("/").length - 1 <= 13, "at most 13 levels (a drill adds 2 of SSM's 15)")
      .optional(),
    /** ebs: attach the restored volume to the DR stack's instance carrying this tag (KEY=VALUE). */
    attachToTag: tagFilter.optional(),
    /** ebs: device name for AttachVolume. */
    device: z.string().optional(),
    /** efs: mount path on the DR stack's instances (via SSM Run Command). */
    mountPath: z.string().startsWith("/").optional(),
    /** efs: only instances with this tag (KEY=VALUE); default: every instance of the DR stack. */
    mountOnTag: tagFilter.optional(),
  })
  .strict();
export type Integration = z.infer<typeof Integration>;

const nameMap = z.record(z.string().min(1), z.string().min(1));

/**
 * Primary-region names → recovery-region names, for what restore metadata names per region: DB
 * parameter/option groups, EC2 key pairs, KMS keys (ids or ARNs, also inside BlockDeviceMappings).
 * A name the map does not hold is dropped from the metadata, so the restore uses the recovery
 * region's default (the engine's default.* parameter group and default:* option group, no key pair,
 * the AWS managed key). A resource's own `restoreMetadata` still wins over both.
 */
export const RegionalNames = z
  .object({
    dbParameterGroups: nameMap.default({}),
    dbClusterParameterGroups: nameMap.default({}),
    optionGroups: nameMap.default({}),
    keyPairs: nameMap.default({}),
    kmsKeys: nameMap.default({}),
  })
  .strict();
export type RegionalNames = z.infer<typeof RegionalNames>;

export const ResourceConfig = z
  .object({
    name,
    type: z.enum(RESOURCE_TYPES),
    /** ARN of the protected resource in the primary region (recovery points carry it). */
    sourceArn: arn,
    dependsOn: z.array(name).default([]),
    integrate: Integration.default({}),
    /** Extra restore metadata that wins over the recovery point's own and over regionalNames. */
    restoreMetadata: z.record(z.string(), z.string()).default({}),
  })
  .strict();
export type ResourceConfig = z.infer<typeof ResourceConfig>;

/** Longest approval window: the approval wait plus the recovery must fit the 48-hour execution limit. */
export const MAX_APPROVAL_MINUTES = 720;

/**
 * Failovers started by an alarm or an AWS Health event wait for a person before they create
 * anything: "wait" until someone approves (ApprovalTimedOut after windowMinutes), "proceed-after"
 * goes on when windowMinutes pass without a rejection. Manual failovers and drills never wait.
 */
export const ApprovalConfig = z
  .object({
    mode: z.enum(["wait", "proceed-after"]).default("wait"),
    windowMinutes: z.number().int().min(1).max(MAX_APPROVAL_MINUTES).default(60),
  })
  .strict();
export type ApprovalConfig = z.infer<typeof ApprovalConfig>;

export const AppConfig = z
  .object({
    app: name,
    regions: z.object({ primary: region, recovery: region }).strict(),
    account: z.string().regex(/^\d{12}$/, "a 12-digit account id"),
    vault: z.string().min(2),
    objectives: z
      .object({ rtoMinutes: z.number().int().positive(), rpoMinutes: z.number().int().positive() })
      .strict(),
    /** How many times a FAILED restore job is started again before RestoreFailed. */
    maxRestoreAttempts: z.number().int().min(1).max(5).default(2),
    stack: z
      .object({
        name: z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,100}$/, "a CloudFormation stack name"),
        templateUrl: z.string().url(),
        /**
         * CloudFormation service role for the DR stack (required): CreateStack passes it as
         * RoleARN and every later operation on the stack (rollback, DeleteStack) uses it. Without
         * it CloudFormation would act with the caller's credentials, so the step functions' own
         * roles would need permission to create everything the template declares.
         */
        roleArn: z
          .string({
            error: (issue) =>
              issue.input === undefined
                ? "required: the CloudFormation service role that creates and deletes the DR stack's resources " +
                  "(without it the step functions' own roles would have to create everything the template declares)"
                : "an IAM role ARN",
          })
          .regex(IAM_ROLE_ARN, "an IAM role ARN"),
        parameters: z.record(z.string(), z.string()).default({}),
        /** Stack output holding the DR load balancer's DNS name (Route 53 target). */
        loadBalancerOutput: z.string().default("LoadBalancerDnsName"),
        /** Stack output holding the load balancer's canonical hosted zone id (alias records). */
        loadBalancerZoneOutput: z.string().optional(),
        /** Stack output holding the health URL validateHealth probes. */
        healthUrlOutput: z.string().default("HealthUrl"),
      })
      .strict(),
    network: z
      .object({
        vpcId: z.string().startsWith("vpc-"),
        subnetIds: z.array(z.string().startsWith("subnet-")).min(1),
        securityGroupIds: z.array(z.string().startsWith("sg-")).min(1),
        dbSubnetGroup: z.string().min(1),
      })
      .strict(),
    dns: z
      .object({
        hostedZoneId: z.string().min(1),
        record: z.string().endsWith(".", "a fully qualified name ending in '.'"),
        type: z.enum(["CNAME", "A"]).default("CNAME"),
        ttl: z.number().int().min(0).default(60),
      })
      .strict(),
    detect: z
      .object({
        /** CloudWatch alarms in the primary region: ALARM means the primary is failing. */
        alarmNames: z.array(z.string()).default([]),
        /** Primary health URL: anything but 2xx (or no answer) means the primary is failing. */
        primaryHealthUrl: z.string().url().optional(),
        /** Primary instances (by tag KEY=VALUE) whose EC2 status checks must pass. */
        primaryInstanceTag: tagFilter.optional(),
      })
      .strict()
      .default({ alarmNames: [] }),
    regionalNames: RegionalNames.default({
      dbParameterGroups: {},
      dbClusterParameterGroups: {},
      optionGroups: {},
      keyPairs: {},
      kmsKeys: {},
    }),
    /**
     * Resources to recover: an explicit list, and/or every resource whose newest copy in the vault
     * carries these tags (the source's tags at backup time, which AWS Backup copies onto the copy).
     */
    resources: z.array(ResourceConfig).default([]),
    selection: z
      .object({ tags: z.record(z.string(), z.string()) })
      .strict()
      .optional(),
    approval: ApprovalConfig.default({ mode: "wait", windowMinutes: 60 }),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const names = new Set(cfg.resources.map((r) => r.name));
    if (names.size !== cfg.resources.length) {
      ctx.addIssue({ code: "custom", path: ["resources"], message: "resource names must be unique" });
    }
    cfg.resources.forEach((r, i) => {
      for (const dep of r.dependsOn) {
        if (!names.has(dep)) {
          ctx.addIssue({
            code: "custom",
            path: ["resources", i, "dependsOn"],
            message: `unknown resource '${dep}'; known: ${[...names].join(", ")}`,
          });
        }
      }
    });
    const roleAccount = cfg.stack.roleArn.split(":")[4];
    if (roleAccount !== undefined && roleAccount !== cfg.account) {
      ctx.addIssue({
        code: "custom",
        path: ["stack", "roleArn"],
        message: `the stack role must be in account ${cfg.account} (CloudFormation cannot be passed another account's role)`,
      });
    }
    if (cfg.resources.length === 0 && !cfg.selection) {
      ctx.addIssue({ code: "custom", path: ["resources"], message: "list resources or give a selection" });
    }
  });
export type AppConfig = z.infer<typeof AppConfig>;
export type AppConfigInput = z.input<typeof AppConfig>;

/** S3 key of an app's configuration inside the artifacts bucket. */
export const configKey = (app: string): string => `config/${app}.json`;

/** Formats zod issues as "path: message (got VALUE)" lines, naming the field and the bad value. */
export function describeIssues(error: z.ZodError, input?: unknown): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.join(".") || "(root)";
      const got = input === undefined ? undefined : valueAt(input, issue.path);
      return `${path}: ${issue.message}${shownValue(got)}`;
    })
    .join("; ");
}

/** ` (got <value>)` for a scalar, shortened; an object or array is named, never repeated. */
function shownValue(got: unknown): string {
  if (got === undefined) return "";
  if (got !== null && typeof got === "object")
    return ` (got ${Array.isArray(got) ? "an array" : "an object"})`;
  const text = JSON.stringify(got) ?? String(got);
  return ` (got ${text.length > 80 ? `${text.slice(0, 77)}...` : text})`;
}

/** The value at a zod issue path inside the raw input (undefined where the path leaves it). */
export function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let cur: unknown = input;
  for (const key of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}
