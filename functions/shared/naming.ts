/**
 * Deterministic names of a run and of everything it creates (docs/design.md, "Run context,
 * naming, idempotency"). A retried step recomputes the same names, which is what makes
 * CreateStack, StartRestoreJob and the SSM writes idempotent.
 */
import { createHash } from "node:crypto";
import type { ResourceType } from "./config.js";
import type { Mode, RunContext } from "./types.js";

export const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

/** `yyyymmddThhmmssZ` of a time, in UTC (sorts as the time does). */
export function compactUtc(time: Date): string {
  const iso = time.toISOString(); // 2026-03-01T09:00:00.000Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

/** 6 lowercase hex characters of sha256(executionArn). */
export const runSuffix = (executionArn: string): string => sha256(executionArn).slice(0, 6);

/**
 * `<mode>-<app>-<yyyymmddThhmmssZ>-<runSuffix(executionArn)>`, e.g.
 * `drill-shop-20260301T090000Z-3f9a1c`: unique per execution (two executions started in the same
 * second differ in the suffix), readable, and sorted by start time within a mode and app.
 * At most 97 characters (mode 8, app 64): it fits every place it flows into, see MAX_RUN_NAME.
 */
export const runName = (mode: Mode, app: string, startedAt: Date, executionArn: string): string =>
  `${mode}-${app}-${compactUtc(startedAt)}-${runSuffix(executionArn)}`;

/**
 * Longest run name: "failover" + app (64) + time (16) + suffix (6) + 3 hyphens. It is the CFN
 * ClientRequestToken (1-128, `[a-zA-Z0-9][-a-zA-Z0-9]*`), the `drctl:execution` tag value (256 in
 * CloudFormation, SSM, EFS, DynamoDB, RDS, EC2), a segment of S3 keys (`runs/<name>/…`, 1,024 bytes)
 * and of drill parameter names (`/drctl-drill/<name>/…`, 1,011 characters with the ARN prefix).
 */
export const MAX_RUN_NAME = 8 + 64 + 16 + 6 + 3;

/** `<config.stack.name>` for failover, `<config.stack.name>-drill-<suffix>` for drills. */
export const stackNameFor = (baseName: string, mode: Mode, suffix: string): string =>
  mode === "failover" ? baseName : `${baseName}-drill-${suffix}`;

/** `""` for failover, `/drctl-drill/<run name>` for drills. */
export const parameterPrefixFor = (mode: Mode, name: string): string =>
  mode === "failover" ? "" : `/drctl-drill/${name}`;

/** `runs/<run name>/` inside the artifacts bucket. */
export const artifactsPrefixFor = (name: string): string => `runs/${name}/`;

/** SSM parameter holding the per-app recovery lock (value: functions/shared/lock.ts). */
export const lockParameter = (app: string): string => `/drctl/lock/${app}`;

/** Longest restored-resource name: RDS identifiers allow 63 characters (EFS tokens 64). */
export const MAX_TARGET_NAME = 63;

/**
 * Lowercase letters, digits and single hyphens; starts with a letter, no trailing hyphen.
 * Used for names taken from ARNs (tag-selected resources) and for restored resource names.
 */
export function sanitizeName(raw: string): string {
  let name = raw
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^-+|-+$/g, "");
  if (!/^[a-z]/.test(name)) name = `r-${name}`.replace(/-+$/, "");
  return name.slice(0, 64).replace(/-+$/, "");
}

/**
 * Name of a restored resource: `<name>-<suffix>` for drills, `<name>-dr-<suffix>` for failovers;
 * the base is shortened so the whole stays within MAX_TARGET_NAME and a valid RDS identifier.
 */
export function restoredName(run: Pick<RunContext, "mode" | "suffix">, resourceName: string): string {
  const tail = run.mode === "failover" ? `-dr-${run.suffix}` : `-${run.suffix}`;
  const base = sanitizeName(resourceName)
    .slice(0, MAX_TARGET_NAME - tail.length)
    .replace(/-+$/, "");
  return `${base}${tail}`;
}

/** The name a tag-selected resource gets: the last segment of its ARN (after ':' or '/'), sanitised. */
export function nameFromArn(arn: string): string {
  const last = arn.split(/[:/]/).filter(Boolean).pop() ?? arn;
  return sanitizeName(last);
}

/**
 * What a run's idempotency tokens are scoped to: the execution, and the redrive that restarted a
 * drill's recovery after its failure path deleted everything (so the restores are new ones).
 */
export const tokenScope = (run: Pick<RunContext, "executionArn" | "redrive">): string =>
  run.redrive === undefined ? run.executionArn : `${run.executionArn}#redrive-${run.redrive}`;

/** CreateStack ClientRequestToken: the run name (with the restarting redrive, if any). */
export const stackRequestToken = (run: Pick<RunContext, "name" | "redrive">): string =>
  run.redrive === undefined ? run.name : `${run.name}-redrive-${run.redrive}`;

/** StartRestoreJob IdempotencyToken: sha256(tokenScope(run) + resource name + attempt). */
export const restoreIdempotencyToken = (
  executionArn: string,
  resourceName: string,
  attempt: number,
): string => sha256(`${executionArn}${resourceName}${attempt}`);

/** AWS Backup's ResourceType for StartRestoreJob, per drctl resource type. */
export const BACKUP_RESOURCE_TYPE: Record<ResourceType, string> = {
  rds: "RDS",
  aurora: "Aurora",
  ebs: "EBS",
  ec2: "EC2",
  efs: "EFS",
  dynamodb: "DynamoDB",
};

/** drctl resource type of a recovery point's ResourceType (undefined for unsupported types). */
export function resourceTypeOf(backupType: string): ResourceType | undefined {
  const lower = backupType.toLowerCase();
  const found = (Object.entries(BACKUP_RESOURCE_TYPE) as [ResourceType, string][]).find(
    ([, aws]) => aws.toLowerCase() === lower,
  );
  return found?.[0];
}
