import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { clientConfig, memoClient } from "./clients.js";
import { callAws } from "./errors.js";

/** The Amazon S3 operations drctl uses. */
export interface S3Api {
  /** GetObject as text; undefined when NoSuchKey. */
  getText(bucket: string, key: string): Promise<string | undefined>;
  /** PutObject (SSE-S3 is the bucket default). */
  putText(bucket: string, key: string, body: string, contentType: string): Promise<void>;
  /** DeleteObject (a missing key is no error: S3 answers 204 either way). */
  deleteObject(bucket: string, key: string): Promise<void>;
}

export function s3Api(client: S3Client): S3Api {
  return {
    getText: (bucket, key) =>
      callAws<string | undefined>(
        "s3",
        "GetObject",
        `s3://${bucket}/${key}`,
        async () => {
          const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
          return out.Body ? await out.Body.transformToString("utf-8") : "";
        },
        // A missing key is NoSuchKey (404); a missing bucket is NoSuchBucket (also 404) and stays an error.
        (err) =>
          err.code === "NoSuchKey" || (err.status === 404 && err.code !== "NoSuchBucket")
            ? { value: undefined }
            : undefined,
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
