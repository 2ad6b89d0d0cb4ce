/**
 * drctl's EC2 wrapper against the sandbox world (SDK → wire → world), which enforces EC2's limits:
 * DescribeInstanceStatus takes at most 100 instance ids, a Describe call at most 200 filter values.
 * The wrapper splits long id lists so that fleets of any size work.
 */
import { EC2Client } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { detect } from "../../../functions/detect/detect.js";
import { ec2Api } from "../../../functions/shared/aws/ec2.js";
import { type SandboxServer, startServer } from "../../../scripts/sandbox/server.js";
import { launchInstance } from "../../../scripts/sandbox/world/services/ec2.js";
import { appConfig, runContext } from "../../support/fixtures.js";
import { type Harness, harness, scenarioOf } from "../sandbox/world-helpers.js";

const FLEET = 250;
let h: Harness;
let server: SandboxServer;
const ids: string[] = [];
const volumeIds: string[] = [];

const client = (region: string) =>
  new EC2Client({
    region,
    endpoint: server.url,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });

beforeAll(async () => {
  h = harness(scenarioOf());
  const t0 = h.clock.now().getTime() - 3600_000;
  for (const region of [h.world.recovery, h.world.primary]) {
    const subnet = [...region.subnets.keys()][0] ?? "";
    for (let i = 0; i < FLEET; i++) {
      const inst = launchInstance(h.world, region, t0, { subnetId: subnet, tags: { fleet: "big" } });
      if (region === h.world.recovery) ids.push(inst.id);
    }
  }
  for (let i = 0; i < FLEET; i++) {
    const id = `vol-0${String(i).padStart(16, "0")}`;
    volumeIds.push(id);
    h.world.recovery.volumes.set(id, {
      id,
      arn: `arn:aws:ec2:us-west-2:111122223333:volume/${id}`,
      az: "us-west-2a",
      sizeGiB: 8,
      volumeType: "gp3",
      encrypted: true,
      iops: 3000,
      createdAt: t0,
      readyAt: t0,
      tags: { fleet: "big" },
    });
  }
  server = await startServer({ backend: h.world });
});

afterAll(async () => {
  await server?.close();
});

describe("EC2 wrapper: id lists longer than one call may carry", () => {
  it("describeInstanceStatus splits 250 ids into calls of at most 100", async () => {
    const ec2 = ec2Api(client(h.scenario.regions.recovery));
    const statuses = await ec2.describeInstanceStatus(ids);
    expect(statuses.map((s) => s.id).sort()).toEqual([...ids].sort());
    expect(statuses.every((s) => s.state === "running" && s.instanceStatus === "ok")).toBe(true);
  });

  it("describeInstances and describeVolumes split 250 ids over calls of at most 200 filter values", async () => {
    const ec2 = ec2Api(client(h.scenario.regions.recovery));
    const instances = await ec2.describeInstances({ ids, tags: { fleet: "big" }, states: ["running"] });
    const volumes = await ec2.describeVolumes({ ids: volumeIds, tags: { fleet: "big" } });
    expect(instances.map((i) => i.id).sort()).toEqual([...ids].sort());
    expect(volumes.map((v) => v.id).sort()).toEqual([...volumeIds].sort());
  });

  it("detect checks the status of a primary fleet of 250 tagged instances", async () => {
    // Prepare
    const config = appConfig({ detect: { primaryInstanceTag: "fleet=big", alarmNames: [] } });
    const run = runContext({ mode: "failover" });
    const cloudwatch = { describeAlarms: async () => [] };

    // Act
    const result = await detect(
      { run: { ...run, force: true } },
      { ec2: ec2Api(client(h.scenario.regions.primary)), cloudwatch, config, fetch, healthTimeoutMs: 5000 },
    );

    // Assess
    const signal = result.signals.find((s) => s.name === "ec2-status");
    expect(signal).toMatchObject({
      healthy: true,
      detail: "250 running instances tagged fleet=big pass status checks",
    });
  });
});
