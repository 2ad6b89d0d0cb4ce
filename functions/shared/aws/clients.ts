/**
 * One place that builds SDK v3 clients: one retry strategy, and endpoints taken from
 * AWS_ENDPOINT_URL_<SERVICE> / AWS_ENDPOINT_URL (the local sandbox sets these).
 *
 * On AWS each function runs in its own container with its own role's credentials (the default
 * provider chain). The local sandbox runs every function in one process, concurrently in Parallel
 * branches, so it installs a client scope (useClientScope): inside an invocation, clients are
 * memoized per function and carry that function's credentials. Unset on AWS: nothing changes there.
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

export interface ScopeCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** The function invocation in progress, as the local sandbox's Lambda invoker describes it. */
export interface ClientScope {
  /** One set of clients per container (the function name). */
  container: string;
  credentials: ScopeCredentials;
}

export interface CommonClientConfig {
  region: string;
  maxAttempts: number;
  retryMode: "standard";
  /** NodeHttpHandler options: a call to an endpoint that never answers fails instead of hanging. */
  requestHandler: { connectionTimeout: number; requestTimeout: number; throwOnRequestTimeout: true };
  endpoint?: string;
  forcePathStyle?: boolean;
  credentials?: ScopeCredentials;
}

let scopeSource: (() => ClientScope | undefined) | undefined;

/** Installs (or, with undefined, removes) where clients find the invocation's scope. */
export function useClientScope(source: (() => ClientScope | undefined) | undefined): void {
  scopeSource = source;
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
  const scope = scopeSource?.();
  if (scope) config.credentials = { ...scope.credentials };
  if (endpoint) {
    config.endpoint = endpoint;
    if (service === "S3") config.forcePathStyle = true;
  }
  return config;
}

const memo = new Map<string, unknown>();

/** One wrapper per key (service and region) per Lambda container. */
export function memoClient<T>(key: string, make: () => T): T {
  const container = scopeSource?.()?.container;
  const scoped = container === undefined ? key : `${container}|${key}`;
  if (!memo.has(scoped)) memo.set(scoped, make());
  return memo.get(scoped) as T;
}

/** Drops every cached client (tests and the sandbox re-point endpoints between runs). */
export function resetApis(): void {
  memo.clear();
}
