/**
 * One place that builds SDK v3 clients: one retry strategy, and endpoints taken from
 * AWS_ENDPOINT_URL_<SERVICE> / AWS_ENDPOINT_URL (the local sandbox sets these).
 */

/** Service ids as the SDK's endpoint variables spell them (AWS_ENDPOINT_URL_<ID>). */
export type ServiceId =
  | "BACKUP"
  | "RDS"
  | "EC2"
  | "EFS"
  | "DYNAMODB"
  | "CLOUDFORMATION"
  | "ROUTE_53"
  | "SSM"
  | "SNS"
  | "SFN"
  | "S3"
  | "CLOUDWATCH";

export interface CommonClientConfig {
  region: string;
  maxAttempts: number;
  retryMode: "standard";
  /** NodeHttpHandler options: a call to an endpoint that never answers fails instead of hanging. */
  requestHandler: { connectionTimeout: number; requestTimeout: number; throwOnRequestTimeout: true };
  endpoint?: string;
  forcePathStyle?: boolean;
}

/** Attempts per call (first try included). Throttling and 5xx are retried with backoff by the SDK. */
export const MAX_ATTEMPTS = 4;

/**
 * Connection and whole-request timeouts of every call. A timed-out attempt fails with
 * TimeoutError, which the SDK's standard retry strategy retries as transient; after the last
 * attempt drctl maps it to AwsTransient (Detect: evidence that the primary region is out).
 * MAX_ATTEMPTS × requestTimeout stays well inside the shortest Task timeout that calls AWS (60 s).
 */
export const CLIENT_TIMEOUTS = { connectionTimeoutMs: 3_000, requestTimeoutMs: 10_000 };

export function endpointFor(service: ServiceId, env: NodeJS.ProcessEnv = process.env): string | undefined {
  // An empty variable counts as unset (as in the SDK's own endpoint resolution).
  return env[`AWS_ENDPOINT_URL_${service}`] || env.AWS_ENDPOINT_URL || undefined;
}

export function clientConfig(
  service: ServiceId,
  region: string,
  env: NodeJS.ProcessEnv = process.env,
  timeouts = CLIENT_TIMEOUTS,
): CommonClientConfig {
  const endpoint = endpointFor(service, env);
  const config: CommonClientConfig = {
    region,
    maxAttempts: MAX_ATTEMPTS,
    retryMode: "standard",
    requestHandler: {
      connectionTimeout: timeouts.connectionTimeoutMs,
      requestTimeout: timeouts.requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  };
  if (endpoint) {
    config.endpoint = endpoint;
    if (service === "S3") config.forcePathStyle = true;
  }
  return config;
}

const memo = new Map<string, unknown>();

/** One wrapper per key (service and region) per Lambda container. */
export function memoClient<T>(key: string, make: () => T): T {
  if (!memo.has(key)) memo.set(key, make());
  return memo.get(key) as T;
}

/** Drops every cached client (tests and the sandbox re-point endpoints between runs). */
export function resetApis(): void {
  memo.clear();
}
