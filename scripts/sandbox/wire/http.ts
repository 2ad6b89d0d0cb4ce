/** HTTP plumbing: SigV4 credential scope, request bodies (chunked, aws-chunked, gzip). */
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import { gunzipSync } from "node:zlib";
import { SandboxError } from "../types.js";

/**
 * The largest request body the sandbox accepts, as sent and once decompressed: 32 MiB. drctl's
 * largest requests are its S3 documents (reports of 1,000 resources are under 2 MB); the services'
 * own limits are smaller for everything but S3 objects (5 GB for one PutObject on AWS).
 */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** 413 with the protocol's error format: the body (or what it inflates to) is over the limit. */
export class BodyTooLarge extends SandboxError {
  constructor(what: string, limit: number) {
    super(
      "RequestEntityTooLarge",
      `The request body ${what} exceeds the sandbox limit of ${limit} bytes`,
      413,
    );
  }
}

export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  /** Signing name, e.g. "backup", "elasticfilesystem", "states". */
  service: string;
}

/**
 * The credential scope of a SigV4-signed request: from the `Authorization` header
 * (`AWS4-HMAC-SHA256 Credential=AKID/20260301/us-west-2/backup/aws4_request, …`) or, for presigned
 * URLs, the `X-Amz-Credential` query parameter. Signatures are not verified.
 */
export function credentialScope(
  authorization: string | undefined,
  query: URLSearchParams,
  regionSet?: string,
): CredentialScope | undefined {
  let credential: string | undefined;
  if (authorization) {
    const m = /Credential=([^,\s]+)/.exec(authorization);
    credential = m?.[1];
  } else {
    credential = query.get("X-Amz-Credential") ?? undefined;
  }
  if (!credential) return undefined;
  const parts = credential.split("/");
  if (parts.length === 5 && parts[4] === "aws4_request") {
    const [accessKeyId, date, region, service] = parts as [string, string, string, string];
    if (!region || !service) return undefined;
    return { accessKeyId, date, region, service };
  }
  // SigV4a: AKID/date/service/aws4_request, region(s) in X-Amz-Region-Set.
  if (parts.length === 4 && parts[3] === "aws4_request") {
    const [accessKeyId, date, service] = parts as [string, string, string];
    const region = regionSet?.split(",")[0]?.trim();
    if (!region || region === "*" || !service) return undefined;
    return { accessKeyId, date, region, service };
  }
  return undefined;
}

/**
 * Reads a request body. aws-chunked payloads are decoded and the headers normalized the way S3
 * does (`aws-chunked` dropped from Content-Encoding, Content-Length = the decoded length), so the
 * bound members see the object's own values. Returns the (possibly adjusted) headers.
 */
export async function readBody(
  req: IncomingMessage,
  limit = MAX_BODY_BYTES,
): Promise<{ body: Buffer; headers: IncomingHttpHeaders }> {
  // Refused before reading when the declared length is over the limit, else while streaming.
  if (Number(req.headers["content-length"] ?? 0) > limit) throw new BodyTooLarge("(Content-Length)", limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge("as sent", limit);
    chunks.push(chunk as Buffer);
  }
  let body: Buffer = Buffer.concat(chunks);
  const headers: IncomingHttpHeaders = { ...req.headers };
  const encodings = contentEncodings(headers);
  const sha = String(headers["x-amz-content-sha256"] ?? "");
  if (encodings.includes("aws-chunked") || sha.startsWith("STREAMING-")) {
    body = decodeAwsChunked(body);
    const rest = encodings.filter((e) => e !== "aws-chunked");
    if (rest.length > 0) headers["content-encoding"] = rest.join(",");
    else delete headers["content-encoding"];
    headers["content-length"] = String(body.length);
    delete headers["x-amz-decoded-content-length"];
  }
  return { body, headers };
}

function contentEncodings(headers: IncomingHttpHeaders): string[] {
  return String(headers["content-encoding"] ?? "")
    .split(",")
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e.length > 0);
}

/** SDK request compression (gzip) for services where Content-Encoding is not object metadata (all but S3). */
export function gunzipRequest(body: Buffer, headers: IncomingHttpHeaders, limit = MAX_BODY_BYTES): Buffer {
  const encodings = contentEncodings(headers);
  if (!encodings.includes("gzip")) return body;
  const rest = encodings.filter((e) => e !== "gzip");
  if (rest.length > 0) headers["content-encoding"] = rest.join(",");
  else delete headers["content-encoding"];
  try {
    // zlib stops inflating as soon as the output passes maxOutputLength (it never inflates it all).
    return gunzipSync(body, { maxOutputLength: limit });
  } catch (e) {
    if ((e as { code?: string }).code === "ERR_BUFFER_TOO_LARGE")
      throw new BodyTooLarge("once decompressed", limit);
    throw e;
  }
}

/**
 * aws-chunked payloads (S3 uploads from the SDKs and the CLI with flexible checksums):
 * `<hex size>[;chunk-signature=…]\r\n<data>\r\n` … `0[;…]\r\n[trailers\r\n]\r\n`.
 */
export function decodeAwsChunked(body: Buffer): Buffer {
  const out: Buffer[] = [];
  let i = 0;
  for (;;) {
    const eol = body.indexOf("\r\n", i);
    if (eol < 0) throw new Error("aws-chunked: missing chunk header");
    const header = body.subarray(i, eol).toString("latin1");
    const size = Number.parseInt(header.split(";")[0] ?? "", 16);
    if (Number.isNaN(size)) throw new Error(`aws-chunked: bad chunk header ${header}`);
    i = eol + 2;
    if (size === 0) break;
    out.push(body.subarray(i, i + size));
    i += size + 2;
  }
  return Buffer.concat(out);
}
