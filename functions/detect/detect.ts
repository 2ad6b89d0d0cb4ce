/**
 * Detect (failover only): confirms the outage in the primary region before anything is failed over.
 * Signals: EC2 status checks of the primary instances, the primary health URL, CloudWatch alarms.
 * One unhealthy signal confirms the outage; a primary that looks healthy stops the failover
 * (OutageNotConfirmed) unless the run is forced.
 */
import * as z from "zod";
import type { CloudWatchApi } from "../shared/aws/cloudwatch.js";
import type { Ec2Api } from "../shared/aws/ec2.js";
import type { AppConfig } from "../shared/config.js";
import { AwsTransient, OutageNotConfirmed } from "../shared/errors.js";
import { logger } from "../shared/logger.js";
import { type DetectResult, RunContext } from "../shared/types.js";

export type Signal = DetectResult["signals"][number];

export const DetectEvent = z.object({ run: RunContext });
export type DetectEvent = z.infer<typeof DetectEvent>;

export interface DetectDeps {
  config: AppConfig;
  /** Clients in the PRIMARY region. */
  ec2: Ec2Api;
  cloudwatch: CloudWatchApi;
  fetch: typeof fetch;
  healthTimeoutMs: number;
}

/** The primary health URL's answer is awaited this long. */
export const PRIMARY_HEALTH_TIMEOUT_MS = 5000;

const LIVE_STATES = ["pending", "running", "stopping", "stopped", "shutting-down"];

/** An AWS call that stays unreachable (AwsTransient after retries) is itself a sign of the outage. */
async function guarded(name: string, check: () => Promise<Signal>): Promise<Signal> {
  try {
    return await check();
  } catch (err) {
    if (err instanceof AwsTransient)
      return { name, healthy: false, detail: `API unreachable: ${err.message}` };
    throw err;
  }
}

async function ec2Signal(ec2: Ec2Api, tag: string | undefined): Promise<Signal> {
  let ids: string[] | undefined;
  const scope = tag ? `instances tagged ${tag}` : "instances";
  if (tag) {
    const [key, ...rest] = tag.split("=");
    const instances = await ec2.describeInstances({
      tags: { [key ?? ""]: rest.join("=") },
      states: LIVE_STATES,
    });
    ids = instances.map((i) => i.id);
    if (ids.length === 0) return { name: "ec2-status", healthy: false, detail: `no ${scope}` };
  }
  const statuses = (await ec2.describeInstanceStatus(ids)).filter((s) => s.state !== "terminated");
  const bad = statuses.filter(
    (s) => s.state !== "running" || s.instanceStatus === "impaired" || s.systemStatus === "impaired",
  );
  const running = statuses.length - bad.length;
  if (bad.length > 0 || running === 0) {
    const list = bad.map(
      (s) => `${s.id} ${s.state} (instance ${s.instanceStatus}, system ${s.systemStatus})`,
    );
    const detail =
      running === 0 && bad.length === 0 ? `no running ${scope}` : `unhealthy: ${list.join(", ")}`;
    return { name: "ec2-status", healthy: false, detail };
  }
  return { name: "ec2-status", healthy: true, detail: `${running} running ${scope} pass status checks` };
}

async function httpSignal(url: string, doFetch: typeof fetch, timeoutMs: number): Promise<Signal> {
  try {
    const res = await doFetch(url, { method: "GET", signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel().catch(() => undefined);
    const healthy = res.status >= 200 && res.status < 300;
    return { name: "health-url", healthy, detail: `GET ${url}: HTTP ${res.status}` };
  } catch (err) {
    return {
      name: "health-url",
      healthy: false,
      detail: `GET ${url}: no answer (${(err as Error).message})`,
    };
  }
}

async function alarmSignal(cloudwatch: CloudWatchApi, names: string[]): Promise<Signal> {
  const alarms = await cloudwatch.describeAlarms(names);
  const firing = alarms.filter((a) => a.state === "ALARM");
  const missing = names.filter((n) => !alarms.some((a) => a.name === n));
  const notes = missing.length > 0 ? `; not found: ${missing.join(", ")}` : "";
  if (firing.length > 0) {
    const list = firing.map((a) => `${a.name} (${a.reason})`).join(", ");
    return { name: "alarms", healthy: false, detail: `in ALARM: ${list}${notes}` };
  }
  return { name: "alarms", healthy: true, detail: `${alarms.length} alarm(s) not in ALARM${notes}` };
}

export async function detect(event: DetectEvent, deps: DetectDeps): Promise<DetectResult> {
  const { run } = event;
  const { config } = deps;
  const checks: Promise<Signal>[] = [
    guarded("ec2-status", () => ec2Signal(deps.ec2, config.detect.primaryInstanceTag)),
  ];
  if (config.detect.primaryHealthUrl) {
    checks.push(httpSignal(config.detect.primaryHealthUrl, deps.fetch, deps.healthTimeoutMs));
  }
  if (config.detect.alarmNames.length > 0) {
    checks.push(guarded("alarms", () => alarmSignal(deps.cloudwatch, config.detect.alarmNames)));
  }
  const signals = await Promise.all(checks);
  const confirmed = signals.some((s) => !s.healthy);
  logger.info("outage signals", { region: config.regions.primary, confirmed, signals });
  if (!confirmed && !run.force) {
    const list = signals.map((s) => `${s.name}: ${s.detail}`).join("; ");
    throw new OutageNotConfirmed(
      `primary region ${config.regions.primary} looks healthy, not failing over (${list}); ` +
        "start with force=true to fail over anyway",
    );
  }
  return { confirmed, forced: !confirmed, signals };
}
