/**
 * The scenario format's building blocks: the field validators shared by several sections and
 * the resource entry (recovery points, integration, source).
 */
import { z } from "zod";
import { RESOURCE_TYPES } from "../../functions/shared/config.js";
import { MAX_SCENARIO_MINUTES, minutes, seconds } from "./scenario-faults.js";
import { Source } from "./scenario-source.js";
import { TIMINGS } from "./world/model.js";
import { restoreProgressField, restoreSizeField } from "./world/restore-progress.js";

/** Which integrate fields each resource type accepts. */
export const INTEGRATE_FIELDS: Record<(typeof RESOURCE_TYPES)[number], readonly string[]> = {
  rds: ["ssmParameter"],
  aurora: ["ssmParameter"],
  dynamodb: ["ssmParameter"],
  efs: ["ssmParameter", "mountPath"],
  ebs: ["attachToTag", "device"],
  ec2: [],
};

export const NAME_RE = /^[a-z0-9-]{1,64}$/;
export const name = z.string().regex(NAME_RE, "allowed: [a-z0-9-]{1,64} (lowercase letters, digits, '-')");
export const region = z
  .string()
  .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, "allowed: an AWS region such as us-west-2");
export const positiveInt = z.number().int("allowed: a whole number").positive("allowed: > 0");
const tagFilter = z.string().regex(/^[^=]+=.*$/, "allowed: a tag filter KEY=VALUE");
export const fqdn = z
  .string()
  .regex(/^([a-z0-9-_*]+\.)+$/i, "allowed: a fully qualified DNS name ending in '.'");
export const prefixed = (p: string) =>
  z.string().regex(new RegExp(`^${p}[A-Za-z0-9]+$`), `allowed: an id starting with ${p}`);

/** One copy of an explicit series: its age at t=0, how long its copy takes, its tags. */
const RecoveryPointEntry = z
  .object({
    ageMinutes: minutes.describe("age at t=0: its CreationDate, the source backup's start"),
    copyMinutes: positiveInt
      .max(MAX_SCENARIO_MINUTES, `allowed: <= ${MAX_SCENARIO_MINUTES} (one year)`)
      .default(TIMINGS.copySeconds / 60)
      .describe(
        "minutes from the backup's start until the copy is COMPLETED in the recovery vault (CREATING before); more than ageMinutes: still in flight at t=0",
      ),
    tags: z
      .record(z.string(), z.string())
      .optional()
      .describe("the source's tags at this backup (default the resource's tags)"),
  })
  .strict();

const RecoveryPoints = z
  .object({
    points: z
      .array(RecoveryPointEntry)
      .min(1, "allowed: at least one copy")
      .max(1000, "allowed: <= 1000")
      .optional()
      .describe(
        "an irregular series: these copies instead of count/newestAgeMinutes (gaps, copies still in flight); later copies still follow the newest every intervalMinutes",
      ),
    count: positiveInt.max(1000, "allowed: <= 1000").default(24).describe("copies in the vault"),
    intervalMinutes: positiveInt
      .max(MAX_SCENARIO_MINUTES, `allowed: <= ${MAX_SCENARIO_MINUTES} (one year)`)
      .default(60)
      .describe("minutes between copies"),
    newestAgeMinutes: minutes
      .default(30)
      .describe("age of the newest COMPLETED copy at t=0 (the RPO you can get)"),
    sizeGiB: positiveInt.default(50),
  })
  .strict();

const Integrate = z
  .object({
    ssmParameter: z
      .string()
      .regex(/^(\/[A-Za-z0-9_.-]+)+$/, "allowed: an SSM parameter path such as /app/db/endpoint")
      .optional()
      .describe("rds | aurora | efs | dynamodb: write the endpoint / file system id / table name here"),
    attachToTag: tagFilter.optional().describe("ebs: attach to the DR stack's instance with this tag"),
    device: z
      .string()
      .regex(/^\/dev\/[a-z0-9]+$/, "allowed: a device name such as /dev/sdf")
      .optional()
      .describe("ebs: device name"),
    mountPath: z
      .string()
      .regex(/^\/[^\s]*$/, "allowed: an absolute path")
      .optional()
      .describe("efs: mount path on the DR stack's instances (SSM Run Command)"),
  })
  .strict();

export const ScenarioResource = z
  .object({
    name,
    type: z.enum(RESOURCE_TYPES),
    tags: z.record(z.string(), z.string()).default({}),
    dependsOn: z.array(name).default([]),
    recoveryPoints: RecoveryPoints.default({
      count: 24,
      intervalMinutes: 60,
      newestAgeMinutes: 30,
      sizeGiB: 50,
    }),
    restoreSeconds: seconds.default(600).describe("simulated RUNNING time of a restore job"),
    restoreProgress: restoreProgressField,
    restoreSize: restoreSizeField,
    integrate: Integrate.default({}),
    source: Source.default({}),
  })
  .strict();
export type ScenarioResource = z.infer<typeof ScenarioResource>;
