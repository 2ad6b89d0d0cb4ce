/**
 * A sandbox world behind the sandbox HTTP server, for tests that call it through the real SDK v3
 * clients (the wire protocols, the SDK's own error parsing). Strict: an output member the model
 * lacks is a 500. `closeWorlds` stops every server started.
 */
import { VirtualClock } from "../../../scripts/sandbox/clock.js";
import type { Scenario } from "../../../scripts/sandbox/scenario.js";
import { type SandboxServer, startServer } from "../../../scripts/sandbox/server.js";
import { createWorld, type World } from "../../../scripts/sandbox/world/index.js";
import { scenarioOf } from "./world-helpers.js";

export interface WorldWire {
  scenario: Scenario;
  clock: VirtualClock;
  world: World;
  /** SDK client configuration for a region (administrator credentials, no SDK retries). */
  config(region?: string): {
    endpoint: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
    maxAttempts: number;
  };
}

const servers: SandboxServer[] = [];

export async function worldWire(scenario: Scenario = scenarioOf()): Promise<WorldWire> {
  const clock = new VirtualClock(scenario.start);
  const world = createWorld(scenario, clock, { port: 0 });
  const server = await startServer({ backend: world, strict: true });
  world.setPort(server.port);
  servers.push(server);
  return {
    scenario,
    clock,
    world,
    config: (region = scenario.regions.recovery) => ({
      endpoint: server.url,
      region,
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      maxAttempts: 1,
    }),
  };
}

export async function closeWorlds(): Promise<void> {
  await Promise.all(servers.splice(0).map((s) => s.close()));
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { name: string; message: string };
  }
  throw new Error("expected the call to fail, it succeeded");
}
