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

/**
 * Answers a paginated command from pages keyed by the request's token ("" for the first page) and
 * keeps a copy of every request as sent: the SDK's paginators reuse one input object, so the
 * inputs a mock records all show the last token.
 */
export function pagesByToken<O>(pages: Record<string, O>, tokenKey = "NextToken") {
  const sent: Record<string, unknown>[] = [];
  const fake = (input: object): O => {
    const copy = { ...input } as Record<string, unknown>;
    sent.push(copy);
    const page = pages[(copy[tokenKey] as string | undefined) ?? ""];
    if (!page) throw new Error(`no page for ${tokenKey} ${String(copy[tokenKey])}`);
    return page;
  };
  return { sent, fake };
}
