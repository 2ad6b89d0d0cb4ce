/**
 * The sandbox's AWS Step Functions: a SandboxBackend for service "sfn" whose inputs and outputs
 * are the SDK v3 SFN client's shapes (awsJson1.0, camelCase members, Date timestamps), answered by
 * the handlers of operations.ts (typed by the SFN client). Executions run in aws-local-stepfunctions
 * on the virtual clock (see execution.ts).
 */
import { type SandboxBackend, type SandboxCall, type SandboxOutput, UnknownOperation } from "../types.js";
import type { SfnCtx, SfnState, StateMachineRecord } from "./api-support.js";
import type { ExecutionRecord, ExecutionRunner } from "./execution.js";
import type { LambdaRegistry } from "./lambda-registry.js";
import { sfnHandlers } from "./operations.js";
import type { Scheduler } from "./scheduler.js";
import { TaskTokens } from "./task-tokens.js";

export { parseDefinition } from "./api-support.js";

export interface SfnBackendOptions {
  account: string;
  scheduler: Scheduler;
  registry: LambdaRegistry;
}

/**
 * The loose view `call` dispatches through (operation name → handler of any input). Sound for the
 * reason the world's dispatch table is (world/handlers.ts, dispatchTable): the wire layer decodes
 * every request with the SFN model these handler types come from and refuses one that does not fit.
 */
const DISPATCH = sfnHandlers as unknown as Record<
  string,
  ((ctx: SfnCtx) => SandboxOutput | Promise<SandboxOutput>) | undefined
>;

export class SfnBackend implements SandboxBackend {
  private readonly state: SfnState;

  constructor(readonly options: SfnBackendOptions) {
    const scheduler = options.scheduler;
    this.state = {
      options,
      machines: new Map<string, StateMachineRecord>(),
      executions: new Map<string, ExecutionRunner>(),
      tokens: new TaskTokens(scheduler),
      statusListeners: [],
      now: () => new Date(scheduler.nowMs()),
    };
  }

  async call(call: SandboxCall): Promise<SandboxOutput> {
    if (call.service !== "sfn") throw new UnknownOperation(call.service, call.operation);
    const handler = Object.hasOwn(DISPATCH, call.operation) ? DISPATCH[call.operation] : undefined;
    if (!handler) throw new UnknownOperation("sfn", call.operation);
    return await handler({ input: call.input, region: call.region, sfn: this.state });
  }

  /** The task tokens (the local runner's scenario approver listens for new ones). */
  get tokens(): TaskTokens {
    return this.state.tokens;
  }

  /** Every execution (tests and the runner's diagnostics). */
  executionRecords(): ExecutionRecord[] {
    return [...this.state.executions.values()].map((e) => e.record);
  }

  /** Calls `listener` when an execution starts and when it ends; returns the unsubscribe. */
  onStatusChange(listener: (record: ExecutionRecord) => void): () => void {
    this.state.statusListeners.push(listener);
    return () => {
      const i = this.state.statusListeners.indexOf(listener);
      if (i >= 0) this.state.statusListeners.splice(i, 1);
    };
  }

  /** Stops every running execution (shutdown): nobody is told, nothing starts in their wake. */
  stopAll(): void {
    this.state.statusListeners.length = 0;
    for (const e of this.state.executions.values())
      e.stop("ABORTED", "Sandbox.Shutdown", "The sandbox is shutting down");
  }
}
