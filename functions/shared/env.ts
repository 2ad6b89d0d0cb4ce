/**
 * Environment schemas. Each function extends BaseEnv with what it needs; the CDK construct sets
 * exactly these variables (infra/constructs/step-function.ts is typed from the same schemas).
 */
import * as z from "zod";
import type { FunctionKey } from "../../state-machines/names.js";
import { describeIssues } from "./config.js";
import { ConfigInvalid } from "./errors.js";

export const BaseEnv = z.object({
  AWS_REGION: z.string().min(1),
  /** Bucket holding config/, runs/ (plans, job lists) and reports/. */
  ARTIFACTS_BUCKET: z.string().min(1),
  /** "true" when the step runs against the local sandbox. */
  DRCTL_LOCAL: z.enum(["true", "false"]).default("false"),
});
export type BaseEnv = z.infer<typeof BaseEnv>;

/** Every step's environment. The CDK construct sets exactly these (AWS_REGION comes from Lambda). */
export const STEP_ENV = {
  validateInput: BaseEnv.extend({
    /** App recovered when the execution input names none (the app this stack was deployed for). */
    DEFAULT_APP: z.string().regex(/^[a-z0-9-]{1,64}$/),
  }),
  detect: BaseEnv,
  deployStack: BaseEnv,
  checkStack: BaseEnv,
  planRestores: BaseEnv,
  startRestores: BaseEnv.extend({
    /** IAM role AWS Backup assumes to run the restore jobs (iam:PassRole is granted on it only). */
    RESTORE_ROLE_ARN: z.string().startsWith("arn:"),
  }),
  pollRestores: BaseEnv.extend({ RESTORE_ROLE_ARN: z.string().startsWith("arn:") }),
  integrate: BaseEnv,
  validateHealth: BaseEnv,
  failover: BaseEnv,
  writeReport: BaseEnv,
  cleanup: BaseEnv,
  notify: BaseEnv.extend({ SNS_TOPIC_ARN: z.string().startsWith("arn:") }),
  /** The aftermath of a stopped execution: DEFAULT_APP names the lock when its input names no app. */
  aftermath: BaseEnv.extend({ DEFAULT_APP: z.string().regex(/^[a-z0-9-]{1,64}$/) }),
  resume: BaseEnv,
} as const satisfies Record<FunctionKey, z.ZodObject>;
export type StepEnv<K extends FunctionKey> = z.infer<(typeof STEP_ENV)[K]>;

let cache = new WeakMap<z.ZodType, unknown>();

/** Forgets the parsed environments (the local runner re-points AWS_REGION/ARTIFACTS_BUCKET between runs). */
export function resetEnvCache(): void {
  cache = new WeakMap();
}

/** Parses process.env once per schema; throws ConfigInvalid naming the variable and the value. */
export function loadEnv<S extends z.ZodType>(schema: S, source: NodeJS.ProcessEnv = process.env): z.infer<S> {
  if (source === process.env && cache.has(schema)) return cache.get(schema) as z.infer<S>;
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigInvalid(`environment: ${describeIssues(parsed.error, source)}`);
  }
  if (source === process.env) cache.set(schema, parsed.data);
  return parsed.data;
}
