/**
 * Outputs that typing the world's handlers by the SDK clients (world/handlers.ts) showed to differ
 * from what the real APIs return, read back through the real SDK v3 clients over the strict wire
 * (an output member the model does not know is a 500 there).
 */
import { DescribeInstanceStatusCommand, EC2Client, TerminateInstancesCommand } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VirtualClock } from "../../../scripts/sandbox/clock.js";
import type { Scenario } from "../../../scripts/sandbox/scenario.js";
import { type SandboxServer, startServer } from "../../../scripts/sandbox/server.js";
import { createWorld, type World } from "../../../scripts/sandbox/world/index.js";
import { scenarioOf } from "./world-helpers.js";

let scenario: Scenario;
let clock: VirtualClock;
let world: World;
let server: SandboxServer;

const client = <C>(Client: new (config: object) => C, region = scenario.regions.recovery): C =>
  new Client({
    endpoint: server.url,
    region,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });

beforeAll(async () => {
  scenario = scenarioOf();
  clock = new VirtualClock(scenario.start);
  world = createWorld(scenario, clock, { port: 0 });
  server = await startServer({ backend: world, strict: true });
  world.setPort(server.port);
});

afterAll(async () => {
  await server?.close();
});

describe("outputs as the SDK models define them", () => {
  it("EC2 DescribeInstanceStatus: an instance that is not running has a not-applicable summary and no checks", async () => {
    // Prepare
    const ec2 = client(EC2Client, scenario.regions.primary);
    const [running, stopping] = [...world.primary.instances.keys()];
    if (!running || !stopping) throw new Error("the primary has fewer than two instances");
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [stopping] }));
    // Act
    const out = await ec2.send(
      new DescribeInstanceStatusCommand({ InstanceIds: [running, stopping], IncludeAllInstances: true }),
    );
    // Assess
    const byId = new Map(out.InstanceStatuses?.map((s) => [s.InstanceId, s]));
    expect(byId.get(stopping)?.InstanceState?.Name).toBe("shutting-down");
    expect(byId.get(stopping)?.InstanceStatus).toEqual({ Status: "not-applicable" });
    expect(byId.get(stopping)?.SystemStatus).toEqual({ Status: "not-applicable" });
    expect(byId.get(running)?.InstanceStatus).toEqual({
      Status: "ok",
      Details: [{ Name: "reachability", Status: "passed" }],
    });
  });
});
