import {
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { s3Api } from "../../../functions/shared/aws/s3.js";
import { awsError, body } from "./helpers.js";

const s3 = mockClient(S3Client);
const api = s3Api(new S3Client({ region: "us-west-2" }));

beforeEach(() => s3.reset());

describe("s3Api.getText", () => {
  it("returns the object's body as text", async () => {
    // Prepare
    s3.on(GetObjectCommand, { Bucket: "art", Key: "config/shop.json" }).resolves({ Body: body('{"a":1}') });
    // Act
    const text = await api.getText("art", "config/shop.json");
    // Assess
    expect(text).toBe('{"a":1}');
    expect(s3.commandCalls(GetObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: "art",
      Key: "config/shop.json",
    });
  });

  it("returns undefined on NoSuchKey", async () => {
    s3.on(GetObjectCommand).rejects(
      new NoSuchKey({ message: "The specified key does not exist.", $metadata: {} }),
    );
    await expect(api.getText("art", "missing.json")).resolves.toBeUndefined();
  });

  it("returns undefined on a bare 404", async () => {
    s3.on(GetObjectCommand).rejects(awsError("NotFound", "Not Found", 404));
    await expect(api.getText("art", "missing.json")).resolves.toBeUndefined();
  });

  it("fails with AwsCallFailed naming the object when the bucket does not exist", async () => {
    s3.on(GetObjectCommand).rejects(awsError("NoSuchBucket", "The specified bucket does not exist", 404));
    const err = await api.getText("nobucket", "k.json").catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "AwsCallFailed" });
    expect((err as Error).message).toBe(
      "s3:GetObject failed for s3://nobucket/k.json: NoSuchBucket: The specified bucket does not exist",
    );
  });

  it("maps SlowDown / 503 to AwsTransient", async () => {
    s3.on(GetObjectCommand).rejects(
      new S3ServiceException({
        name: "SlowDown",
        $fault: "server",
        message: "Please reduce",
        $metadata: { httpStatusCode: 503 },
      }),
    );
    await expect(api.getText("art", "k")).rejects.toMatchObject({ name: "AwsTransient" });
  });
});

describe("s3Api.putText", () => {
  it("puts the body with its content type", async () => {
    s3.on(PutObjectCommand).resolves({});
    await api.putText("art", "runs/r/plan.json", "{}\n", "application/json");
    expect(s3.commandCalls(PutObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: "art",
      Key: "runs/r/plan.json",
      Body: "{}\n",
      ContentType: "application/json",
    });
  });

  it("maps AccessDenied to AwsCallFailed", async () => {
    s3.on(PutObjectCommand).rejects(awsError("AccessDenied", "Access Denied", 403));
    await expect(api.putText("art", "k", "x", "text/plain")).rejects.toMatchObject({
      name: "AwsCallFailed",
      message: expect.stringContaining("s3://art/k: AccessDenied"),
    });
  });
});
