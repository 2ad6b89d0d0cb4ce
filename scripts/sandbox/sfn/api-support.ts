/**
 * What the Step Functions operations share: the emulation's state, reading a request member, ARNs, validating and
 * indexing a definition, the state machine and execution output shapes (the SFN client's), the
 * history without its data, and maxResults/nextToken paging.
 */
import type {
  DescribeExecutionOutput,
  DescribeStateMachineOutput,
  HistoryEvent,
  StateMachineType,
} from "@aws-sdk/client-sfn";
import { StateMachine } from "aws-local-stepfunctions";
import { SandboxError } from "../types.js";
import type { MemberOf } from "../world/errors.js";
import type { SfnBackendOptions } from "./backend.js";
import { type AslDefinition, DefinitionError, type DefinitionIndex, indexDefinition } from "./definition.js";
import type { ExecutionRecord, ExecutionRunner } from "./execution.js";
import type { TaskTokens } from "./task-tokens.js";

export interface StateMachineRecord {
  arn: string;
  name: string;
  region: string;
  definition: string;
  roleArn: string;
  type: StateMachineType;
  creationDate: Date;
  index: DefinitionIndex;
}

/** The emulation's state, as the operations see it. */
export interface SfnState {
  readonly options: SfnBackendOptions;
  readonly machines: Map<string, StateMachineRecord>;
  readonly executions: Map<string, ExecutionRunner>;
  /** Task tokens of callback Tasks (SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat). */
  readonly tokens: TaskTokens;
  /** Told of every execution's start and end (the sandbox's EventBridge: events/). */
  readonly statusListeners: ((record: ExecutionRecord) => void)[];
  /** Virtual time. */
  now(): Date;
}

/** Tells the status listeners that the execution started, and again when it has ended. */
export function watchStatus(sfn: SfnState, runner: ExecutionRunner): void {
  const tell = () => {
    for (const listener of [...sfn.statusListeners]) listener(runner.record);
  };
  tell();
  void runner.record.done.then(tell);
}

/** What an operation's handler gets: its input, the call's region and the emulation's state. */
export interface SfnCtx {
  input: unknown;
  region: string;
  sfn: SfnState;
}

/** A string member of a request (`required`: ValidationException when it is absent). */
export function str<T extends object>(input: T, key: MemberOf<T, string>, required: true): string;
export function str<T extends object>(
  input: T,
  key: MemberOf<T, string>,
  required?: false,
): string | undefined;
export function str<T extends object>(
  input: T,
  key: MemberOf<T, string>,
  required = false,
): string | undefined {
  const v = (input as Record<string, unknown>)[key];
  if (v === undefined || v === null) {
    if (required) {
      throw new SandboxError(
        "ValidationException",
        `1 validation error detected: Value null at '${key}' failed to satisfy constraint: Member must not be null`,
      );
    }
    return undefined;
  }
  if (typeof v !== "string") {
    throw new SandboxError("ValidationException", `Value at '${key}' must be a string`);
  }
  return v;
}

export function parseArn(arn: string, kind: "stateMachine" | "execution"): { region: string } {
  const m = /^arn:aws[\w-]*:states:([a-z0-9-]+):(\d{12}):(stateMachine|execution):([^:]+)(?::([^:]+))?$/.exec(
    arn,
  );
  const ok = m && m[3] === kind && (kind === "execution" ? m[5] !== undefined : m[5] === undefined);
  if (!m || !ok) throw new SandboxError("InvalidArn", `Invalid Arn: '${arn}'`);
  return { region: m[1] as string };
}

/** Definitions that passed validation (it costs a few hundred ms: the JSON schema compiles each time). */
const validated = new Set<string>();

/** Validates like CreateStateMachine (asl-validator, unique state names) and indexes the definition. */
export function parseDefinition(text: string): DefinitionIndex {
  let def: AslDefinition;
  try {
    def = JSON.parse(text) as AslDefinition;
  } catch (e) {
    throw new SandboxError(
      "InvalidDefinition",
      `Invalid State Machine Definition: '${(e as Error).message}'`,
    );
  }
  try {
    if (!validated.has(text)) {
      // asl-validator annotates what it checks (QueryLanguage): validate a copy.
      new StateMachine(structuredClone(def) as never, {
        validationOptions: { checkArn: true, checkPaths: true },
      });
      validated.add(text);
    }
    return indexDefinition(def);
  } catch (e) {
    const msg = e instanceof DefinitionError || e instanceof Error ? e.message : String(e);
    throw new SandboxError("InvalidDefinition", `Invalid State Machine Definition: '${msg}'`);
  }
}

