/**
 * Amazon S3 (one global namespace of buckets, path-style). A bucket exists once created
 * (CreateBucket); any other bucket is NoSuchBucket. Bodies are strings.
 */
import { createHash } from "node:crypto";
import { SandboxError } from "../../types.js";
import { optNumber, optString, requireString } from "../errors.js";
import { type S3, serviceHandlers } from "../handlers.js";
import type { WorldCore } from "../model.js";
import { paginate } from "../paging.js";

function bucket(w: WorldCore, name: string) {
  const b = w.s3.get(name);
  if (!b) throw new SandboxError("NoSuchBucket", "The specified bucket does not exist", 404);
  return b;
}

const noSuchKey = () => new SandboxError("NoSuchKey", "The specified key does not exist.", 404);

function bodyText(v: unknown): string {
  if (typeof v === "string") return v;
  if (v instanceof Uint8Array) return Buffer.from(v).toString("utf8");
  if (v === undefined || v === null) return "";
  return String(v);
}

/**
 * Conditional writes (PutObject If-Match / If-None-Match, docs/fidelity.md "S3"): If-None-Match
 * takes only "*" and fails where an object exists; If-Match fails where the object's ETag
 * differs (412 PreconditionFailed) and where there is no object (404 NoSuchKey).
 */
function preconditions(current: { etag: string } | undefined, ifMatch?: string, ifNoneMatch?: string): void {
  const failed = () =>
    new SandboxError(
      "PreconditionFailed",
      "At least one of the pre-conditions you specified did not hold",
      412,
    );
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch !== "*") {
      throw new SandboxError(
        "NotImplemented",
        "A header you provided implies functionality that is not implemented",
        501,
      );
    }
    if (current) throw failed();
  }
  if (ifMatch !== undefined) {
    if (!current) throw noSuchKey();
    if (current.etag !== ifMatch) throw failed();
  }
}

export const s3Handlers = serviceHandlers<S3>()({
  CreateBucket({ world, region, input }) {
    const name = requireString("s3", input, "Bucket");
    // Outside us-east-1 the request names the endpoint's region as its location constraint.
    const constraint = input.CreateBucketConfiguration?.LocationConstraint;
    if (region.name !== "us-east-1" && constraint !== region.name) {
      throw new SandboxError(
        "IllegalLocationConstraintException",
        `The ${constraint ?? "unspecified"} location constraint is incompatible for the region specific endpoint this request was sent to.`,
        400,
      );
    }
    if (world.s3.has(name) && region.name !== "us-east-1") {
      throw new SandboxError(
        "BucketAlreadyOwnedByYou",
        "Your previous request to create the named bucket succeeded and you already own it.",
        409,
      );
    }
    if (!world.s3.has(name)) world.s3.set(name, new Map());
    return { Location: region.name === "us-east-1" ? `/${name}` : `http://${name}.s3.amazonaws.com/` };
  },

  PutObject({ world, input, now }) {
    const b = bucket(world, requireString("s3", input, "Bucket"));
    const key = requireString("s3", input, "Key");
    const body = bodyText(input.Body);
    preconditions(b.get(key), optString(input, "IfMatch"), optString(input, "IfNoneMatch"));
    const etag = `"${createHash("md5").update(body).digest("hex")}"`;
    b.set(key, {
      body,
      contentType: optString(input, "ContentType") ?? "binary/octet-stream",
      modifiedAt: now,
      etag,
    });
    return { ETag: etag, ServerSideEncryption: "AES256" };
  },

  GetObject({ world, input }) {
    const obj = bucket(world, requireString("s3", input, "Bucket")).get(requireString("s3", input, "Key"));
    if (!obj) throw noSuchKey();
    return {
      Body: obj.body,
      ContentType: obj.contentType,
      ContentLength: Buffer.byteLength(obj.body),
      ETag: obj.etag,
      LastModified: new Date(obj.modifiedAt),
      ServerSideEncryption: "AES256",
    };
  },

  HeadObject({ world, input }) {
    const obj = bucket(world, requireString("s3", input, "Bucket")).get(requireString("s3", input, "Key"));
    if (!obj) throw new SandboxError("NotFound", "Not Found", 404);
    return {
      ContentType: obj.contentType,
      ContentLength: Buffer.byteLength(obj.body),
      ETag: obj.etag,
      LastModified: new Date(obj.modifiedAt),
      ServerSideEncryption: "AES256",
    };
  },

  DeleteObject({ world, input }) {
    bucket(world, requireString("s3", input, "Bucket")).delete(requireString("s3", input, "Key"));
    return {};
  },

  ListObjectsV2({ world, input }) {
    const name = requireString("s3", input, "Bucket");
    const prefix = optString(input, "Prefix") ?? "";
    const startAfter = optString(input, "StartAfter");
    const keys = [...bucket(world, name).entries()]
      .filter(([k]) => k.startsWith(prefix) && (startAfter === undefined || k > startAfter))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const max = optNumber(input, "MaxKeys") ?? 1000;
    const page = paginate(
      keys,
      {
        max: Math.min(max, 1000),
        token: optString(input, "ContinuationToken"),
        defaultMax: 1000,
        scope: `s3:${name}:${prefix}`,
      },
      () => new SandboxError("InvalidArgument", "The continuation token provided is incorrect", 400),
    );
    return {
      Name: name,
      Prefix: prefix,
      MaxKeys: max,
      KeyCount: page.items.length,
      IsTruncated: page.next !== undefined,
      Contents: page.items.map(([Key, o]) => ({
        Key,
        Size: Buffer.byteLength(o.body),
        ETag: o.etag,
        LastModified: new Date(o.modifiedAt),
        StorageClass: "STANDARD",
      })),
      ...(optString(input, "ContinuationToken")
        ? { ContinuationToken: optString(input, "ContinuationToken") }
        : {}),
      ...(page.next ? { NextContinuationToken: page.next } : {}),
    };
  },
});
