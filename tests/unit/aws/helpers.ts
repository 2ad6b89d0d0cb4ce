/** Helpers for the SDK wrapper tests: SDK-shaped errors and streaming bodies. */
import type { GetObjectCommandOutput } from "@aws-sdk/client-s3";

/** An error shaped like an SDK v3 service exception (name = AWS error code). */
export function awsError(
  code: string,
  message: string,
  status = 400,
  extra: Record<string, unknown> = {},
): Error {
  return Object.assign(new Error(message), {
    name: code,
    $fault: status >= 500 ? "server" : "client",
    $metadata: { httpStatusCode: status },
    ...extra,
  });
}

/** A Node network error (no HTTP response). */
export function networkError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:4566`), { code });
}

/** A GetObject body with transformToString, as the SDK returns. */
export function body(text: string): NonNullable<GetObjectCommandOutput["Body"]> {
  return {
    transformToString: async () => text,
  } as unknown as NonNullable<GetObjectCommandOutput["Body"]>;
}
