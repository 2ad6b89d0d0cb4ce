/**
 * SNS and S3 in the sandbox through the SDK v3 clients: topics and buckets exist once created,
 * Publish's limits, objects' ETag, encryption and listing. Sources in docs/fidelity.md,
 * "Route 53, SNS, S3".
 */
import { createHash } from "node:crypto";
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { CreateTopicCommand, PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { afterAll, describe, expect, it } from "vitest";
import { closeWorlds, rejection, worldWire } from "./world-wire.js";

afterAll(closeWorlds);

describe("SNS Publish", () => {
  it("publishes to a topic that exists; one that does not (or of another region) is NotFound", async () => {
    // Prepare
    const w = await worldWire();
    const sns = new SNSClient(w.config());
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "drctl-shop" }));
    const again = await sns.send(new CreateTopicCommand({ Name: "drctl-shop" }));
    // Act
    const ok = await sns.send(new PublishCommand({ TopicArn, Subject: "s".repeat(100), Message: "hi" }));
    const missing = await rejection(
      sns.send(new PublishCommand({ TopicArn: `${TopicArn}-nope`, Message: "hi" })),
    );
    const elsewhere = await rejection(
      new SNSClient(w.config("us-east-1")).send(new PublishCommand({ TopicArn, Message: "hi" })),
    );
    // Assess
    expect(TopicArn).toBe("arn:aws:sns:us-west-2:111122223333:drctl-shop");
    expect(again.TopicArn).toBe(TopicArn);
    expect(ok.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect([missing.name, missing.message]).toEqual(["NotFoundException", "Topic does not exist"]);
    expect(elsewhere.name).toBe("NotFoundException");
    expect(w.world.inspect().messages).toEqual([
      expect.objectContaining({ topicArn: TopicArn, subject: "s".repeat(100), message: "hi" }),
    ]);
  });

  it("refuses a Subject over 100 characters, empty or with a line break, an empty Message and one over 256 KiB (InvalidParameter)", async () => {
    // Prepare
    const w = await worldWire();
    const sns = new SNSClient(w.config());
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "t" }));
    const publish = (Subject: string | undefined, Message: string) =>
      rejection(
        sns.send(new PublishCommand({ TopicArn, Message, ...(Subject !== undefined && { Subject }) })),
      );
    // Act
    const errors = await Promise.all([
      publish("s".repeat(101), "m"),
      publish("", "m"),
      publish("two\nlines", "m"),
      publish(undefined, ""),
      publish(undefined, "é".repeat(131_073)),
      rejection(sns.send(new PublishCommand({ Message: "m" }))),
    ]);
    // Assess
    expect(errors.map((e) => [e.name, e.message])).toEqual([
      ["InvalidParameterException", "Invalid parameter: Subject"],
      ["InvalidParameterException", "Invalid parameter: Subject"],
      ["InvalidParameterException", "Invalid parameter: Subject"],
      ["InvalidParameterException", "Invalid parameter: Empty message"],
      ["InvalidParameterException", "Invalid parameter: Message too long"],
      [
        "InvalidParameterException",
        "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter",
      ],
    ]);
  });
});

