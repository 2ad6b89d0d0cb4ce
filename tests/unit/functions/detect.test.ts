/**
 * Detect against the sandbox's World (tests/support/step-world.ts): the primary region's app
 * instances and their status checks, and its CloudWatch alarms, read through the product's EC2 and
 * CloudWatch wrappers on clients in the PRIMARY region, signed as the detect function under its
 * synthesized IAM. The primary health URL is not AWS: its answers come from a fetch mock.
 */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { EC2Client } from "@aws-sdk/client-ec2";
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import { type DetectDeps, detect } from "../../../functions/detect/detect.js";
import { handler } from "../../../functions/detect/handler.js";
import { MAX_ATTEMPTS } from "../../../functions/shared/aws/clients.js";
import { cloudWatchApi } from "../../../functions/shared/aws/cloudwatch.js";
import { ec2Api } from "../../../functions/shared/aws/ec2.js";
import type { AppConfig } from "../../../functions/shared/config.js";
import { localContext } from "../../../functions/shared/middleware.js";
import type { SandboxOutput, ServiceName } from "../../../scripts/sandbox/types.js";
import { TIMINGS } from "../../../scripts/sandbox/world/index.js";
import { launchInstance } from "../../../scripts/sandbox/world/services/ec2.js";
import { BUCKET, runContext } from "../../support/fixtures.js";
import { type StepWorld, stepClient, stepWorld } from "../../support/step-world.js";

const HEALTH_URL = "https://shop.example.com/health";

/**
 * A World whose primary region runs the app's two instances, both passing their status checks,
 * and has the alarm shop-alb-5xx in OK (so the config names an alarm: the detect role may then
 * call DescribeAlarms).
 */
async function detectWorld() {
  const w = await stepWorld("detect", {
    scenario: { primary: { healthy: true, alarms: [{ name: "shop-alb-5xx", state: "OK", reason: "fine" }] } },
  });
  const primary = w.scenario.regions.primary;
  const fetchMock = vi.fn<typeof fetch>(async () => new Response("ok", { status: 200 }));
  const deps = (detect: Partial<AppConfig["detect"]> = {}): DetectDeps => ({
    config: { ...w.config, detect: { alarmNames: [], ...detect } },
    ec2: ec2Api(stepClient(w, "detect", EC2Client, "EC2", primary)),
    cloudwatch: cloudWatchApi(stepClient(w, "detect", CloudWatchClient, "CLOUDWATCH", primary)),
    fetch: fetchMock,
    healthTimeoutMs: 5000,
  });
  /** A call of the seed client in the primary region (no IAM, no faults). */
  const seed = (
    service: ServiceName,
    operation: string,
    input: Record<string, unknown>,
  ): Promise<SandboxOutput> => w.world.call({ service, operation, region: primary, input }, {});
  return { w, fetchMock, deps, seed };
}

let w: StepWorld;
let ctx: Awaited<ReturnType<typeof detectWorld>>;
beforeAll(async () => {
  ctx = await detectWorld();
  w = ctx.w;
});
afterAll(async () => {
  await w.close();
});
afterEach(() => ctx.fetchMock.mockReset().mockResolvedValue(new Response("ok", { status: 200 })));

let seq = 0;
/** A metric alarm of the primary region (fresh name), set to `state` as SetAlarmState sets it. */
async function alarm(state: "OK" | "ALARM" | "INSUFFICIENT_DATA", reason: string): Promise<string> {
  const name = `shop-5xx-${++seq}`;
  await ctx.seed("cloudwatch", "PutMetricAlarm", {
    AlarmName: name,
    Namespace: "AWS/ApplicationELB",
    MetricName: "HTTPCode_ELB_5XX_Count",
    Statistic: "Sum",
    Period: 60,
    EvaluationPeriods: 1,
    Threshold: 50,
    ComparisonOperator: "GreaterThanThreshold",
  });
  await ctx.seed("cloudwatch", "SetAlarmState", { AlarmName: name, StateValue: state, StateReason: reason });
  return name;
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => new Error("detect succeeded but was expected to fail"),
    (e: unknown) => e as Error,
  );

