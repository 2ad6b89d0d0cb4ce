import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { clientConfig, memoClient } from "./clients.js";
import { callAws } from "./errors.js";

/** An object's text and its entity tag. */
export interface StoredText {
  text: string;
  etag?: string;
}

/** A conditional write: only over this entity tag (If-Match), or only where no object is (If-None-Match: *). */
export type WriteCondition = { ifMatch: string } | { ifNoneMatch: "*" };

/** The Amazon S3 operations drctl uses. */
export interface S3Api {
  /** GetObject as text; undefined when NoSuchKey. */
  getText(bucket: string, key: string): Promise<string | undefined>;
  /** GetObject as text with its ETag; undefined when NoSuchKey. */
  getObject(bucket: string, key: string): Promise<StoredText | undefined>;
  /**
   * PutObject under a condition: the new ETag, or undefined when the condition did not hold
   * (412 PreconditionFailed, 409 ConditionalRequestConflict, or 404 for If-Match on no object).
   */
  putTextIf(
    bucket: string,
    key: string,
    body: string,
    contentType: string,
    condition: WriteCondition,
  ): Promise<{ etag: string | undefined } | undefined>;
  /** PutObject (SSE-S3 is the bucket default). */
  putText(bucket: string, key: string, body: string, contentType: string): Promise<void>;
  /** DeleteObject (a missing key is no error: S3 answers 204 either way). */
  deleteObject(bucket: string, key: string): Promise<void>;
}

/** Errors of a conditional PutObject that mean "the object is not as the condition said". */
const CONDITION_FAILED = new Set(["PreconditionFailed", "ConditionalRequestConflict", "NoSuchKey"]);

export function s3Api(client: S3Client): S3Api {
  const getObject = (bucket: string, key: string) =>
    callAws<StoredText | undefined>(
      "s3",
      "GetObject",
      `s3://${bucket}/${key}`,
      async () => {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        const text = out.Body ? await out.Body.transformToString("utf-8") : "";
        return out.ETag === undefined ? { text } : { text, etag: out.ETag };
      },
      // A missing key is NoSuchKey (404); a missing bucket is NoSuchBucket (also 404) and stays an error.
      (err) =>
        err.code === "NoSuchKey" || (err.status === 404 && err.code !== "NoSuchBucket")
          ? { value: undefined }
          : undefined,
    );
  return {
    getText: async (bucket, key) => (await getObject(bucket, key))?.text,
    getObject,
    putTextIf: (bucket, key, body, contentType, condition) =>
      callAws(
        "s3",
        "PutObject",
        `s3://${bucket}/${key}`,
        async () => {
          const out = await client.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: key,
              Body: body,
              ContentType: contentType,
              ...("ifMatch" in condition
                ? { IfMatch: condition.ifMatch }
                : { IfNoneMatch: condition.ifNoneMatch }),
            }),
          );
          return { etag: out.ETag };
        },
        (err) => (CONDITION_FAILED.has(err.code) || err.status === 412 ? { value: undefined } : undefined),
      ),
    putText: (bucket, key, body, contentType) =>
      callAws("s3", "PutObject", `s3://${bucket}/${key}`, async () => {
        await client.send(
          new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }),
        );
      }),
    deleteObject: (bucket, key) =>
      callAws("s3", "DeleteObject", `s3://${bucket}/${key}`, async () => {
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      }),
  };
}

/** The wrapper for this container and region (one client per service and region). */
export const s3For = (region: string): S3Api =>
  memoClient(`s3:${region}`, () => s3Api(new S3Client(clientConfig("S3", region))));
