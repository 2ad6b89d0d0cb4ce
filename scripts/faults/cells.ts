/**
 * The fault matrix's cells and what each must end in (docs/design.md, "Fault matrix").
 *
 * For every step of the state machine: a throttling error, a permanent error and a hang on the
 * step's main AWS call (mainCall); and a permanent error on every describe, list, delete and detach call
 * it makes (each its own row). The calls per step are found by running the baseline drill and
 * failover and reading which step's role signed each call (world.calls), so the matrix follows the
 * code, not a list.
 */
import { MAX_ATTEMPTS } from "../../functions/shared/aws/clients.js";
import { FUNCTIONS, type FunctionKey } from "../../state-machines/names.js";
import { accessDeniedCode } from "../sandbox/iam/errors.js";
import type { CallFault } from "../sandbox/scenario.js";
import type { ServiceName } from "../sandbox/types.js";

export type FaultKind = "throttle" | "permanent" | "timeout";
export const FAULT_KINDS: readonly FaultKind[] = ["throttle", "permanent", "timeout"];
export type Mode = "drill" | "failover";

/** The example scenario each mode's cells start from (its own faults and expect removed). */
export const BASE_SCENARIOS: Record<Mode, string> = {
  drill: "scenarios/shop-drill.yaml",
  failover: "scenarios/shop-failover.yaml",
};

/** Steps that run only in failover mode; every other step is tried in a drill. */
const FAILOVER_ONLY: readonly FunctionKey[] = ["detect", "failover"];
export const modeOf = (step: FunctionKey): Mode => (FAILOVER_ONLY.includes(step) ? "failover" : "drill");

/** The throttling code each service answers with (each one the SDK classifies as throttling). */
export const THROTTLE_CODES: Record<ServiceName, string> = {
  backup: "ThrottlingException",
  rds: "Throttling",
  ec2: "RequestLimitExceeded",
  efs: "ThrottlingException",
  dynamodb: "ThrottlingException",
  cloudformation: "Throttling",
  route53: "Throttling",
  ssm: "ThrottlingException",
  sns: "Throttling",
  sfn: "ThrottlingException",
  s3: "SlowDown",
  cloudwatch: "Throttling",
};

export interface Cell {
  id: string;
  step: FunctionKey;
  /** service:Operation */
  call: string;
  kind: FaultKind;
  mode: Mode;
  fault: CallFault;
}

/** A step's calls, in the order it first made them in the baseline runs. */
export type CallsByStep = Partial<Record<FunctionKey, string[]>>;

/**
 * More throttled answers than the SDK's attempts: the step fails AwsTransient once, and Step
 * Functions' retry (TRANSIENT_RETRY) succeeds. The same for hangs (each attempt times out).
 */
const BEYOND_SDK = MAX_ATTEMPTS + 1;
/** A permanent error: every call, for the whole run. */
const PERMANENT = 1_000_000;

export function faultFor(step: FunctionKey, call: string, kind: FaultKind): CallFault {
  const service = call.split(":")[0] as ServiceName;
  switch (kind) {
    case "throttle":
      return { call, step, error: THROTTLE_CODES[service], times: BEYOND_SDK };
    case "permanent":
      return { call, step, error: accessDeniedCode(service), times: PERMANENT };
    case "timeout":
      return { call, step, hang: true, times: MAX_ATTEMPTS };
  }
}

/** Calls that only read: Describe*, List*, Get*. */
const READ = /^[a-z0-9]+:(Describe|List|Get)[A-Za-z]+$/;

/**
 * The call a step's throttling, permanent and hang faults go to, chosen the same way on every run
 * (a step's calls run concurrently, so their order varies): its first call, alphabetically, that
 * changes something outside S3; else its first call other than the s3:GetObject every step starts
 * with (the config and the run's documents); else s3:GetObject.
 */
export function mainCall(made: readonly string[]): string | undefined {
  const sorted = [...made].sort();
  return (
    sorted.find((c) => !c.startsWith("s3:") && !READ.test(c)) ??
    sorted.find((c) => c !== "s3:GetObject") ??
    sorted[0]
  );
}

/** Describe, list, delete and detach calls: each gets its own permanent-error row. */
const DESCRIBE_OR_DELETE = /^[a-z0-9]+:(Describe|List|Delete|Detach)[A-Za-z]+$/;

/** The cells: per step, the three faults on its main call, then a permanent error on each describe/list/delete call. */
export function buildCells(calls: Record<Mode, CallsByStep>): Cell[] {
  const cells: Cell[] = [];
  for (const step of FUNCTIONS) {
    const mode = modeOf(step);
    const made = calls[mode][step] ?? [];
    const main = mainCall(made);
    for (const call of [...made].sort()) {
      const kinds: readonly FaultKind[] =
        call === main ? FAULT_KINDS : DESCRIBE_OR_DELETE.test(call) ? ["permanent"] : [];
      for (const kind of kinds) {
        const fault = faultFor(step, call, kind);
        cells.push({ id: `${step}/${call}/${kind}`, step, call, kind, mode, fault });
      }
    }
  }
  return cells;
}

/** Steps that made no call in the baseline runs (the matrix reports them: no cell can be built). */
export function stepsWithoutCalls(calls: Record<Mode, CallsByStep>): FunctionKey[] {
  return FUNCTIONS.filter((step) => (calls[modeOf(step)][step] ?? []).length === 0);
}
