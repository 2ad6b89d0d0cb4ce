/**
 * Named errors. The state machine's Retry and Catch blocks match on `name`, which is set
 * explicitly (never derived from the class name, which a minifier may rename).
 * Lambda reports `errorType` = `error.name`, so these names are what Step Functions sees; the ASL
 * takes them from the classes (`AwsTransient.errorName`), never spelled a second time.
 */
export abstract class DrctlError extends Error {
  abstract override readonly name: string;
  /** Retryable errors are named in a Retry block of the state machine (tests/unit/shared/error-names.test.ts). */
  readonly retryable: boolean = false;
}

function defineError<N extends string>(name: N, retryable = false) {
  return class extends DrctlError {
    /** The name Step Functions matches in ErrorEquals (the instances' `name`). */
    static readonly errorName: N = name;
    override readonly name: N = name;
    override readonly retryable = retryable;
  };
}

/** The execution input or a handler payload failed validation. Not retried. */
export class InputInvalid extends defineError("InputInvalid") {}
/** The app configuration (config/<app>.json) is missing or invalid. Not retried. */
export class ConfigInvalid extends defineError("ConfigInvalid") {}
/** Another execution holds the per-app recovery lock. */
export class RecoveryInProgress extends defineError("RecoveryInProgress") {}
/** Failover was requested but the primary region looks healthy (and `force` was not set). */
export class OutageNotConfirmed extends defineError("OutageNotConfirmed") {}
/** The DR app stack reached a failed or rolled-back state. */
export class StackFailed extends defineError("StackFailed") {}
/** The DR stack a failed failover left could not be deleted for replaceStack (DELETE_FAILED, or too slow). */
export class StackReplaceFailed extends defineError("StackReplaceFailed") {}
/** No usable recovery point exists for a resource. */
export class NoRecoveryPoint extends defineError("NoRecoveryPoint") {}
/** The newest usable recovery point is older than the RPO objective. */
export class RpoExceeded extends defineError("RpoExceeded") {}
/** A restore job ended FAILED or ABORTED after its last allowed attempt. */
export class RestoreFailed extends defineError("RestoreFailed") {}
/** Re-integration (SSM parameter, volume attach, mount) failed. */
export class IntegrationFailed extends defineError("IntegrationFailed") {}
/** The DR stack's instances did not become Systems Manager managed instances in time (Run Command refuses them). */
export class InstancesNotManaged extends defineError("InstancesNotManaged") {}
/** The application's health URL did not answer 200 yet. Retried by the state machine. */
export class AppUnhealthy extends defineError("AppUnhealthy", true) {}
/** The Route 53 change was rejected or did not reach INSYNC. */
export class DnsChangeFailed extends defineError("DnsChangeFailed") {}
/** Cleanup could not delete everything a drill created. */
export class CleanupIncomplete extends defineError("CleanupIncomplete") {}
/** A person rejected an automatic failover (`drctl reject`: SendTaskFailure with this error). */
export class FailoverRejected extends defineError("FailoverRejected") {}
/** An automatic failover in approval mode "wait" got no answer within its window. */
export class ApprovalTimedOut extends defineError("ApprovalTimedOut") {}
/** An AWS call was throttled or failed transiently after the SDK's own retries. Retried. */
export class AwsTransient extends defineError("AwsTransient", true) {}
/**
 * An AwsTransient (same name for Retry) for an access denial right after drctl tagged the resource:
 * tags count in IAM conditions only after a short delay. A step may wait for that one resource.
 */
export class TagNotYetEffective extends AwsTransient {}
/** An AWS call failed permanently (access denied, validation, ...). */
export class AwsCallFailed extends defineError("AwsCallFailed") {}
/** A resource the step needs does not exist. */
export class NotFound extends defineError("NotFound") {}

/** Longest error message a step reports (characters); longer ones end with TRUNCATED_MARK. */
export const MAX_ERROR_MESSAGE = 2000;
/** Stack frames kept in a reported error (Lambda sends the stack as the cause's `trace`). */
export const MAX_ERROR_FRAMES = 10;
export const TRUNCATED_MARK = " … [truncated]";

/**
 * Bounds what Step Functions receives as an error's cause: Lambda reports
 * `{"errorType","errorMessage","trace"}` with the stack's header repeating the message, and a
 * state over 256 KiB fails the execution uncatchably (States.DataLimitExceeded). The message is cut
 * to MAX_ERROR_MESSAGE characters and the stack rebuilt from the cut message and its first frames,
 * so a cause stays under 8 KB whatever the error carried.
 */
export function boundError(err: Error): Error {
  const message =
    err.message.length > MAX_ERROR_MESSAGE
      ? `${err.message.slice(0, MAX_ERROR_MESSAGE - TRUNCATED_MARK.length)}${TRUNCATED_MARK}`
      : err.message;
  const frames = (err.stack ?? "")
    .split("\n")
    .filter((line) => /^\s+at /.test(line))
    .slice(0, MAX_ERROR_FRAMES)
    .map((line) => line.slice(0, 300));
  err.message = message;
  err.stack = [`${err.name}: ${message}`, ...frames].join("\n");
  return err;
}

export function assertNever(value: never, what = "value"): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}