export function describeMachine(m: StateMachineRecord): DescribeStateMachineOutput {
  return {
    stateMachineArn: m.arn,
    name: m.name,
    status: "ACTIVE",
    definition: m.definition,
    roleArn: m.roleArn,
    type: m.type,
    creationDate: m.creationDate,
    loggingConfiguration: { level: "OFF", includeExecutionData: false },
    tracingConfiguration: { enabled: false },
  };
}

/** The members DescribeExecution and ListExecutions both give of an execution. */
export const executionBasics = (r: ExecutionRecord) => ({
  executionArn: r.executionArn,
  stateMachineArn: r.stateMachineArn,
  name: r.name,
  status: r.status,
  startDate: r.startDate,
  ...(r.stopDate ? { stopDate: r.stopDate } : {}),
});

/** DescribeExecution of a record; `redrive` holds the redrive members (redrive.ts, redriveStatusOf). */
export function describeExecution(
  r: ExecutionRecord,
  redrive: Pick<
    DescribeExecutionOutput,
    "redriveCount" | "redriveDate" | "redriveStatus" | "redriveStatusReason"
  >,
): DescribeExecutionOutput {
  return {
    ...executionBasics(r),
    input: r.input,
    inputDetails: { included: true },
    ...(r.output !== undefined ? { output: r.output, outputDetails: { included: true } } : {}),
    ...(r.error !== undefined ? { error: r.error } : {}),
    ...(r.cause !== undefined ? { cause: r.cause } : {}),
    ...redrive,
  };
}

/**
 * A state machine or execution name: 1 to 80 characters, none of them white space, brackets
 * `< > { } [ ]`, wildcards `? *`, `" # % \ ^ | ~ \` $ & , ; : /`, control characters or lone
 * surrogates.
 */
export function validName(name: string): boolean {
  return (
    name.length >= 1 &&
    name.length <= 80 &&
    !/[\s<>{}[\]?*"#%\\^|~`$&,;:/\ufffe\uffff]|\p{Cc}|\p{Cs}/u.test(name)
  );
}

export function sameJson(a: string, b: string): boolean {
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return a === b;
  }
}

const DATA_FIELDS = ["input", "output", "parameters"];

/** includeExecutionData=false: the events without their input/output payloads. */
export function withoutData(e: HistoryEvent): HistoryEvent {
  const copy: Record<string, unknown> = { ...e };
  for (const [k, v] of Object.entries(copy)) {
    if (k.endsWith("EventDetails") && v && typeof v === "object") {
      const d: Record<string, unknown> = { ...(v as Record<string, unknown>) };
      for (const f of DATA_FIELDS) delete d[f];
      copy[k] = d;
    }
  }
  return copy as unknown as HistoryEvent;
}

/** maxResults/nextToken paging with opaque tokens bound to the listing they came from. */
export function paginate<T>(
  all: T[],
  input: { maxResults?: number | undefined; nextToken?: string | undefined },
  listing: string,
): { items: T[]; nextToken?: string } {
  const raw = input.maxResults;
  if (
    raw !== undefined &&
    raw !== null &&
    (typeof raw !== "number" || raw < 0 || raw > 1000 || !Number.isInteger(raw))
  ) {
    throw new SandboxError(
      "ValidationException",
      `1 validation error detected: Value '${String(raw)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000`,
    );
  }
  const max = typeof raw === "number" && raw > 0 ? raw : 100;
  let offset = 0;
  const token = input.nextToken;
  if (token !== undefined && token !== null) {
    try {
      const parsed = JSON.parse(Buffer.from(String(token), "base64url").toString("utf8")) as {
        l: string;
        o: number;
      };
      if (parsed.l !== listing || !Number.isInteger(parsed.o) || parsed.o < 0) throw new Error("mismatch");
      offset = parsed.o;
    } catch {
      throw new SandboxError("InvalidToken", `Invalid Token: '${String(token)}'`);
    }
  }
  const items = all.slice(offset, offset + max);
  const next = offset + max;
  if (next >= all.length) return { items };
  return { items, nextToken: Buffer.from(JSON.stringify({ l: listing, o: next })).toString("base64url") };
}
