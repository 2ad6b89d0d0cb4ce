/**
 * The sandbox's AWS Step Functions: a SandboxBackend for service "sfn" whose inputs and outputs
 * are the SDK v3 SFN client's shapes (awsJson1.0, camelCase members, Date timestamps).
 * Executions run in aws-local-stepfunctions on the virtual clock (see execution.ts).
 */
import { randomUUID } from "node:crypto";
import type { HistoryEvent } from "@aws-sdk/client-sfn";
import { StateMachine } from "aws-local-stepfunctions";
import {
  type SandboxBackend,
  type SandboxCall,
  SandboxError,
  type SandboxOutput,
  UnknownOperation,
} from "../types.js";
import { type AslDefinition, DefinitionError, type DefinitionIndex, indexDefinition } from "./definition.js";
import { type ExecutionRecord, ExecutionRunner, type ExecutionStatus } from "./execution.js";
import type { LambdaRegistry } from "./lambda-registry.js";
import { MAX_PAYLOAD_BYTES } from "./limits.js";
import type { Scheduler } from "./scheduler.js";

export interface SfnBackendOptions {
  account: string;
  scheduler: Scheduler;
  registry: LambdaRegistry;
}

interface StateMachineRecord {
  arn: string;
  name: string;
  region: string;
  definition: string;
  roleArn: string;
  type: "STANDARD" | "EXPRESS";
  creationDate: Date;
  index: DefinitionIndex;
}

const NAME = /^[A-Za-z0-9_-]{1,80}$/;
const STATUSES: ExecutionStatus[] = ["RUNNING", "SUCCEEDED", "FAILED", "ABORTED", "TIMED_OUT"];

export class SfnBackend implements SandboxBackend {
  private readonly machines = new Map<string, StateMachineRecord>();
  private readonly executions = new Map<string, ExecutionRunner>();

  constructor(readonly options: SfnBackendOptions) {}

  async call(call: SandboxCall): Promise<SandboxOutput> {
    if (call.service !== "sfn") throw new UnknownOperation(call.service, call.operation);
    const input = call.input;
    switch (call.operation) {
      case "CreateStateMachine":
        return this.createStateMachine(call.region, input);
      case "DescribeStateMachine":
        return describeMachine(this.machine(call.region, str(input, "stateMachineArn", true)));
      case "ListStateMachines":
        return this.listStateMachines(call.region, input);
      case "DeleteStateMachine":
        return this.deleteStateMachine(call.region, input);
      case "StartExecution":
        return this.startExecution(call.region, input);
      case "DescribeExecution":
        return describeExecution(this.execution(call.region, str(input, "executionArn", true)).record);
      case "DescribeStateMachineForExecution": {
        const ex = this.execution(call.region, str(input, "executionArn", true)).record;
        const m = this.machines.get(ex.stateMachineArn);
        if (!m)
          throw new SandboxError(
            "StateMachineDoesNotExist",
            `State Machine Does Not Exist: '${ex.stateMachineArn}'`,
          );
        const { stateMachineArn, name, definition, roleArn } = describeMachine(m);
        return { stateMachineArn, name, definition, roleArn, updateDate: m.creationDate };
      }
      case "GetExecutionHistory":
        return this.getExecutionHistory(call.region, input);
      case "ListExecutions":
        return this.listExecutions(call.region, input);
      case "StopExecution":
        return this.stopExecution(call.region, input);
      default:
        throw new UnknownOperation("sfn", call.operation);
    }
  }

  /** Every execution (tests and the runner's diagnostics). */
  executionRecords(): ExecutionRecord[] {
    return [...this.executions.values()].map((e) => e.record);
  }

  /** Stops every running execution (shutdown). */
  stopAll(): void {
    for (const e of this.executions.values())
      e.stop("ABORTED", "Sandbox.Shutdown", "The sandbox is shutting down");
  }

  private get now(): Date {
    return new Date(this.options.scheduler.nowMs());
  }

  // ---- State machines -------------------------------------------------------------------------

