/**
 * What every integrator shares: the APIs, the per-invocation context, the target resource and its
 * journal, and the helpers that answer a tick (done / waiting / failed).
 */
import type { DynamoDbApi } from "../shared/aws/dynamodb.js";
import type { Ec2Api, Instance, Subnet } from "../shared/aws/ec2.js";
import type { EfsApi } from "../shared/aws/efs.js";
import type { RdsApi } from "../shared/aws/rds.js";
import type { SsmApi } from "../shared/aws/ssm.js";
import type { AppConfig, Integration } from "../shared/config.js";
import { IntegrationFailed } from "../shared/errors.js";
import { STACK_NAME_TAG } from "../shared/restored.js";
import type { IntegrationRecord, PlannedRestore, RunContext } from "../shared/types.js";

export interface IntegrationApis {
  rds: RdsApi;
  ec2: Ec2Api;
  efs: EfsApi;
  dynamodb: DynamoDbApi;
  ssm: SsmApi;
}

/**
 * What one tick found: done, or waiting (with a guess of the seconds still needed). `onStack`:
 * waiting only for the DR stack to be deployed (an attach or mount while the stack is still
 * being deployed), which no AWS call of this resource moves on.
 */
export type Tick =
  | { done: true }
  | { done: false; waitingFor: string; remainingSeconds?: number; onStack?: true };

export interface TickContext {
  run: RunContext;
  config: AppConfig;
  apis: IntegrationApis;
  tags: Record<string, string>;
  /** The DR subnets (memoised for the invocation). */
  subnets: () => Promise<Subnet[]>;
  /** The invocation's time. */
  now: Date;
  /**
   * Whether the DR stack is deployed (memoised for the invocation). While it is not (integration
   * alongside the restores), actions on its instances (attach a volume, mount a file system) wait.
   */
  stackDeployed: () => Promise<boolean>;
}

export interface Target {
  plan: PlannedRestore;
  integrate: Integration;
  record: IntegrationRecord;
}

export const wait = (waitingFor: string, remainingSeconds?: number): Tick =>
  remainingSeconds === undefined
    ? { done: false, waitingFor }
    : { done: false, waitingFor, remainingSeconds };
export const DONE: Tick = { done: true };

/**
 * Seconds drctl leaves between tagging a resource and a call whose IAM condition reads that tag
 * (aws:ResourceTag on CreateDBInstance into a cluster, AttachVolume, CreateMountTarget). Tagging
 * is eventually consistent ("a few seconds": DynamoDB TagResource, EC2 eventual consistency), and a
 * call refused meanwhile is an unauthorized API call in CloudTrail, which the CIS benchmark's
 * alarm on such calls counts. A call still refused after it is tried again as long (advance.ts).
 */
export const TAG_SETTLE_SECONDS = 5;

/** Waiting for drctl's new tags to count, when the resource was tagged less than TAG_SETTLE_SECONDS ago. */
export function tagsSettling(ctx: TickContext, t: Target): Tick | undefined {
  if (!t.record.taggedAt) return undefined;
  const left = TAG_SETTLE_SECONDS - (ctx.now.getTime() - Date.parse(t.record.taggedAt)) / 1000;
  return left > 0 ? wait("drctl's new tags to count in IAM conditions", Math.ceil(left)) : undefined;
}

/** Waiting for the DR stack before `action` on its instances (see TickContext.stackDeployed). */
export const waitForStack = (action: string): Tick => ({
  done: false,
  waitingFor: `the DR stack to be deployed, to ${action}`,
  onStack: true,
});

export function fail(t: Target, message: string): never {
  throw new IntegrationFailed(`${t.plan.name} (${t.plan.type}): ${message}`);
}

/** Runs `action` once per record: the journal entry is written only after it succeeded. */
export async function once(
  record: IntegrationRecord,
  entry: string,
  action: () => Promise<unknown>,
): Promise<void> {
  if (record.actions.includes(entry)) return;
  await action();
  record.actions.push(entry);
}

/** The DR stack's instances with these tags (besides the stack tag), not terminated. */
export async function stackInstances(ctx: TickContext, tags: Record<string, string>): Promise<Instance[]> {
  const found = await ctx.apis.ec2.describeInstances({
    tags: { ...tags, [STACK_NAME_TAG]: ctx.run.stackName },
  });
  return found
    .filter((i) => i.state !== "terminated" && i.state !== "shutting-down")
    .sort((a, b) => a.id.localeCompare(b.id));
}