describe("detect", () => {
  it("refuses the failover with OutageNotConfirmed when every signal is healthy", async () => {
    // Act: the config's own alarms (the scenario's)
    const err = await failure(
      detect(
        { run: runContext({ mode: "failover" }) },
        ctx.deps({ alarmNames: w.config.detect.alarmNames, primaryHealthUrl: HEALTH_URL }),
      ),
    );
    // Assess
    expect(err.name).toBe("OutageNotConfirmed");
    expect(err.message).toMatch(/us-east-1 looks healthy/);
    expect(err.message).toMatch(/ec2-status: 2 running instances pass status checks/);
    expect(err.message).toMatch(/health-url: GET https:\/\/shop.example.com\/health: HTTP 200/);
    expect(w.config.detect.alarmNames).toEqual(["shop-alb-5xx"]);
    expect(err.message).toMatch(/alarms: 1 alarm\(s\) not in ALARM/);
  });

  it("continues unconfirmed when forced", async () => {
    const result = await detect({ run: runContext({ mode: "failover", force: true }) }, ctx.deps());
    expect(result).toMatchObject({ confirmed: false, forced: true });
    expect(result.signals).toEqual([expect.objectContaining({ name: "ec2-status", healthy: true })]);
  });

  it("confirms the outage when the health URL fails", async () => {
    ctx.fetchMock.mockResolvedValue(new Response("down", { status: 503 }));
    const result = await detect(
      { run: runContext({ mode: "failover" }) },
      ctx.deps({ primaryHealthUrl: HEALTH_URL }),
    );
    expect(result).toMatchObject({ confirmed: true, forced: false });
    expect(result.signals.find((s) => s.name === "health-url")).toMatchObject({
      healthy: false,
      detail: expect.stringMatching(/503/),
    });
  });

  it("confirms the outage when the health URL does not answer", async () => {
    ctx.fetchMock.mockRejectedValue(
      new DOMException("The operation was aborted due to timeout", "TimeoutError"),
    );
    const result = await detect(
      { run: runContext({ mode: "failover" }) },
      ctx.deps({ primaryHealthUrl: HEALTH_URL }),
    );
    expect(result.confirmed).toBe(true);
    expect(ctx.fetchMock.mock.calls[0]?.[1]?.signal).toBeInstanceOf(AbortSignal);
  });

  it("confirms the outage when the EC2 API stays unavailable through the SDK's retries", async () => {
    // Prepare: every attempt of the client answers 503
    w.fault({ call: "ec2:DescribeInstanceStatus", error: "ServiceUnavailable", times: MAX_ATTEMPTS });
    // Act
    const result = await detect({ run: runContext({ mode: "failover" }) }, ctx.deps());
    // Assess
    expect(result.confirmed).toBe(true);
    expect(result.signals[0]).toMatchObject({
      name: "ec2-status",
      healthy: false,
      detail: expect.stringMatching(/unreachable/),
    });
    expect(
      w
        .requests("DescribeInstanceStatus")
        .slice(-MAX_ATTEMPTS)
        .map((r) => r.error),
    ).toEqual(Array(MAX_ATTEMPTS).fill("ServiceUnavailable"));
  });

  it("confirms the outage when a tagged instance is impaired", async () => {
    // Prepare: two instances tagged role=web; the second fails its status checks (no API sets that)
    const now = w.now().getTime();
    const subnetId = w.world.primary.network?.subnetIds[0] ?? "";
    const tags = { role: `web-${++seq}` };
    const [i1, i2] = [1, 2].map(() => launchInstance(w.world, w.world.primary, now, { subnetId, tags }));
    if (!i1 || !i2) throw new Error("no instances launched");
    i2.healthy = false;
    onTestFinished(() => {
      w.world.primary.instances.delete(i1.id);
      w.world.primary.instances.delete(i2.id);
    });
    // Act
    const result = await detect(
      { run: runContext({ mode: "failover" }) },
      ctx.deps({ primaryInstanceTag: `role=${tags.role}` }),
    );
    // Assess
    expect(result.confirmed).toBe(true);
    expect(result.signals[0]?.detail).toBe(
      `unhealthy: ${i2.id} running (instance impaired, system impaired)`,
    );
    expect(w.requests("DescribeInstanceStatus").at(-1)?.input.InstanceIds).toEqual([i1.id, i2.id]);
  });

  it("confirms the outage when an alarm is in ALARM, and names an alarm that does not exist", async () => {
    const name = await alarm("ALARM", "Threshold crossed");
    const result = await detect(
      { run: runContext({ mode: "failover" }) },
      ctx.deps({ alarmNames: [name, "shop-gone"] }),
    );
    expect(result.confirmed).toBe(true);
    expect(result.signals.find((s) => s.name === "alarms")?.detail).toBe(
      `in ALARM: ${name} (Threshold crossed); not found: shop-gone`,
    );
  });

  it("does not count INSUFFICIENT_DATA as an outage", async () => {
    const name = await alarm("INSUFFICIENT_DATA", "no datapoints");
    const err = await failure(
      detect({ run: runContext({ mode: "failover" }) }, ctx.deps({ alarmNames: [name] })),
    );
    expect(err.name).toBe("OutageNotConfirmed");
  });
});

describe("detect in a primary whose instances are all terminated", () => {
  it("confirms the outage when no instance runs", async () => {
    // Prepare: its own World (the instances cannot come back)
    const own = await detectWorld();
    onTestFinished(() => own.w.close());
    const ids = [...own.w.world.primary.instances.keys()];
    await own.seed("ec2", "TerminateInstances", { InstanceIds: ids });
    own.w.advance(TIMINGS.ec2TerminateSeconds);
    // Act
    const result = await detect({ run: runContext({ mode: "failover" }) }, own.deps());
    // Assess
    expect(ids).toHaveLength(2);
    expect(result.signals[0]).toMatchObject({ healthy: false, detail: "no running instances" });
  });
});

describe("detect handler", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("rejects a malformed event with InputInvalid", async () => {
    vi.stubEnv("ARTIFACTS_BUCKET", BUCKET);
    await expect(handler({ run: { name: 1 } }, localContext("detect"))).rejects.toMatchObject({
      name: "InputInvalid",
    });
  });
});
