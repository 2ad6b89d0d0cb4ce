/**
 * Environment schemas. Each function extends BaseEnv with what it needs; the CDK construct sets
 * exactly these variables (infra/constructs/step-function.ts is typed from the same schemas).
 */
import { z } from "zod";
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

const cache = new WeakMap<z.ZodType, unknown>();

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
