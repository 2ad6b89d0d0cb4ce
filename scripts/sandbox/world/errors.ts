/**
 * AWS error shapes per service: the codes, HTTP statuses and messages the real services use,
 * for validation errors, injected faults and paging tokens.
 */
import { SandboxError, type ServiceName } from "../types.js";
import { errorStatus } from "../wire/schema.js";
import { modelNow } from "../wire/services.js";

/** The code each service uses for a malformed or incomplete request. */
const VALIDATION: Record<ServiceName, string> = {
  backup: "InvalidParameterValueException",
  rds: "InvalidParameterValue",
  ec2: "InvalidParameterValue",
  efs: "BadRequest",
  dynamodb: "ValidationException",
  cloudformation: "ValidationError",
  route53: "InvalidInput",
  ssm: "ValidationException",
  sns: "InvalidParameter",
  sfn: "ValidationException",
  s3: "InvalidArgument",
  cloudwatch: "InvalidParameterValue",
};
const MISSING: Partial<Record<ServiceName, string>> = {
  backup: "MissingParameterValueException",
  rds: "MissingParameter",
  ec2: "MissingParameter",
  cloudwatch: "MissingParameter",
};

export function invalid(service: ServiceName, message: string): SandboxError {
  return new SandboxError(VALIDATION[service], message, 400);
}

/** The code a service answers a request with a required member absent (or undecodable) with. */
export function missingCode(service: ServiceName): string {
  return MISSING[service] ?? VALIDATION[service];
}

/** A required request member is absent (or empty). */
export function missing(service: ServiceName, member: string): SandboxError {
  const code = missingCode(service);
  const message =
    service === "ec2" || service === "rds"
      ? `The request must contain the parameter ${member}`
      : service === "dynamodb" || service === "ssm"
        ? `1 validation error detected: Value null at '${lower(member)}' failed to satisfy constraint: Member must not be null`
        : `Missing required parameter: ${member}`;
  return new SandboxError(code, message, 400);
}

const lower = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

/**
 * The members of an input type `T` whose values are `V`s (a misspelt member, or one of another
 * type, does not compile); any name for a loose `Record<string, unknown>` input. The readers below
 * stay lenient at run time (a number or boolean sent as text is read), for callers of the world
 * that bypass the wire layer.
 */
export type MemberOf<T, V> = string extends keyof T
  ? string
  : { [K in keyof T]-?: NonNullable<T[K]> extends V ? K : never }[keyof T] & string;

const read = (input: object, member: string): unknown => (input as Record<string, unknown>)[member];

export function requireString<T extends object>(
  service: ServiceName,
  input: T,
  member: MemberOf<T, string>,
): string {
  const v = read(input, member);
  if (typeof v !== "string" || v === "") throw missing(service, member);
  return v;
}

export function optString<T extends object>(input: T, member: MemberOf<T, string>): string | undefined {
  const v = read(input, member);
  return typeof v === "string" && v !== "" ? v : undefined;
}

export function optNumber<T extends object>(input: T, member: MemberOf<T, number>): number | undefined {
  const v = read(input, member);
  if (typeof v === "number") return v;
  if (typeof v === "string" && v !== "" && !Number.isNaN(Number(v))) return Number(v);
  return undefined;
}

export function optBool<T extends object>(input: T, member: MemberOf<T, boolean>): boolean | undefined {
  const v = read(input, member);
  if (typeof v === "boolean") return v;
  if (v === "true") return true;
  if (v === "false") return false;
  return undefined;
}

/** A timestamp member as epoch milliseconds. */
export function optDate<T extends object>(input: T, member: MemberOf<T, Date>): number | undefined {
  const v = read(input, member);
  if (v instanceof Date) return v.getTime();
  if (typeof v === "string" || typeof v === "number") {
    const ms = typeof v === "number" && v < 1e11 ? v * 1000 : new Date(v).getTime();
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

export function stringList<T extends object>(input: T, member: MemberOf<T, readonly string[]>): string[] {
  const v = read(input, member);
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

/**
 * HTTP status of an AWS error code in a service (for injected faults): the status the SDK's model
 * gives the error shape; for a code the model does not carry (EC2 models no errors; throttling,
 * internal and access errors are common to all services and modeled by few), AWS's usual status.
 */
export function statusFor(service: ServiceName, code: string): number {
  return errorStatus(modelNow(service), code) ?? unmodeledStatus(code);
}

function unmodeledStatus(code: string): number {
  if (/^(RequestLimitExceeded|Unavailable|ServiceUnavailable(Exception)?|SlowDown)$/.test(code)) return 503;
  if (
    /^(InternalServerError|InternalFailure|InternalError|InternalServiceError|InternalServerException)$/.test(
      code,
    )
  ) {
    return 500;
  }
  if (/^(AccessDenied(Exception)?|UnauthorizedOperation|Forbidden)$/.test(code)) return 403;
  if (code === "TooManyRequestsException") return 429;
  return 400;
}

export function faultMessage(code: string): string {
  if (/Throttl/.test(code)) return "Rate exceeded";
  if (code === "RequestLimitExceeded") return "Request limit exceeded.";
  if (code === "PriorRequestNotComplete") {
    return "The request was rejected because Route 53 was still processing a prior request.";
  }
  if (/Internal/.test(code)) return "An internal error has occurred. Please try again.";
  if (/Unavailable|SlowDown/.test(code)) return "The service is unavailable. Please try again shortly.";
  if (/AccessDenied|Unauthorized/.test(code)) return "User is not authorized to perform this operation";
  return `The request failed (${code})`;
}

/**
 * A number outside the model's range, as the JSON-protocol services word it ("1 validation error
 * detected: Value '11' at 'maxResults' failed to satisfy constraint: …"); undefined when in range.
 */
export function outOfRange(
  service: ServiceName,
  member: string,
  value: number | undefined,
  min: number,
  max: number,
): SandboxError | undefined {
  if (value === undefined || (value >= min && value <= max)) return undefined;
  return invalid(service, rangeMessage(member, value, min, max));
}

/** The JSON protocols' wording for a number outside the model's range. */
export function rangeMessage(member: string, value: number, min: number, max: number): string {
  const bound = value < min ? `greater than or equal to ${min}` : `less than or equal to ${max}`;
  return `1 validation error detected: Value '${value}' at '${lower(member)}' failed to satisfy constraint: Member must have value ${bound}`;
}
