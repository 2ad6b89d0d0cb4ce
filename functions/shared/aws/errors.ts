/**
 * Maps AWS SDK errors to drctl's named errors. Every wrapper call goes through callAws:
 * throttling, 5xx and network errors → AwsTransient (the state machine retries it after the SDK's
 * own attempts); anything else → AwsCallFailed. Messages name the service, the operation, the
 * offending value and the AWS error code, e.g.
 * `backup:StartRestoreJob failed for arn:aws:backup:...: InvalidParameterValueException: ...`.
 * A wrapper may recover from expected errors (not-found on describe calls) with `recover`.
 * Access denied on a resource drctl tagged moments ago is AwsTransient (see fresh-tags.ts).
 */
import { AwsCallFailed, AwsTransient, DrctlError, TagNotYetEffective } from "../errors.js";
import { freshlyTagged, isAccessDeniedCode } from "./fresh-tags.js";

/** What callAws knows about a failed call. */
export interface AwsErrorInfo {
  /** AWS error code (the SDK exception's name, e.g. "ThrottlingException"), or a Node error code. */
  code: string;
  message: string;
  /** HTTP status of the response, when there was one. */
  status?: number;
  error: unknown;
}

/** Returns `{value}` to turn an expected error into a result, or undefined to let it be mapped. */
export type Recover<T> = (err: AwsErrorInfo) => { value: T } | undefined;

const THROTTLING_CODES = new Set([
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "RequestThrottled",
  "RequestThrottledException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "RequestTimeTooSkewed",
  "BandwidthLimitExceeded",
  "SlowDown",
  "PriorRequestNotComplete",
  "EC2ThrottledException",
  "ProvisionedThroughputExceededException",
  "TransactionInProgressException",
]);

const TRANSIENT_CODES = new Set([
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
  "InternalError",
  "InternalFailure",
  "InternalServerError",
  "InternalServerException",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "ServiceException",
  "Unavailable",
]);

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
]);

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  Code?: unknown;
  message?: unknown;
  $fault?: unknown;
  $retryable?: { throttling?: boolean } | undefined;
  $metadata?: { httpStatusCode?: number } | undefined;
  $response?: { statusCode?: number } | undefined;
  cause?: unknown;
}

/** Extracts the code, message and HTTP status of an SDK (or Node) error. */
export function describeAwsError(error: unknown): AwsErrorInfo {
  if (error === null || typeof error !== "object") {
    return { code: "Unknown", message: String(error), error };
  }
  const e = error as SdkErrorShape;
  const nodeCode = typeof e.code === "string" ? e.code : undefined;
  const awsCode = typeof e.Code === "string" ? e.Code : undefined;
  const name = typeof e.name === "string" && e.name !== "Error" ? e.name : undefined;
  // Node network errors carry `code` (ECONNREFUSED) with name "Error"; SDK errors carry the AWS code as name.
  const code =
    (nodeCode && NETWORK_CODES.has(nodeCode) ? nodeCode : undefined) ?? name ?? awsCode ?? nodeCode;
  const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  const message = typeof e.message === "string" && e.message !== "" ? e.message : (code ?? "UnknownError");
  const info: AwsErrorInfo = { code: code ?? "UnknownError", message, error };
  if (typeof status === "number") info.status = status;
  return info;
}

/** True when the error is worth retrying later: throttling, 5xx, network trouble. */
export function isTransient(info: AwsErrorInfo): boolean {
  const e = (info.error ?? {}) as SdkErrorShape;
  if (e.$retryable !== undefined && e.$retryable !== null) return true;
  if (THROTTLING_CODES.has(info.code) || TRANSIENT_CODES.has(info.code) || NETWORK_CODES.has(info.code)) {
    return true;
  }
  if (info.status !== undefined && (info.status >= 500 || info.status === 429)) return true;
  if (e.$fault === "server" && info.status === undefined) return true;
  // A network error wrapped by the HTTP handler (fetch: TypeError with a cause carrying the code).
  const cause = e.cause as SdkErrorShape | undefined;
  if (cause && typeof cause === "object" && typeof cause.code === "string" && NETWORK_CODES.has(cause.code)) {
    return true;
  }
  return false;
}

/** True when the error's code is one of `codes`. */
export function hasCode(info: AwsErrorInfo, ...codes: string[]): boolean {
  return codes.includes(info.code);
}

/** Builds the drctl error for a failed call. DrctlErrors raised inside a wrapper pass through. */
export function mapAwsError(service: string, operation: string, detail: string, error: unknown): DrctlError {
  if (error instanceof DrctlError) return error;
  const info = describeAwsError(error);
  const where =
    detail === "" ? `${service}:${operation} failed` : `${service}:${operation} failed for ${detail}`;
  const text = info.message === info.code ? info.code : `${info.code}: ${info.message}`;
  const message = `${where}: ${text}`;
  const fresh = isAccessDeniedCode(info.code) ? freshlyTagged(`${detail} ${info.message}`) : undefined;
  if (fresh) {
    // The note goes before AWS's text, which can be long (EC2 adds an encoded authorization message).
    const retried = new TagNotYetEffective(
      `${where} (drctl tagged ${fresh.resource} ${Math.round(fresh.seconds)} s ago; tags used in IAM ` +
        `conditions take effect after a short delay: retried): ${text}`,
    );
    (retried as Error & { cause?: unknown }).cause = error;
    return retried;
  }
  const mapped = isTransient(info) ? new AwsTransient(message) : new AwsCallFailed(message);
  (mapped as Error & { cause?: unknown }).cause = error;
  return mapped;
}

/**
 * Runs one SDK call. `detail` names the offending value (ARN, id, name) for the message;
 * `recover` turns expected errors into results (e.g. not-found → undefined).
 */
export async function callAws<T>(
  service: string,
  operation: string,
  detail: string,
  fn: () => Promise<T>,
  recover?: Recover<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof DrctlError) throw error;
    if (recover) {
      const recovered = recover(describeAwsError(error));
      if (recovered) return recovered.value;
    }
    throw mapAwsError(service, operation, detail, error);
  }
}

/** callAws that returns undefined when the error's code is one of `codes`. */
export function callAwsOptional<T>(
  service: string,
  operation: string,
  detail: string,
  codes: string[],
  fn: () => Promise<T>,
): Promise<T | undefined> {
  return callAws<T | undefined>(service, operation, detail, fn, (info) =>
    codes.includes(info.code) ? { value: undefined } : undefined,
  );
}
