/**
 * Tags used in IAM conditions take effect a little after TagResource/CreateTags (tagging is
 * eventually consistent): an access-denied answer right after drctl tagged the resource is retried
 * (AwsTransient, which every Task retries), while one long after a tag, or on a resource drctl did
 * not tag, stays final (AwsCallFailed).
 */
import { AttachVolumeCommand, CreateTagsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resetApis } from "../../../functions/shared/aws/clients.js";
import { ec2Api } from "../../../functions/shared/aws/ec2.js";
import { useClock } from "../../../functions/shared/clock.js";
import { awsError } from "./helpers.js";

const ec2 = mockClient(EC2Client);
const api = ec2Api(new EC2Client({ region: "us-west-2" }));
let clock = new Date("2026-03-01T09:00:00Z");
const denied = (resource: string) =>
  awsError(
    "UnauthorizedOperation",
    `You are not authorized to perform this operation. User: arn:aws:sts::1:assumed-role/r/drctl-integrate is not authorized to perform: ec2:AttachVolume on resource: ${resource} because no identity-based policy allows the ec2:AttachVolume action.`,
    403,
  );

beforeEach(() => {
  ec2.reset();
  resetApis();
  clock = new Date("2026-03-01T09:00:00Z");
  useClock(() => clock);
});
afterEach(() => useClock(undefined));

describe("access denied right after drctl tagged the resource", () => {
  it("is retried (AwsTransient) while the tag is fresh", async () => {
    ec2.on(CreateTagsCommand).resolves({});
    ec2.on(AttachVolumeCommand).rejects(denied("arn:aws:ec2:us-west-2:1:volume/vol-1"));
    await api.createTags(["vol-1"], { "drctl:app": "shop" });
    clock = new Date(clock.getTime() + 2_000);
    const err = await api.attachVolume("vol-1", "i-1", "/dev/sdf").catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "AwsTransient", retryable: true });
    expect((err as Error).message).toContain("ec2:AttachVolume failed for vol-1 to i-1 as /dev/sdf");
    expect((err as Error).message).toContain("tagged vol-1 2 s ago");
  });

  it("is final (AwsCallFailed) once the tag is old", async () => {
    ec2.on(CreateTagsCommand).resolves({});
    ec2.on(AttachVolumeCommand).rejects(denied("arn:aws:ec2:us-west-2:1:volume/vol-1"));
    await api.createTags(["vol-1"], { "drctl:app": "shop" });
    clock = new Date(clock.getTime() + 10 * 60_000);
    await expect(api.attachVolume("vol-1", "i-1", "/dev/sdf")).rejects.toMatchObject({
      name: "AwsCallFailed",
    });
  });

  it("is final (AwsCallFailed) on a resource drctl did not tag", async () => {
    ec2.on(CreateTagsCommand).resolves({});
    ec2.on(AttachVolumeCommand).rejects(denied("arn:aws:ec2:us-west-2:1:volume/vol-2"));
    await api.createTags(["vol-1"], { "drctl:app": "shop" });
    await expect(api.attachVolume("vol-2", "i-1", "/dev/sdf")).rejects.toMatchObject({
      name: "AwsCallFailed",
    });
  });

  it("other errors after a fresh tag keep their usual mapping", async () => {
    ec2.on(CreateTagsCommand).resolves({});
    ec2.on(AttachVolumeCommand).rejects(awsError("InvalidParameterValue", "bad device", 400));
    await api.createTags(["vol-1"], { "drctl:app": "shop" });
    await expect(api.attachVolume("vol-1", "i-1", "/dev/xx")).rejects.toMatchObject({
      name: "AwsCallFailed",
    });
  });
});
