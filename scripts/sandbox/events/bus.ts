/**
 * The sandbox's default event bus, for the events drctl reacts to: Step Functions sends
 * "Step Functions Execution Status Change" when an execution starts and when it ends
 * (https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html); each rule whose pattern
 * matches gets it, and a target that is a state machine is started (StartExecution, a generated
 * name) with the target's input. Deliveries are recorded for tests and diagnostics.
 */
import { randomUUID } from "node:crypto";
import type { SfnBackend } from "../sfn/backend.js";
import type { ExecutionRecord } from "../sfn/execution.js";
import { matchesPattern } from "./pattern.js";
import type { EventRule } from "./rules.js";
import { targetInput } from "./transformer.js";

export interface Delivery {
  rule: string;
  event: Record<string, unknown>;
  target: string;
  /** The started execution, or why it could not start. */
  executionArn?: string;
  error?: string;
}

/** The event as Step Functions sends it (timestamps of the detail in epoch milliseconds). */
export function executionStatusEvent(r: ExecutionRecord, account: string, region: string, now: Date) {
  return {
    version: "0",
    id: randomUUID(),
    "detail-type": "Step Functions Execution Status Change",
    source: "aws.states",
    account,
    time: now.toISOString().replace(/\.\d{3}Z$/, "Z"),
    region,
    resources: [r.executionArn],
    detail: {
      executionArn: r.executionArn,
      stateMachineArn: r.stateMachineArn,
      name: r.name,
      status: r.status,
      startDate: r.startDate.getTime(),
      stopDate: r.stopDate ? r.stopDate.getTime() : null,
      input: r.input,
      inputDetails: { included: true },
      output: r.output ?? null,
      outputDetails: r.output !== undefined ? { included: true } : null,
      error: r.error ?? null,
      cause: r.cause ?? null,
    },
  };
}

export interface ExecutionEventBus {
  deliveries: Delivery[];
  /** Resolves when every delivery so far has started its target (or failed to). */
  settled(): Promise<void>;
  close(): void;
}

export function connectExecutionEvents(
  sfn: SfnBackend,
  rules: EventRule[],
  opts: { account: string; region: string; now: () => Date },
): ExecutionEventBus {
  const deliveries: Delivery[] = [];
  const inFlight = new Set<Promise<void>>();
  const machineArn = /^arn:aws[\w-]*:states:([a-z0-9-]+):\d{12}:stateMachine:[^:]+$/;
  const deliver = async (rule: EventRule, event: Record<string, unknown>, arn: string, input: string) => {
    const d: Delivery = { rule: rule.name, event, target: arn };
    deliveries.push(d);
    const region = machineArn.exec(arn)?.[1];
    if (!region) {
      d.error = `the sandbox delivers to state machines only (target ${arn})`;
      return;
    }
    try {
      const out = (await sfn.call({
        service: "sfn",
        operation: "StartExecution",
        region,
        input: { stateMachineArn: arn, name: randomUUID(), input },
      })) as { executionArn?: string };
      if (out.executionArn) d.executionArn = out.executionArn;
    } catch (e) {
      d.error = (e as Error).message;
    }
  };
  const unsubscribe = sfn.onStatusChange((record) => {
    const event = executionStatusEvent(record, opts.account, opts.region, opts.now());
    for (const rule of rules) {
      if (!matchesPattern(rule.pattern, event)) continue;
      for (const target of rule.targets) {
        const p = deliver(rule, event, target.arn, targetInput(target, event));
        inFlight.add(p);
        void p.finally(() => inFlight.delete(p));
      }
    }
  });
  return {
    deliveries,
    settled: async () => {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    close: unsubscribe,
  };
}
