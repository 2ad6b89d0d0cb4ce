import type { S3Client } from "@aws-sdk/client-s3";

/** The Amazon S3 operations drctl uses. */
export interface S3Api {
  /** GetObject as text; undefined when NoSuchKey. */
  getText(bucket: string, key: string): Promise<string | undefined>;
  /** PutObject (SSE-S3 is the bucket default). */
  putText(bucket: string, key: string, body: string, contentType: string): Promise<void>;
}

export function s3Api(_client: S3Client): S3Api {
  throw new Error("s3Api: not implemented yet");
}
