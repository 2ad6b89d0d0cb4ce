/**
 * Failover: points the application's DNS record at the DR load balancer (Route 53 UPSERT), then
 * follows the change until INSYNC. Failover mode only: a drill must never touch the production
 * record, so it is refused here too, not just by the state machine's choice.
 */

import * as z from "zod";
import type { ArtifactStore } from "../shared/artifacts.js";
import type { CloudFormationApi } from "../shared/aws/cloudformation.js";
import type { Route53Api } from "../shared/aws/route53.js";
import type { AppConfig } from "../shared/config.js";
import { AwsCallFailed, DnsChangeFailed } from "../shared/errors.js";
import { logger } from "../shared/logger.js";
import { DnsState, RunContext, StackState } from "../shared/types.js";
import { adaptiveWait, elapsedBackoff } from "../shared/waits.js";
import { findSubmission, saveSubmission } from "./submission.js";

export const FailoverEvent = z.discriminatedUnion("action", [
  z.object({ action: z.literal("submit"), run: RunContext, stack: StackState }),
  z.object({ action: z.literal("check"), run: RunContext, dns: DnsState }),
]);
export type FailoverEvent = z.infer<typeof FailoverEvent>;

export interface FailoverDeps {
  config: AppConfig;
  store: ArtifactStore;
  cloudformation: CloudFormationApi;
  route53: Route53Api;
  now: () => Date;
}

/** CheckDns gives up this long after the change was submitted. */
export const DNS_TIMEOUT_SECONDS = 30 * 60;
/** Route 53 usually propagates a change to its authoritative servers within 60 seconds. */
const TYPICAL_PROPAGATION_SECONDS = 60;
const WAITS = { minSeconds: 10, maxSeconds: 60, unknownSeconds: 30, soonSeconds: 15 };

export async function failover(event: FailoverEvent, deps: FailoverDeps): Promise<DnsState> {
  if (event.run.mode !== "failover") {
    throw new DnsChangeFailed(
      `refusing to change DNS in a ${event.run.mode} (${event.run.name}): only a failover may touch the production record`,
    );
  }
  const now = deps.now();
  return event.action === "submit" ? submit(event.run, event.stack, deps, now) : check(event.dns, deps, now);
}

async function submit(
  run: RunContext,
  deployed: StackState,
  deps: FailoverDeps,
  now: Date,
): Promise<DnsState> {
  const { config } = deps;
  const { dns, stack: stackConfig } = config;
  const stack = await deps.cloudformation.describeStack(deployed.stackId);
  if (!stack) throw new DnsChangeFailed(`DR stack ${run.stackName} (${deployed.stackId}) does not exist`);
  const output = (name: string, field: string): string => {
    const value = stack.outputs[name];
    if (!value) {
      const known = Object.keys(stack.outputs).join(", ") || "none";
      throw new DnsChangeFailed(
        `stack ${stack.name} has no output ${name} (config ${field}); outputs: ${known}`,
      );
    }
    return value;
  };
  const target = output(stackConfig.loadBalancerOutput, "stack.loadBalancerOutput");
  let aliasZone: string | undefined;
  if (dns.type === "A") {
    if (!stackConfig.loadBalancerZoneOutput) {
      throw new DnsChangeFailed(
        `dns.type A (alias) needs stack.loadBalancerZoneOutput in the config of ${run.app}`,
      );
    }
    aliasZone = output(stackConfig.loadBalancerZoneOutput, "stack.loadBalancerZoneOutput");
  }

  // This run submitted it already (a retried or redriven Failover): follow that change.
  const previous = await findSubmission(deps.store, run);
  const ours = previous?.record === dns.record && previous.to === target ? previous : undefined;
  if (ours?.changeId) {
    logger.info("dns change already submitted by this run", { changeId: ours.changeId });
    const { changeId, from, submittedAt } = ours;
    const elapsed = (now.getTime() - Date.parse(submittedAt)) / 1000;
    return {
      changed: true,
      record: dns.record,
      from,
      to: target,
      changeId,
      status: "PENDING",
      waitSeconds: nextWait(elapsed),
      submittedAt,
    };
  }
  const current = await deps.route53.getRecord(dns.hostedZoneId, dns.record, dns.type);
  const from = ours ? ours.from : (current?.aliasTarget?.dnsName ?? current?.values[0] ?? null);
  const submission = { record: dns.record, from, to: target, submittedAt: now.toISOString() };
  await saveSubmission(deps.store, run, submission);
  let change: { changeId: string; status: "PENDING" | "INSYNC" };
  try {
    change = await deps.route53.upsertRecord({
      hostedZoneId: dns.hostedZoneId,
      name: dns.record,
      type: dns.type,
      ttl: dns.ttl,
      target,
      ...(aliasZone !== undefined && { aliasHostedZoneId: aliasZone }),
      comment: `drctl ${run.name}: fail over ${dns.record} to ${config.regions.recovery}`,
    });
  } catch (err) {
    if (err instanceof AwsCallFailed) throw new DnsChangeFailed(`UPSERT of ${dns.record}: ${err.message}`);
    throw err;
  }
  await saveSubmission(deps.store, run, { ...submission, changeId: change.changeId });
  logger.info("dns change submitted", { record: dns.record, from, to: target, ...change });
  return {
    changed: true,
    record: dns.record,
    from,
    to: target,
    changeId: change.changeId,
    status: change.status,
    waitSeconds: nextWait(0),
    submittedAt: now.toISOString(),
  };
}

async function check(dns: DnsState, deps: FailoverDeps, now: Date): Promise<DnsState> {
  const status = await deps.route53.getChange(dns.changeId);
  const elapsed = dns.submittedAt ? (now.getTime() - Date.parse(dns.submittedAt)) / 1000 : 0;
  if (status !== "INSYNC" && elapsed > DNS_TIMEOUT_SECONDS) {
    throw new DnsChangeFailed(
      `change ${dns.changeId} of ${dns.record} still ${status} ${Math.round(elapsed / 60)} minutes after it was submitted`,
    );
  }
  return { ...dns, status, waitSeconds: status === "INSYNC" ? 1 : nextWait(elapsed) };
}

/** Until the typical propagation time: aim at it; overdue: back off with the time already spent. */
const nextWait = (elapsed: number): number =>
  elapsed < TYPICAL_PROPAGATION_SECONDS
    ? adaptiveWait([TYPICAL_PROPAGATION_SECONDS - elapsed], WAITS)
    : elapsedBackoff(elapsed, { minSeconds: WAITS.minSeconds, maxSeconds: WAITS.maxSeconds });
