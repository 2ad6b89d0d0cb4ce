import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeInstanceStatusCommand, DescribeInstancesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it, vi } from "vitest";
import { detect } from "../../../functions/detect/detect.js";
import { handler } from "../../../functions/detect/handler.js";
import { cloudWatchApi } from "../../../functions/shared/aws/cloudwatch.js";
import { ec2Api } from "../../../functions/shared/aws/ec2.js";
import { localContext } from "../../../functions/shared/middleware.js";
import { appConfig, BUCKET, runContext } from "../../support/fixtures.js";

const healthyStatus = (id: string) => ({
  InstanceId: id,
  InstanceState: { Name: "running" as const, Code: 16 },
  InstanceStatus: { Status: "ok" as const },
  SystemStatus: { Status: "ok" as const },
});

function setup(opts: { url?: boolean; alarms?: string[]; tag?: string } = {}) {
  const ec2Client = new EC2Client({ region: "us-east-1" });
  const cwClient = new CloudWatchClient({ region: "us-east-1" });
  const ec2 = mockClient(ec2Client);
  const cw = mockClient(cwClient);
  const fetchMock = vi.fn<typeof fetch>(async () => new Response("ok", { status: 200 }));
  const config = appConfig({
    detect: {
      alarmNames: opts.alarms ?? [],
      ...(opts.url && { primaryHealthUrl: "https://shop.example.com/health" }),
      ...(opts.tag && { primaryInstanceTag: opts.tag }),
    },
  });
  const deps = {
    ec2: ec2Api(ec2Client),
    cloudwatch: cloudWatchApi(cwClient),
    fetch: fetchMock,
    healthTimeoutMs: 5000,
  };
  return { ec2, cw, fetchMock, config, deps };
}

describe("detect", () => {
  it("refuses the failover with OutageNotConfirmed when every signal is healthy", async () => {
    // Prepare
    const { ec2, cw, config, deps } = setup({ url: true, alarms: ["shop-5xx"] });
    ec2
      .on(DescribeInstanceStatusCommand)
      .resolves({ InstanceStatuses: [healthyStatus("i-1"), healthyStatus("i-2")] });
    cw.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [{ AlarmName: "shop-5xx", StateValue: "OK", StateReason: "fine" }],
    });
    // Act
    const err = await detect({ run: runContext({ mode: "failover" }) }, { ...deps, config }).catch(
      (e: unknown) => e,
    );
    // Assess
    expect((err as Error).name).toBe("OutageNotConfirmed");
    expect((err as Error).message).toMatch(/us-east-1 looks healthy/);
    expect((err as Error).message).toMatch(/ec2-status: 2 running instances/);
    expect((err as Error).message).toMatch(/health-url: GET https:\/\/shop.example.com\/health: HTTP 200/);
  });

  it("continues unconfirmed when forced", async () => {
    const { ec2, config, deps } = setup();
    ec2.on(DescribeInstanceStatusCommand).resolves({ InstanceStatuses: [healthyStatus("i-1")] });
    const result = await detect({ run: runContext({ mode: "failover", force: true }) }, { ...deps, config });
    expect(result).toMatchObject({ confirmed: false, forced: true });
    expect(result.signals).toEqual([expect.objectContaining({ name: "ec2-status", healthy: true })]);
  });

  it("confirms the outage when the health URL fails", async () => {
    const { ec2, config, deps, fetchMock } = setup({ url: true });
    ec2.on(DescribeInstanceStatusCommand).resolves({ InstanceStatuses: [healthyStatus("i-1")] });
    fetchMock.mockResolvedValue(new Response("down", { status: 503 }));
    const result = await detect({ run: runContext({ mode: "failover" }) }, { ...deps, config });
    expect(result).toMatchObject({ confirmed: true, forced: false });
    expect(result.signals.find((s) => s.name === "health-url")).toMatchObject({
      healthy: false,
      detail: expect.stringMatching(/503/),
    });
  });

  it("confirms the outage when the health URL does not answer", async () => {
    const { ec2, config, deps, fetchMock } = setup({ url: true });
    ec2.on(DescribeInstanceStatusCommand).resolves({ InstanceStatuses: [healthyStatus("i-1")] });
    fetchMock.mockRejectedValue(new DOMException("The operation was aborted due to timeout", "TimeoutError"));
    const result = await detect({ run: runContext({ mode: "failover" }) }, { ...deps, config });
    expect(result.confirmed).toBe(true);
    expect(fetchMock.mock.calls[0]?.[1]?.signal).toBeInstanceOf(AbortSignal);
  });

  it("confirms the outage when the EC2 API is unreachable", async () => {
    const { ec2, config, deps } = setup();
    ec2.on(DescribeInstanceStatusCommand).rejects(
      Object.assign(new Error("Service Unavailable"), {
        name: "ServiceUnavailable",
        $metadata: { httpStatusCode: 503 },
      }),
    );
    const result = await detect({ run: runContext({ mode: "failover" }) }, { ...deps, config });
    expect(result.confirmed).toBe(true);
    expect(result.signals[0]).toMatchObject({
      name: "ec2-status",
      healthy: false,
      detail: expect.stringMatching(/unreachable/),
    });
  });

  it("confirms the outage when a tagged instance is impaired", async () => {
    // Prepare
    const { ec2, config, deps } = setup({ tag: "role=web" });
    ec2.on(DescribeInstancesCommand).resolves({
      Reservations: [
        {
          Instances: [
            { InstanceId: "i-1", State: { Name: "running" } },
            { InstanceId: "i-2", State: { Name: "running" } },
          ],
        },
      ],
    });
    ec2.on(DescribeInstanceStatusCommand).resolves({
      InstanceStatuses: [
        healthyStatus("i-1"),
        { ...healthyStatus("i-2"), SystemStatus: { Status: "impaired" } },
      ],
    });
    // Act
    const result = await detect({ run: runContext({ mode: "failover" }) }, { ...deps, config });
    // Assess
    expect(result.confirmed).toBe(true);
    expect(result.signals[0]?.detail).toMatch(/i-2 running \(instance ok, system impaired\)/);
    expect(ec2.commandCalls(DescribeInstanceStatusCommand)[0]?.args[0].input.InstanceIds).toEqual([
      "i-1",
      "i-2",
    ]);
  });

  it("confirms the outage when no instance runs", async () => {
    const { ec2, config, deps } = setup();
    ec2.on(DescribeInstanceStatusCommand).resolves({ InstanceStatuses: [] });
    const result = await detect({ run: runContext({ mode: "failover" }) }, { ...deps, config });
    expect(result.signals[0]).toMatchObject({ healthy: false, detail: "no running instances" });
  });

  it("confirms the outage when an alarm is in ALARM", async () => {
    const { ec2, cw, config, deps } = setup({ alarms: ["shop-5xx"] });
    ec2.on(DescribeInstanceStatusCommand).resolves({ InstanceStatuses: [healthyStatus("i-1")] });
    cw.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [{ AlarmName: "shop-5xx", StateValue: "ALARM", StateReason: "Threshold crossed" }],
    });
    const result = await detect({ run: runContext({ mode: "failover" }) }, { ...deps, config });
    expect(result.confirmed).toBe(true);
    expect(result.signals.find((s) => s.name === "alarms")?.detail).toMatch(/shop-5xx \(Threshold crossed\)/);
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