  private createStateMachine(region: string, input: Record<string, unknown>): SandboxOutput {
    const name = str(input, "name", true);
    const definition = str(input, "definition", true);
    const roleArn = str(input, "roleArn", true);
    const type = (str(input, "type") ?? "STANDARD") as StateMachineRecord["type"];
    if (!NAME.test(name)) throw new SandboxError("InvalidName", `Invalid Name: '${name}'`);
    if (type !== "STANDARD" && type !== "EXPRESS") {
      throw new SandboxError(
        "ValidationException",
        `Value '${String(type)}' at 'type' failed to satisfy constraint`,
      );
    }
    if (!/^arn:aws[\w-]*:iam::\d{12}:role\/.+$/.test(roleArn)) {
      throw new SandboxError(
        "InvalidArn",
        `Invalid Arn: 'Resource type not valid in this context: ${roleArn}'`,
      );
    }
    const index = parseDefinition(definition);
    const arn = `arn:aws:states:${region}:${this.options.account}:stateMachine:${name}`;
    const existing = this.machines.get(arn);
    if (existing) {
      if (existing.definition === definition && existing.roleArn === roleArn && existing.type === type) {
        return { stateMachineArn: arn, creationDate: existing.creationDate };
      }
      throw new SandboxError("StateMachineAlreadyExists", `State Machine Already Exists: '${arn}'`);
    }
    const rec: StateMachineRecord = {
      arn,
      name,
      region,
      definition,
      roleArn,
      type,
      creationDate: this.now,
      index,
    };
    this.machines.set(arn, rec);
    return { stateMachineArn: arn, creationDate: rec.creationDate };
  }

  private listStateMachines(region: string, input: Record<string, unknown>): SandboxOutput {
    const all = [...this.machines.values()].filter((m) => m.region === region);
    const page = paginate(all, input, `machines:${region}`);
    return {
      stateMachines: page.items.map((m) => ({
        stateMachineArn: m.arn,
        name: m.name,
        type: m.type,
        creationDate: m.creationDate,
      })),
      ...(page.nextToken ? { nextToken: page.nextToken } : {}),
    };
  }

  private deleteStateMachine(region: string, input: Record<string, unknown>): SandboxOutput {
    const arn = str(input, "stateMachineArn", true);
    const m = this.machines.get(arn);
    if (m && m.region === region) {
      this.machines.delete(arn);
      for (const e of this.executions.values()) {
        if (e.record.stateMachineArn === arn)
          e.stop("ABORTED", "States.Aborted", "The state machine was deleted");
      }
    }
    return {};
  }

  private machine(region: string, arn: string): StateMachineRecord {
    const parts = parseArn(arn, "stateMachine");
    const m = this.machines.get(arn);
    if (!m || parts.region !== region) {
      throw new SandboxError("StateMachineDoesNotExist", `State Machine Does Not Exist: '${arn}'`);
    }
    return m;
  }

  // ---- Executions -----------------------------------------------------------------------------

  private startExecution(region: string, input: Record<string, unknown>): SandboxOutput {
    const m = this.machine(region, str(input, "stateMachineArn", true));
    const name = str(input, "name") ?? randomUUID();
    if (!NAME.test(name)) throw new SandboxError("InvalidName", `Invalid Name: '${name}'`);
    const text = str(input, "input") ?? "{}";
    if (Buffer.byteLength(text) > MAX_PAYLOAD_BYTES) {
      throw new SandboxError(
        "InvalidExecutionInput",
        "Execution input exceeds the maximum size of 262144 bytes",
      );
    }
    try {
      JSON.parse(text);
    } catch (e) {
      throw new SandboxError("InvalidExecutionInput", `Invalid execution input: ${(e as Error).message}`);
    }
    const arn = `arn:aws:states:${m.region}:${this.options.account}:execution:${m.name}:${name}`;
    const existing = this.executions.get(arn);
    if (existing) {
      // Idempotent for a running execution started with the same input (as Step Functions is).
      if (existing.record.status === "RUNNING" && sameJson(existing.record.input, text)) {
        return { executionArn: arn, startDate: existing.record.startDate };
      }
      throw new SandboxError("ExecutionAlreadyExists", `Execution Already Exists: '${arn}'`);
    }
    const runner = new ExecutionRunner(
      {
        index: m.index,
        scheduler: this.options.scheduler,
        registry: this.options.registry,
        region: m.region,
      },
      {
        executionArn: arn,
        stateMachineArn: m.arn,
        stateMachineName: m.name,
        name,
        roleArn: m.roleArn,
        input: text,
        startDate: this.now,
      },
    );
    this.executions.set(arn, runner);
    runner.start();
    return { executionArn: arn, startDate: runner.record.startDate };
  }

