/**
 * The scenario format (docs/scenario-format.md): one zod schema, the single source for
 * validation (loadScenario), the defaults, the TypeScript types and scenarios/scenario.schema.json
 * (scripts/gen-scenario-schema.ts). Unknown fields are errors everywhere.
 */
import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { RESOURCE_TYPES, valueAt } from "../../functions/shared/config.js";
import { MODES } from "../../functions/shared/types.js";
import { TASK_FUNCTIONS } from "../../state-machines/names.js";
import { ScenarioApproval, ScenarioTrigger } from "./scenario-approval.js";
import {
  FAULT_KINDS,
  FAULT_SHAPES,
  Fault,
  faultService,
  MAX_SCENARIO_MINUTES,
  minutes,
  seconds,
  unknownFaultOperations,
} from "./scenario-faults.js";
import { groupName, KMS_KEY_ID, SOURCE_FIELDS, Source } from "./scenario-source.js";
import { SERVICES } from "./types.js";
import { restoreProgressField, restoreSizeField } from "./world/restore-progress.js";

export {
  CallFault,
  Fault,
  RESTORE_FAULT_STATUSES,
  RecoveryPointsFault,
  RestoreSlowFault,
  RestoreStatusFault,
  STACK_FAULT_STATUSES,
  StackFault,
} from "./scenario-faults.js";

/** Virtual-clock start when a scenario gives none. */
export const DEFAULT_START = "2026-03-01T09:00:00Z";
export const DEFAULT_ACCOUNT = "111122223333";

/** Which integrate fields each resource type accepts. */
export const INTEGRATE_FIELDS: Record<(typeof RESOURCE_TYPES)[number], readonly string[]> = {
  rds: ["ssmParameter"],
  aurora: ["ssmParameter"],
  dynamodb: ["ssmParameter"],
  efs: ["ssmParameter", "mountPath"],
  ebs: ["attachToTag", "device"],
  ec2: [],
};

const NAME_RE = /^[a-z0-9-]{1,64}$/;
const name = z.string().regex(NAME_RE, "allowed: [a-z0-9-]{1,64} (lowercase letters, digits, '-')");
const region = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, "allowed: an AWS region such as us-west-2");
const positiveInt = z.number().int("allowed: a whole number").positive("allowed: > 0");
const tagFilter = z.string().regex(/^[^=]+=.*$/, "allowed: a tag filter KEY=VALUE");
const fqdn = z.string().regex(/^([a-z0-9-_*]+\.)+$/i, "allowed: a fully qualified DNS name ending in '.'");
const prefixed = (p: string) =>
  z.string().regex(new RegExp(`^${p}[A-Za-z0-9]+$`), `allowed: an id starting with ${p}`);

