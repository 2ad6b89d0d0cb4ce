/**
 * The `faults` part of the scenario format: the fault shapes (zod), the bounds of durations and
 * counts, and the check that a call fault names an operation the service's SDK client has.
 *
 * Call faults hit only calls that drctl's steps make (the caller is the step function's role,
 * known by the SigV4 access key: iam/principals.ts), never the local runner's or another client's
 * own calls; `step` narrows a fault to one step's function.
 */
import { z } from "zod";
import { FUNCTIONS } from "../../state-machines/names.js";
import { SERVICES, type ServiceName } from "./types.js";
import { modelFor } from "./wire/services.js";

/**
 * Longest duration a scenario may give, in seconds: 48 hours, the recovery state machine's
 * execution time limit (state-machines/tasks.asl.ts EXECUTION_TIMEOUT_SECONDS). Anything
 * longer could only end in a timed-out execution with no report.
 */
export const MAX_SCENARIO_SECONDS = 48 * 3600;
/** Most times a fault may fire (a permanent fault in practice). */
export const MAX_FAULT_TIMES = 1_000_000;
/** Oldest newest-copy age and longest interval between copies, in minutes (one year). */
export const MAX_SCENARIO_MINUTES = 365 * 24 * 60;

export const seconds = z
  .number()
  .int("allowed: a whole number of seconds")
  .min(0, "allowed: >= 0")
  .max(MAX_SCENARIO_SECONDS, `allowed: <= ${MAX_SCENARIO_SECONDS} (48 h, the execution's time limit)`);
export const minutes = z
  .number()
  .min(0, "allowed: >= 0")
  .max(MAX_SCENARIO_MINUTES, `allowed: <= ${MAX_SCENARIO_MINUTES} (one year)`);
const times = z
  .number()
  .int("allowed: a whole number")
  .min(1, "allowed: >= 1")
  .max(MAX_FAULT_TIMES, `allowed: <= ${MAX_FAULT_TIMES}`)
  .default(1);

const NAME_RE = /^[a-z0-9-]{1,64}$/;
const name = z.string().regex(NAME_RE, "allowed: [a-z0-9-]{1,64} (lowercase letters, digits, '-')");
const callSpec = z
  .string()
  .regex(/^[a-z0-9]+:[A-Z][A-Za-z0-9]+$/, "allowed: service:Operation, e.g. backup:StartRestoreJob");
const errorCode = z.string().regex(/^[A-Za-z][A-Za-z0-9.]*$/, "allowed: an AWS error code");

/** Terminal statuses a stack fault can end a CreateStack in. */
export const STACK_FAULT_STATUSES = ["ROLLBACK_COMPLETE", "ROLLBACK_FAILED", "CREATE_FAILED"] as const;
export const RESTORE_FAULT_STATUSES = ["FAILED", "ABORTED"] as const;

export const CallFault = z
  .object({
    call: callSpec,
    resource: name.optional(),
    step: z.enum(FUNCTIONS).optional().describe("only calls of this step's function (default: any step's)"),
    error: errorCode.optional().describe("the AWS error code the call answers with"),
    hang: z
      .literal(true)
      .optional()
      .describe("the call never answers: the client gives up at its request timeout (instead of error)"),
    times,
  })
  .strict()
  .refine((f) => (f.error === undefined) !== (f.hang === undefined), {
    message: "required: exactly one of error or hang",
    path: ["error"],
  })
  .describe("a call of drctl's steps answers with this error, or hangs");
export const RestoreStatusFault = z
  .object({
    restore: name,
    status: z.enum(RESTORE_FAULT_STATUSES),
    message: z.string().optional(),
    times,
  })
  .strict()
  .describe("restore jobs of this resource end FAILED/ABORTED");
export const RestoreSlowFault = z
  .object({ restore: name, extraSeconds: seconds, times })
  .strict()
  .describe("restore jobs of this resource run longer");
export const StackFault = z
  .object({
    stack: z.string(),
    status: z.enum(STACK_FAULT_STATUSES),
    reason: z.string().optional(),
    resource: z
      .string()
      .regex(/^[A-Za-z0-9]+$/, "allowed: a logical id of the template's resources")
      .optional()
      .describe("logical id of the template resource that fails (default: its Auto Scaling group)"),
    times,
  })
  .strict()
  .describe("CreateStack of the app stack fails");
export const RecoveryPointsFault = z
  .object({ recoveryPoints: name, newestAgeMinutes: minutes })
  .strict()
  .describe("the newest copy of this resource is this old");
export const Fault = z.union([
  CallFault,
  RestoreStatusFault,
  RestoreSlowFault,
  StackFault,
  RecoveryPointsFault,
]);
export type Fault = z.infer<typeof Fault>;
export type CallFault = z.infer<typeof CallFault>;
export type RestoreStatusFault = z.infer<typeof RestoreStatusFault>;
export type RestoreSlowFault = z.infer<typeof RestoreSlowFault>;
export type StackFault = z.infer<typeof StackFault>;
export type RecoveryPointsFault = z.infer<typeof RecoveryPointsFault>;

/** Which union member a fault object means, by its leading key (for error messages). */
export const FAULT_KINDS = [
  { key: "call", index: 0 },
  { key: "status", index: 1, also: "restore" },
  { key: "extraSeconds", index: 2, also: "restore" },
  { key: "stack", index: 3 },
  { key: "recoveryPoints", index: 4 },
] as const;
export const FAULT_SHAPES =
  "{call, error}, {call, hang}, {restore, status}, {restore, extraSeconds}, {stack, status}, {recoveryPoints, newestAgeMinutes}";

/** The service of a call fault, when the sandbox emulates it (undefined otherwise). */
export function faultService(call: string): ServiceName | undefined {
  const service = call.split(":")[0] ?? "";
  return (SERVICES as readonly string[]).includes(service) ? (service as ServiceName) : undefined;
}

/**
 * Problems of call faults whose operation the service does not have, by the operations of the
 * service's SDK v3 client model (the same model the wire layer decodes requests with).
 */
export async function unknownFaultOperations(faults: readonly Fault[]): Promise<string[]> {
  const problems: string[] = [];
  for (const [i, f] of faults.entries()) {
    if (!("call" in f)) continue;
    const service = faultService(f.call);
    if (!service) continue; // the schema already names the unknown service
    const operation = f.call.slice(service.length + 1);
    const operations = (await modelFor(service)).operations;
    if (operations.has(operation)) continue;
    const near = nearest(operation, [...operations.keys()]);
    problems.push(
      `faults.${i}.call: got "${f.call}", allowed: an operation of ${service}'s API` +
        (near ? ` (did you mean ${service}:${near}?)` : ""),
    );
  }
  return problems;
}

/** The closest name by edit distance, when it is close (≤ a third of the name). */
function nearest(word: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const n of names) {
    const d = editDistance(word.toLowerCase(), n.toLowerCase());
    if (d < bestDistance) {
      best = n;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}
