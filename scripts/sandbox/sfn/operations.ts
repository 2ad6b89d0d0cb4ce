/**
 * The Step Functions operations the emulation answers, typed by the SFN client (world/typed.ts):
 * each handler's input is the operation's SDK input and its result the SDK output, with no member
 * the API lacks. State machines are validated and indexed on CreateStateMachine; executions run
 * in execution.ts.
 */
import { randomUUID } from "node:crypto";
import { SandboxError } from "../types.js";
import type { Sfn } from "../world/handlers.js";
import { asyncTypedHandlers } from "../world/typed.js";
import {
  describeExecution,
  describeMachine,
  executionBasics,
  paginate,
  parseArn,
  parseDefinition,
  type SfnCtx,
  type SfnState,
  type StateMachineRecord,
  sameJson,
  str,
  validName,
  watchStatus,
  withoutData,
} from "./api-support.js";
import { callbackHandlers } from "./callback-operations.js";
import { ExecutionRunner, type ExecutionStatus } from "./execution.js";
import { MAX_PAYLOAD_BYTES } from "./limits.js";
import { redriveExecution, redriveStatusOf } from "./redrive.js";

const STATUSES: ExecutionStatus[] = ["RUNNING", "SUCCEEDED", "FAILED", "ABORTED", "TIMED_OUT"];

function machine(sfn: SfnState, region: string, arn: string): StateMachineRecord {
  const parts = parseArn(arn, "stateMachine");
  const m = sfn.machines.get(arn);
  if (!m || parts.region !== region) {
    throw new SandboxError("StateMachineDoesNotExist", `State Machine Does Not Exist: '${arn}'`);
  }
  return m;
}

function execution(sfn: SfnState, region: string, arn: string): ExecutionRunner {
  const parts = parseArn(arn, "execution");
  const e = sfn.executions.get(arn);
  if (!e || parts.region !== region) {
    throw new SandboxError("ExecutionDoesNotExist", `Execution Does Not Exist: '${arn}'`);
  }
  return e;
}

export const sfnHandlers = asyncTypedHandlers<Sfn, SfnCtx>()({
  ...callbackHandlers,
  CreateStateMachine({ input, region, sfn }) {
    const name = str(input, "name", true);
    const definition = str(input, "definition", true);
    const roleArn = str(input, "roleArn", true);
    const type = (str(input, "type") ?? "STANDARD") as StateMachineRecord["type"];
    if (!validName(name)) throw new SandboxError("InvalidName", `Invalid Name: '${name}'`);
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
    const arn = `arn:aws:states:${region}:${sfn.options.account}:stateMachine:${name}`;
    const existing = sfn.machines.get(arn);
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
      creationDate: sfn.now(),
      index,
    };
    sfn.machines.set(arn, rec);
    return { stateMachineArn: arn, creationDate: rec.creationDate };
  },

  DescribeStateMachine({ input, region, sfn }) {
    return describeMachine(machine(sfn, region, str(input, "stateMachineArn", true)));
  },

  ListStateMachines({ input, region, sfn }) {
    const all = [...sfn.machines.values()].filter((m) => m.region === region);
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
  },

  DeleteStateMachine({ input, region, sfn }) {
    const arn = str(input, "stateMachineArn", true);
    const m = sfn.machines.get(arn);
    if (m && m.region === region) {
      sfn.machines.delete(arn);
      for (const e of sfn.executions.values()) {
        if (e.record.stateMachineArn === arn)
          e.stop("ABORTED", "States.Aborted", "The state machine was deleted");
      }
    }
    return {};
  },

  StartExecution({ input, region, sfn }) {
    const m = machine(sfn, region, str(input, "stateMachineArn", true));
    const name = str(input, "name") ?? randomUUID();
    if (!validName(name)) throw new SandboxError("InvalidName", `Invalid Name: '${name}'`);
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
    const arn = `arn:aws:states:${m.region}:${sfn.options.account}:execution:${m.name}:${name}`;
    const existing = sfn.executions.get(arn);
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
        scheduler: sfn.options.scheduler,
        registry: sfn.options.registry,
        region: m.region,
        tokens: sfn.tokens,
      },
      {
        executionArn: arn,
        stateMachineArn: m.arn,
        stateMachineName: m.name,
        name,
        roleArn: m.roleArn,
        input: text,
        startDate: sfn.now(),
      },
    );
    sfn.executions.set(arn, runner);
    runner.start();
    watchStatus(sfn, runner);
    return { executionArn: arn, startDate: runner.record.startDate };
  },

  DescribeExecution({ input, region, sfn }) {
    const r = execution(sfn, region, str(input, "executionArn", true)).record;
    return describeExecution(r, redriveStatusOf(r, sfn.now().getTime(), sfn.machines.has(r.stateMachineArn)));
  },

  DescribeStateMachineForExecution({ input, region, sfn }) {
    const ex = execution(sfn, region, str(input, "executionArn", true)).record;
    const m = sfn.machines.get(ex.stateMachineArn);
    if (!m)
      throw new SandboxError(
        "StateMachineDoesNotExist",
        `State Machine Does Not Exist: '${ex.stateMachineArn}'`,
      );
    const { stateMachineArn, name, definition, roleArn } = describeMachine(m);
    return { stateMachineArn, name, definition, roleArn, updateDate: m.creationDate };
  },

  GetExecutionHistory({ input, region, sfn }) {
    const arn = str(input, "executionArn", true);
    const rec = execution(sfn, region, arn).record;
    const reverse = input.reverseOrder === true;
    const includeData = input.includeExecutionData !== false;
    const events = reverse ? [...rec.history].reverse() : [...rec.history];
    const page = paginate(events, input, `history:${arn}:${reverse}`);
    return {
      events: page.items.map((e) => (includeData ? e : withoutData(e))),
      ...(page.nextToken ? { nextToken: page.nextToken } : {}),
    };
  },

  ListExecutions({ input, region, sfn }) {
    const m = machine(sfn, region, str(input, "stateMachineArn", true));
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
    const all = [...sfn.executions.values()]
      .map((e) => e.record)
      .filter((r) => r.stateMachineArn === m.arn && (filter === undefined || r.status === filter))
      .sort((a, b) => b.startDate.getTime() - a.startDate.getTime());
    const page = paginate(all, input, `executions:${m.arn}:${filter ?? ""}`);
    return {
      executions: page.items.map((r) => ({
        ...executionBasics(r),
        redriveCount: r.redriveCount,
        ...(r.redriveDate && { redriveDate: r.redriveDate }),
      })),
      ...(page.nextToken ? { nextToken: page.nextToken } : {}),
    };
  },

  RedriveExecution({ input, region, sfn }) {
    const arn = execution(sfn, region, str(input, "executionArn", true)).record.executionArn;
    return redriveExecution(sfn, arn, str(input, "clientToken"));
  },

  async StopExecution({ input, region, sfn }) {
    const e = execution(sfn, region, str(input, "executionArn", true));
    if (e.record.status === "RUNNING") {
      e.stop("ABORTED", str(input, "error"), str(input, "cause"));
      await e.record.done;
    }
    return { stopDate: e.record.stopDate ?? sfn.now() };
  },
});