describe("S3 buckets and objects", () => {
  it("a bucket exists once created (in us-west-2 with its LocationConstraint); any call on another is NoSuchBucket", async () => {
    // Prepare
    const w = await worldWire();
    const s3 = new S3Client({ ...w.config(), forcePathStyle: true });
    // Act
    // (The SDK fills the endpoint's region in as LocationConstraint when none is given.)
    const otherRegion = await rejection(
      s3.send(
        new CreateBucketCommand({
          Bucket: "artifacts",
          CreateBucketConfiguration: { LocationConstraint: "eu-west-1" },
        }),
      ),
    );
    await s3.send(
      new CreateBucketCommand({
        Bucket: "artifacts",
        CreateBucketConfiguration: { LocationConstraint: "us-west-2" },
      }),
    );
    const twice = await rejection(
      s3.send(
        new CreateBucketCommand({
          Bucket: "artifacts",
          CreateBucketConfiguration: { LocationConstraint: "us-west-2" },
        }),
      ),
    );
    const put = await rejection(s3.send(new PutObjectCommand({ Bucket: "nope", Key: "k", Body: "x" })));
    const get = await rejection(s3.send(new GetObjectCommand({ Bucket: "nope", Key: "k" })));
    const list = await rejection(s3.send(new ListObjectsV2Command({ Bucket: "nope" })));
    // Assess
    expect([otherRegion.name, otherRegion.message]).toEqual([
      "IllegalLocationConstraintException",
      "The eu-west-1 location constraint is incompatible for the region specific endpoint this request was sent to.",
    ]);
    expect(twice.name).toBe("BucketAlreadyOwnedByYou");
    expect([put, get, list].map((e) => [e.name, e.message])).toEqual([
      ["NoSuchBucket", "The specified bucket does not exist"],
      ["NoSuchBucket", "The specified bucket does not exist"],
      ["NoSuchBucket", "The specified bucket does not exist"],
    ]);
  });

  it("stores an object with its MD5 ETag and SSE-S3; a missing key is NoSuchKey (GetObject) or NotFound (HeadObject); DeleteObject of a missing key succeeds", async () => {
    // Prepare
    const w = await worldWire();
    const s3 = new S3Client({ ...w.config(), forcePathStyle: true });
    const CreateBucketConfiguration = { LocationConstraint: "us-west-2" as const };
    await s3.send(new CreateBucketCommand({ Bucket: "artifacts", CreateBucketConfiguration }));
    // Act
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: "artifacts",
        Key: "runs/r/plan.json",
        Body: "{}",
        ContentType: "application/json",
      }),
    );
    const got = await s3.send(new GetObjectCommand({ Bucket: "artifacts", Key: "runs/r/plan.json" }));
    const head = await s3.send(new HeadObjectCommand({ Bucket: "artifacts", Key: "runs/r/plan.json" }));
    const noKey = await rejection(s3.send(new GetObjectCommand({ Bucket: "artifacts", Key: "nope" })));
    const noHead = await rejection(s3.send(new HeadObjectCommand({ Bucket: "artifacts", Key: "nope" })));
    const deleted = await s3.send(new DeleteObjectCommand({ Bucket: "artifacts", Key: "nope" }));
    // Assess
    const md5 = `"${createHash("md5").update("{}").digest("hex")}"`;
    expect(put).toMatchObject({ ETag: md5, ServerSideEncryption: "AES256" });
    expect(await got.Body?.transformToString()).toBe("{}");
    expect(got).toMatchObject({ ETag: md5, ContentLength: 2, ContentType: "application/json" });
    expect(head).toMatchObject({ ETag: md5, ContentLength: 2, ServerSideEncryption: "AES256" });
    expect([noKey.name, noKey.message]).toEqual(["NoSuchKey", "The specified key does not exist."]);
    expect(noHead.name).toBe("NotFound");
    expect(deleted.$metadata.httpStatusCode).toBe(204);
  });

  it("PutObject with If-Match writes only over that ETag, with If-None-Match: * only where no object is", async () => {
    // Prepare
    const w = await worldWire();
    const s3 = new S3Client({ ...w.config(), forcePathStyle: true });
    const CreateBucketConfiguration = { LocationConstraint: "us-west-2" as const };
    await s3.send(new CreateBucketCommand({ Bucket: "artifacts", CreateBucketConfiguration }));
    const put = (Body: string, condition: { IfMatch?: string; IfNoneMatch?: string }) =>
      s3.send(new PutObjectCommand({ Bucket: "artifacts", Key: "runs/r/jobs.json", Body, ...condition }));
    // Act
    const created = await put("v1", { IfNoneMatch: "*" });
    const again = await rejection(put("v1 again", { IfNoneMatch: "*" }));
    const updated = await put("v2", { IfMatch: created.ETag ?? "" });
    const stale = await rejection(put("v2 late", { IfMatch: created.ETag ?? "" }));
    const missing = await rejection(
      s3.send(
        new PutObjectCommand({ Bucket: "artifacts", Key: "nope", Body: "x", IfMatch: created.ETag ?? "" }),
      ),
    );
    const got = await s3.send(new GetObjectCommand({ Bucket: "artifacts", Key: "runs/r/jobs.json" }));
    // Assess
    expect([again.name, again.message]).toEqual([
      "PreconditionFailed",
      "At least one of the pre-conditions you specified did not hold",
    ]);
    expect(stale.name).toBe("PreconditionFailed");
    expect(missing.name).toBe("NoSuchKey");
    expect(updated.ETag).not.toBe(created.ETag);
    expect(await got.Body?.transformToString()).toBe("v2");
  });

  it("ListObjectsV2 lists keys in UTF-8 binary order from Prefix and StartAfter, MaxKeys at a time with a continuation token", async () => {
    // Prepare
    const w = await worldWire();
    const s3 = new S3Client({ ...w.config(), forcePathStyle: true });
    await s3.send(
      new CreateBucketCommand({
        Bucket: "b",
        CreateBucketConfiguration: { LocationConstraint: "us-west-2" },
      }),
    );
    for (const Key of ["runs/b", "runs/B", "runs/a-1", "runs/a/1", "other/x"])
      await s3.send(new PutObjectCommand({ Bucket: "b", Key, Body: Key }));
    // Act
    const first = await s3.send(new ListObjectsV2Command({ Bucket: "b", Prefix: "runs/", MaxKeys: 2 }));
    const rest = await s3.send(
      new ListObjectsV2Command({
        Bucket: "b",
        Prefix: "runs/",
        ContinuationToken: first.NextContinuationToken,
      }),
    );
    const after = await s3.send(new ListObjectsV2Command({ Bucket: "b", StartAfter: "runs/a/1" }));
    // Assess
    expect(first.Contents?.map((o) => o.Key)).toEqual(["runs/B", "runs/a-1"]);
    expect(first).toMatchObject({ IsTruncated: true, KeyCount: 2, MaxKeys: 2 });
    expect(rest.Contents?.map((o) => o.Key)).toEqual(["runs/a/1", "runs/b"]);
    expect(rest.IsTruncated).toBe(false);
    expect(after.Contents?.map((o) => o.Key)).toEqual(["runs/b"]);
  });
});
