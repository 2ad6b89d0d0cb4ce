/**
 * State machine path: the DR stack's instances become Systems Manager managed instances some time
 * after they run (scenario app.ssmRegistrationSeconds). Integrate waits for them before it mounts
 * EFS with Run Command, and gives up with InstancesNotManaged when they never register.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { runScenario } from "./support.js";

let dir: string;
const DEPLOY = 2200;
const T0 = Date.parse("2026-03-01T09:00:00Z");

/**
 * scenarios/shop-drill.yaml with a stack that completes at 2200 s (after the restores, so that
 * Integrate meets fresh instances) whose instances register this long after they run.
 */
async function shopDrill(ssmRegistrationSeconds: number, expect: Record<string, unknown>): Promise<string> {
  const scenario = parse(await readFile("scenarios/shop-drill.yaml", "utf8"));
  scenario.name = `shop-ssm-${ssmRegistrationSeconds}`;
  scenario.app.deploySeconds = DEPLOY;
  scenario.app.ssmRegistrationSeconds = ssmRegistrationSeconds;
  scenario.expect = expect;
  const path = join(dir, `${scenario.name}.yaml`);
  await writeFile(path, stringify(scenario));
  return path;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "drctl-ssm-registration-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("state machine path: SSM Agent registration of the DR instances", () => {
  it("waits at Integrate until the instances are managed instances, then mounts", async () => {
    // Prepare: Integrate starts once the stack is up (2200 s); the instances register at 2600 s.
    const path = await shopDrill(400, { outcome: "SUCCEEDED", dnsChanged: false, leftovers: 0 });

    // Act
    const run = await runScenario(path);

    // Assess
    expect(run.report.outcome).toBe("SUCCEEDED");
    const world = run.world;
    const stackInstances = world?.recovery.instances.size ?? 0;
    expect(stackInstances).toBeGreaterThan(0);
    const sends = (world?.calls ?? []).filter((c) => c.operation === "SendCommand");
    expect(sends.every((c) => c.error === undefined)).toBe(true);
    expect(sends.length).toBeGreaterThan(0);
    // Integrate asked Systems Manager before the registration, and sent the mount after it.
    const asked = (world?.calls ?? []).filter((c) => c.operation === "DescribeInstanceInformation");
    expect(Date.parse(asked[0]?.at ?? "") - T0).toBeLessThan((DEPLOY + 400) * 1000);
    expect(Date.parse(sends[0]?.at ?? "") - T0).toBeGreaterThanOrEqual((DEPLOY + 400) * 1000);
    expect(run.leftovers).toEqual([]);
  });

  it("fails at Integrate with InstancesNotManaged when they do not register within 15 minutes", async () => {
    const path = await shopDrill(3600, { outcome: "FAILED", failedStep: "Integrate", leftovers: 0 });

    const run = await runScenario(path);

    expect(run.report.outcome).toBe("FAILED");
    expect(run.report.failedStep).toBe("Integrate");
    expect(run.report.error?.name).toBe("InstancesNotManaged");
    expect(run.report.error?.cause).toMatch(
      /not Systems Manager managed instances 1[5-9] minutes after launch/,
    );
    expect((run.world?.calls ?? []).filter((c) => c.operation === "SendCommand")).toEqual([]);
    expect(run.leftovers).toEqual([]);
  });
});
