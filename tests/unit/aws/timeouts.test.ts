/**
 * Every SDK client drctl builds has connection and request timeouts, so a black-holed endpoint (a
 * server that accepts the connection and never answers, as a failing region can) ends in a
 * TimeoutError that the SDK retries and drctl maps to AwsTransient, instead of a call that hangs.
 * Detect counts that as evidence of the outage. Real SDK clients, a real TCP black hole.
 */

import { createServer, type Server, type Socket } from "node:net";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { EC2Client } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { detect } from "../../../functions/detect/detect.js";
import { CLIENT_TIMEOUTS, clientConfig, MAX_ATTEMPTS } from "../../../functions/shared/aws/clients.js";
import { cloudWatchApi } from "../../../functions/shared/aws/cloudwatch.js";
import { ec2Api } from "../../../functions/shared/aws/ec2.js";
import { appConfig, runContext } from "../../support/fixtures.js";

let server: Server;
let url = "";
const sockets = new Set<Socket>();
let accepted = 0;

beforeAll(async () => {
  server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
    // Reads the request, never answers.
    socket.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Fails the test instead of hanging it when the call never returns. */
async function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not return within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, limit]);
  } finally {
    clearTimeout(timer);
  }
}

const fast = { connectionTimeoutMs: 200, requestTimeoutMs: 300 };
const env = { AWS_ENDPOINT_URL: "" } as NodeJS.ProcessEnv;

describe("SDK client timeouts", () => {
  it("every client gets a connection and a request timeout that throw", () => {
    const config = clientConfig("EC2", "us-east-1", {});
    expect(config.requestHandler).toEqual({
      connectionTimeout: CLIENT_TIMEOUTS.connectionTimeoutMs,
      requestTimeout: CLIENT_TIMEOUTS.requestTimeoutMs,
      throwOnRequestTimeout: true,
    });
    // Detect's 60 s Task budget holds every attempt of a black-holed call.
    expect(MAX_ATTEMPTS * CLIENT_TIMEOUTS.requestTimeoutMs).toBeLessThan(50_000);
  });

  it("a black-holed endpoint ends in AwsTransient after the SDK's attempts, each cut by the request timeout", async () => {
    // Prepare
    const before = accepted;
    const ec2 = ec2Api(
      new EC2Client(clientConfig("EC2", "us-east-1", { ...env, AWS_ENDPOINT_URL: url }, fast)),
    );

    // Act
    const started = Date.now();
    const err = await within(15_000, "DescribeInstanceStatus", ec2.describeInstanceStatus()).catch(
      (e: unknown) => e,
    );

    // Assess
    expect(err).toMatchObject({ name: "AwsTransient" });
    expect((err as Error).message).toMatch(
      /^ec2:DescribeInstanceStatus failed for \(all\): ETIMEDOUT: .*exceeded the configured 300 ms requestTimeout/,
    );
    expect(accepted - before).toBe(MAX_ATTEMPTS);
    expect(Date.now() - started).toBeGreaterThanOrEqual(MAX_ATTEMPTS * fast.requestTimeoutMs);
  });

  it("Detect counts an unreachable primary-region API as evidence of the outage", async () => {
    // Prepare: EC2 and CloudWatch of the primary region are black holes
    const primary = (service: "EC2" | "CLOUDWATCH") =>
      clientConfig(service, "us-east-1", { ...env, AWS_ENDPOINT_URL: url }, fast);
    const config = appConfig({
      detect: { primaryInstanceTag: "app=shop", alarmNames: ["shop-5xx"] },
    });

    // Act
    const result = await within(
      20_000,
      "detect",
      detect(
        { run: runContext({ mode: "failover" }) },
        {
          ec2: ec2Api(new EC2Client(primary("EC2"))),
          cloudwatch: cloudWatchApi(new CloudWatchClient(primary("CLOUDWATCH"))),
          config,
          fetch,
          healthTimeoutMs: 5000,
        },
      ),
    );

    // Assess
    expect(result.confirmed).toBe(true);
    for (const name of ["ec2-status", "alarms"]) {
      const signal = result.signals.find((s) => s.name === name);
      expect(signal?.healthy, name).toBe(false);
      expect(signal?.detail, name).toMatch(/^API unreachable: .*ETIMEDOUT: .*requestTimeout/);
    }
  });
});