const RecoveryPoints = z
  .object({
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

/** States that can fail (Task states), for expect.failedStep. */
const STATE_NAMES = Object.keys(TASK_FUNCTIONS) as [string, ...string[]];

export const Scenario = z
  .object({
    name,
    description: z.string().optional(),
    mode: z.enum(MODES).default("drill"),
    trigger: ScenarioTrigger,
    approval: ScenarioApproval.optional(),
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
      .object({ healthy: z.boolean().default(true) })
      .strict()
      .default({ healthy: true }),
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
  .strict()
  .superRefine((s, ctx) => {
    const names = s.resources.map((r) => r.name);
    const known = new Set(names);
    const allowedNames = names.join(" | ");
    if (s.regions.primary === s.regions.recovery) {
      ctx.addIssue({
        code: "custom",
        path: ["regions", "recovery"],
        message: "allowed: a region other than primary",
      });
    }
    if (!s.dns.record.toLowerCase().endsWith(s.dns.hostedZone.toLowerCase())) {
      ctx.addIssue({
        code: "custom",
        path: ["dns", "record"],
        message: `allowed: a name inside ${s.dns.hostedZone}`,
      });
    }
    const seen = new Set<string>();
    s.resources.forEach((r, i) => {
      if (seen.has(r.name)) {
        ctx.addIssue({
          code: "custom",
          path: ["resources", i, "name"],
          message: "allowed: a name not used by another resource",
        });
      }
      seen.add(r.name);
      r.dependsOn.forEach((dep, j) => {
        if (!known.has(dep) || dep === r.name) {
          ctx.addIssue({
            code: "custom",
            path: ["resources", i, "dependsOn", j],
            message: `allowed: ${names.filter((n) => n !== r.name).join(" | ") || "(no other resources)"}`,
          });
        }
      });
      const allowed = INTEGRATE_FIELDS[r.type];
      for (const key of Object.keys(r.integrate)) {
        if (!allowed.includes(key)) {
          ctx.addIssue({
            code: "custom",
            path: ["resources", i, "integrate", key],
            message: `not allowed for type ${r.type}; allowed: ${allowed.join(" | ") || "(none)"}`,
          });
        }
      }
      const sourceAllowed = SOURCE_FIELDS[r.type];
      for (const key of Object.keys(r.source)) {
        if (!sourceAllowed.includes(key)) {
          ctx.addIssue({
            code: "custom",
            path: ["resources", i, "source", key],
            message: `not allowed for type ${r.type}; allowed: ${sourceAllowed.join(" | ")}`,
          });
        }
      }
      if (
        r.type === "ebs" &&
        (r.integrate.attachToTag === undefined) !== (r.integrate.device === undefined)
      ) {
        const missing = r.integrate.attachToTag === undefined ? "attachToTag" : "device";
        ctx.addIssue({
          code: "custom",
          path: ["resources", i, "integrate", missing],
          message: "required: ebs integration needs both attachToTag and device",
        });
      }
    });
    const cycle = findCycle(s.resources);
    if (cycle) {
      const at = s.resources.findIndex((r) => r.name === cycle[0]);
      ctx.addIssue({
        code: "custom",
        path: ["resources", at, "dependsOn"],
        message: `allowed: no dependsOn cycles (found ${cycle.join(" -> ")})`,
      });
    }
    s.faults.forEach((f, i) => {
      const ref = (key: string, value: string) => {
        if (!known.has(value)) {
          ctx.addIssue({ code: "custom", path: ["faults", i, key], message: `allowed: ${allowedNames}` });
        }
      };
      if ("call" in f) {
        const service = f.call.split(":")[0] ?? "";
        if (f.call.includes(":") && !faultService(f.call)) {
          ctx.addIssue({
            code: "custom",
            path: ["faults", i, "call"],
            message: `unknown service "${service}"; allowed services: ${SERVICES.join(" | ")}`,
          });
        }
        if (f.resource !== undefined) ref("resource", f.resource);
      } else if ("restore" in f) {
        ref("restore", f.restore);
      } else if ("recoveryPoints" in f) {
        ref("recoveryPoints", f.recoveryPoints);
      } else if (f.stack !== s.app.stackName) {
        ctx.addIssue({
          code: "custom",
          path: ["faults", i, "stack"],
          message: `allowed: ${s.app.stackName}`,
        });
      }
    });
  });

export type Scenario = z.infer<typeof Scenario>;
export type ScenarioInput = z.input<typeof Scenario>;

function findCycle(resources: { name: string; dependsOn: string[] }[]): string[] | undefined {
  const deps = new Map(resources.map((r) => [r.name, r.dependsOn]));
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (n: string): string[] | undefined => {
    if (state.get(n) === "done") return undefined;
    if (state.get(n) === "visiting") return [...stack.slice(stack.indexOf(n)), n];
    state.set(n, "visiting");
    stack.push(n);
    for (const d of deps.get(n) ?? []) {
      if (d === n || !deps.has(d)) continue;
      const c = visit(d);
      if (c) return c;
    }
    stack.pop();
    state.set(n, "done");
    return undefined;
  };
  for (const r of resources) {
    const c = visit(r.name);
    if (c) return c;
  }
  return undefined;
}

/** A scenario that does not follow the format: the message names each bad field, value and what is allowed. */
export class ScenarioError extends Error {
  override readonly name = "ScenarioError";
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source}: invalid scenario\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/** Validates a parsed scenario object; throws ScenarioError. */
export function parseScenario(raw: unknown, source = "scenario"): Scenario {
  const parsed = Scenario.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new ScenarioError(source, describeScenarioIssues(parsed.error.issues, raw));
}

/** Reads a YAML or JSON scenario file and validates it. */
export async function loadScenario(path: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new ScenarioError(path, [`cannot read file: ${(err as Error).message}`]);
  }
  const scenario = parseScenarioText(text, path);
  await checkFaultOperations(scenario, path);
  return scenario;
}

/** Rejects call faults naming an operation the service's API does not have (ScenarioError). */
export async function checkFaultOperations(scenario: Scenario, source = "scenario"): Promise<void> {
  const problems = await unknownFaultOperations(scenario.faults);
  if (problems.length > 0) throw new ScenarioError(source, problems);
}

export function parseScenarioText(text: string, source = "scenario"): Scenario {
  let raw: unknown;
  try {
    // YAML 1.2 core schema: JSON is valid YAML, and timestamps stay strings.
    raw = parseYaml(text, { prettyErrors: true, uniqueKeys: true });
  } catch (err) {
    throw new ScenarioError(source, [`not valid YAML/JSON: ${(err as Error).message}`]);
  }
  return parseScenario(raw, source);
}

// ---------------------------------------------------------------------------------------------
// Error messages: "path: got VALUE, allowed: ..." for every zod issue.

type Issue = z.core.$ZodIssue;

export function describeScenarioIssues(issues: readonly Issue[], raw: unknown): string[] {
  const out: string[] = [];
  for (const issue of issues) out.push(...describeIssue(issue, [], raw));
  return [...new Set(out)];
}

function describeIssue(issue: Issue, prefix: PropertyKey[], raw: unknown): string[] {
  const path = [...prefix, ...issue.path];
  const where = path.length ? path.map(String).join(".") : "(root)";
  const value = valueAt(raw, path);
  const got = value === undefined ? "missing" : `got ${show(value)}`;
  switch (issue.code) {
    case "invalid_value":
      return [`${where}: ${got}, allowed: ${issue.values.map((v) => String(v)).join(" | ")}`];
    case "unrecognized_keys": {
      const allowed = allowedKeys(path, raw);
      return issue.keys.map(
        (k) =>
          `${[...path, k].join(".")}: unknown field, allowed: ${allowed ? allowed.join(" | ") : "(see schema)"}`,
      );
    }
    case "invalid_type":
      if (value === undefined) return [`${where}: missing, required (${issue.expected})`];
      return [
        `${where}: ${got}, allowed: ${issue.expected === "object" ? "an object" : `a ${issue.expected}`}`,
      ];
    case "invalid_union":
      return describeUnion(issue, path, raw, value);
    default: {
      const plain = issue.code === "custom" || /^(allowed|required)\b/.test(issue.message);
      return [`${where}: ${got}, ${plain ? issue.message : `allowed: ${issue.message}`}`];
    }
  }
}

function describeUnion(
  issue: Extract<Issue, { code: "invalid_union" }>,
  path: PropertyKey[],
  raw: unknown,
  value: unknown,
): string[] {
  const where = path.map(String).join(".");
  const shapes = FAULT_SHAPES;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return [`${where}: got ${show(value)}, allowed: a fault object, one of ${shapes}`];
  }
  const keys = Object.keys(value);
  const kind = FAULT_KINDS.find((k) => keys.includes(k.key) && (!("also" in k) || keys.includes(k.also)));
  const variant = kind ? issue.errors[kind.index] : undefined;
  if (!kind || !variant) {
    return [`${where}: got ${show(value)}, allowed: one of ${shapes}`];
  }
  return variant.flatMap((sub) => describeIssue(sub, path, raw));
}

/** The object keys the schema allows at a path (for unknown-field messages). */
function allowedKeys(path: PropertyKey[], raw: unknown): string[] | undefined {
  let schema: z.core.$ZodType | undefined = Scenario as unknown as z.core.$ZodType;
  const walked: PropertyKey[] = [];
  const unwrap = (s: z.core.$ZodType | undefined): z.core.$ZodType | undefined => {
    let cur = s;
    for (let i = 0; i < 10 && cur; i++) {
      const def = cur._zod.def as unknown as {
        type: string;
        innerType?: z.core.$ZodType;
        in?: z.core.$ZodType;
      };
      if (
        def.type === "default" ||
        def.type === "optional" ||
        def.type === "nullable" ||
        def.type === "prefault"
      ) {
        cur = def.innerType;
      } else if (def.type === "pipe") cur = def.in;
      else break;
    }
    return cur;
  };
  const pickUnion = (s: z.core.$ZodType | undefined): z.core.$ZodType | undefined => {
    const u = unwrap(s);
    const def = u?._zod.def as unknown as { type: string; options?: z.core.$ZodType[] } | undefined;
    if (def?.type !== "union" || !def.options) return u;
    const value = valueAt(raw, walked);
    const keys = value && typeof value === "object" ? Object.keys(value) : [];
    const kind = FAULT_KINDS.find((k) => keys.includes(k.key) && (!("also" in k) || keys.includes(k.also)));
    return kind ? unwrap(def.options[kind.index]) : undefined;
  };
  schema = pickUnion(schema);
  for (const key of path) {
    const def = schema?._zod.def as unknown as
      | {
          type: string;
          shape?: Record<string, z.core.$ZodType>;
          element?: z.core.$ZodType;
          valueType?: z.core.$ZodType;
        }
      | undefined;
    if (!def) return undefined;
    if (def.type === "object" && def.shape) schema = def.shape[String(key)];
    else if (def.type === "array") schema = def.element;
    else if (def.type === "record") schema = def.valueType;
    else return undefined;
    walked.push(key);
    schema = pickUnion(schema);
  }
  const def = schema?._zod.def as unknown as { type: string; shape?: Record<string, unknown> } | undefined;
  return def?.type === "object" && def.shape ? Object.keys(def.shape) : undefined;
}

function show(value: unknown): string {
  const text = JSON.stringify(value instanceof Date ? value.toISOString() : value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

// ---------------------------------------------------------------------------------------------
// Names derived from a scenario, shared by the world and configFromScenario.

/**
 * The app name drctl uses for a scenario: the first '-'-separated word of app.stackName,
 * lowercased ("shop-dr" → "shop"); the scenario name when that is not a valid app name.
 */
export function appName(s: Pick<Scenario, "name" | "app">): string {
  const first = (s.app.stackName.split("-")[0] ?? "").toLowerCase();
  return NAME_RE.test(first) ? first : s.name;
}

export const scenarioStart = (s: Pick<Scenario, "start">): Date => new Date(s.start);