  private execution(region: string, arn: string): ExecutionRunner {
    const parts = parseArn(arn, "execution");
    const e = this.executions.get(arn);
    if (!e || parts.region !== region) {
      throw new SandboxError("ExecutionDoesNotExist", `Execution Does Not Exist: '${arn}'`);
    }
    return e;
  }

  private getExecutionHistory(region: string, input: Record<string, unknown>): SandboxOutput {
    const arn = str(input, "executionArn", true);
    const rec = this.execution(region, arn).record;
    const reverse = input.reverseOrder === true;
    const includeData = input.includeExecutionData !== false;
    const events = reverse ? [...rec.history].reverse() : [...rec.history];
    const page = paginate(events, input, `history:${arn}:${reverse}`);
    return {
      events: page.items.map((e) => (includeData ? e : withoutData(e))),
      ...(page.nextToken ? { nextToken: page.nextToken } : {}),
    };
  }

  private listExecutions(region: string, input: Record<string, unknown>): SandboxOutput {
    const m = this.machine(region, str(input, "stateMachineArn", true));
    const filter = str(input, "statusFilter");
    if (
      filter !== undefined &&
      !STATUSES.includes(filter as ExecutionStatus) &&
      filter !== "PENDING_REDRIVE"
    ) {
      throw new SandboxError(
        "ValidationException",
        `1 validation error detected: Value '${filter}' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [${STATUSES.join(", ")}, PENDING_REDRIVE]`,
      );
    }
    const all = [...this.executions.values()]
      .map((e) => e.record)
      .filter((r) => r.stateMachineArn === m.arn && (filter === undefined || r.status === filter))
      .sort((a, b) => b.startDate.getTime() - a.startDate.getTime());
    const page = paginate(all, input, `executions:${m.arn}:${filter ?? ""}`);
    return {
      executions: page.items.map((r) => ({
        executionArn: r.executionArn,
        stateMachineArn: r.stateMachineArn,
        name: r.name,
        status: r.status,
        startDate: r.startDate,
        ...(r.stopDate ? { stopDate: r.stopDate } : {}),
      })),
      ...(page.nextToken ? { nextToken: page.nextToken } : {}),
    };
  }

  private async stopExecution(region: string, input: Record<string, unknown>): Promise<SandboxOutput> {
    const e = this.execution(region, str(input, "executionArn", true));
    if (e.record.status === "RUNNING") {
      e.stop("ABORTED", str(input, "error"), str(input, "cause"));
      await e.record.done;
    }
    return { stopDate: e.record.stopDate ?? this.now };
  }
}

// ---- Helpers --------------------------------------------------------------------------------

function str(input: Record<string, unknown>, key: string, required: true): string;
function str(input: Record<string, unknown>, key: string, required?: false): string | undefined;
function str(input: Record<string, unknown>, key: string, required = false): string | undefined {
  const v = input[key];
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

function parseArn(arn: string, kind: "stateMachine" | "execution"): { region: string } {
  const m =
    /^arn:aws[\w-]*:states:([a-z0-9-]+):(\d{12}):(stateMachine|execution):([A-Za-z0-9_-]+)(?::([A-Za-z0-9_-]+))?$/.exec(
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

function describeMachine(m: StateMachineRecord): SandboxOutput {
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

function describeExecution(r: ExecutionRecord): SandboxOutput {
  return {
    executionArn: r.executionArn,
    stateMachineArn: r.stateMachineArn,
    name: r.name,
    status: r.status,
    startDate: r.startDate,
    ...(r.stopDate ? { stopDate: r.stopDate } : {}),
    input: r.input,
    inputDetails: { included: true },
    ...(r.output !== undefined ? { output: r.output, outputDetails: { included: true } } : {}),
    ...(r.error !== undefined ? { error: r.error } : {}),
    ...(r.cause !== undefined ? { cause: r.cause } : {}),
    redriveCount: 0,
    redriveStatus: "NOT_REDRIVABLE",
  };
}

function sameJson(a: string, b: string): boolean {
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return a === b;
  }
}

const DATA_FIELDS = ["input", "output", "parameters"];

/** includeExecutionData=false: the events without their input/output payloads. */
function withoutData(e: HistoryEvent): HistoryEvent {
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
function paginate<T>(
  all: T[],
  input: Record<string, unknown>,
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
