/**
 * IAM inside the world: calls are authorized before the service acts, with the tags IAM sees on
 * the resource; a tag change counts in IAM conditions only TAG_PROPAGATION_SECONDS after the call
 * that made it (tagging is eventually consistent).
 */
import { beforeEach, describe, expect, it } from "vitest";
import { AppConfig } from "../../../functions/shared/config.js";
import { TAG_PROPAGATION_SECONDS } from "../../../scripts/sandbox/iam/index.js";
import { functionCredentials } from "../../../scripts/sandbox/iam/principals.js";
import { sandboxIam } from "../../../scripts/sandbox/iam/setup.js";
import { synthesized } from "../../../scripts/sandbox/iam/synthesized.js";
import { deploymentNames, sandboxConfig } from "../../../scripts/sandbox/runner.js";
import type { SandboxError } from "../../../scripts/sandbox/types.js";
import { exampleHarness, type Harness } from "./world-helpers.js";

let h: Harness;
const integrate = { accessKeyId: functionCredentials("integrate").accessKeyId };
const attach = { VolumeId: "vol-0aaaaaaaaaaaaaaaa", InstanceId: "i-0bbbbbbbbbbbbbbbb", Device: "/dev/sdf" };

beforeEach(async () => {
  h = await exampleHarness("shop-drill.yaml");
  const config = AppConfig.parse(sandboxConfig(h.scenario));
  const names = deploymentNames(h.scenario);
  h.world.useIam(sandboxIam(config, names, (await synthesized(config, names)).roles));
  const r = h.world.recovery;
  const now = h.clock.now().getTime();
  const subnet = [...r.subnets.values()][0];
  if (!subnet) throw new Error("no DR subnet");
  r.instances.set(attach.InstanceId, {
    id: attach.InstanceId,
    arn: `arn:aws:ec2:${r.name}:${h.world.account}:instance/${attach.InstanceId}`,
    instanceType: "m5.large",
    imageId: "ami-0123",
    az: subnet.az,
    subnetId: subnet.id,
    vpcId: subnet.vpcId,
    sgIds: [],
    privateIp: "10.0.0.10",
    healthy: true,
    createdAt: now,
    readyAt: now,
    tags: { "drctl:app": h.world.app },
  });
  r.volumes.set(attach.VolumeId, {
    id: attach.VolumeId,
    arn: `arn:aws:ec2:${r.name}:${h.world.account}:volume/${attach.VolumeId}`,
    az: subnet.az,
    sizeGiB: 10,
    volumeType: "gp3",
    encrypted: true,
    iops: 3000,
    createdAt: now,
    readyAt: now,
    tags: {},
  });
});

const call = (operation: string, input: Record<string, unknown>) =>
  h.world.call({ service: "ec2", operation, region: h.scenario.regions.recovery, input }, integrate);
const refusal = (operation: string, input: Record<string, unknown>) =>
  call(operation, input).then(
    () => undefined,
    (e: unknown) => e as SandboxError,
  );

describe("IAM in the world", () => {
  it("authorizes before the service acts: a refused AttachVolume changes nothing", async () => {
    const err = await refusal("AttachVolume", attach);
    expect(err?.code).toBe("UnauthorizedOperation");
    expect(h.world.recovery.volumes.get(attach.VolumeId)?.attachment).toBeUndefined();
    expect(h.world.calls.at(-1)).toMatchObject({ operation: "AttachVolume", error: "UnauthorizedOperation" });
  });

  it("a fresh tag counts in aws:ResourceTag conditions only after the propagation delay", async () => {
    const tags = [
      { Key: "drctl:app", Value: h.world.app },
      { Key: "drctl:mode", Value: "drill" },
    ];
    await call("CreateTags", { Resources: [attach.VolumeId], Tags: tags });
    expect(h.world.recovery.volumes.get(attach.VolumeId)?.tags["drctl:app"]).toBe(h.world.app);
    h.clock.advanceBy(TAG_PROPAGATION_SECONDS - 1);
    expect((await refusal("AttachVolume", attach))?.code).toBe("UnauthorizedOperation");
    h.clock.advanceBy(1);
    expect(await refusal("AttachVolume", attach)).toBeUndefined();
    expect(h.world.recovery.volumes.get(attach.VolumeId)?.attachment?.instanceId).toBe(attach.InstanceId);
  });

  it("re-tagging with the same values does not hide the tags again", async () => {
    const tags = [{ Key: "drctl:app", Value: h.world.app }];
    await call("CreateTags", { Resources: [attach.VolumeId], Tags: tags });
    h.clock.advanceBy(TAG_PROPAGATION_SECONDS);
    await call("CreateTags", { Resources: [attach.VolumeId], Tags: tags });
    expect(await refusal("AttachVolume", attach)).toBeUndefined();
  });

  it("the role may add only drctl's tags, with this app's value", async () => {
    const err = await refusal("CreateTags", {
      Resources: [attach.VolumeId],
      Tags: [{ Key: "owner", Value: "x" }],
    });
    expect(err?.code).toBe("UnauthorizedOperation");
    const other = await refusal("CreateTags", {
      Resources: [attach.VolumeId],
      Tags: [{ Key: "drctl:app", Value: "another-app" }],
    });
    expect(other?.code).toBe("UnauthorizedOperation");
  });
});
