/** An execution as the Step Functions API reports it, and the emulation's bookkeeping of its branches and Tasks. */
import type { HistoryEvent } from "@aws-sdk/client-sfn";
import type { DefinitionIndex } from "./definition.js";
import type { LambdaRegistry } from "./lambda-registry.js";
import type { Scheduler, Sleeper } from "./scheduler.js";
import type { TaskTokens } from "./task-tokens.js";

export type ExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "ABORTED" | "TIMED_OUT";

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  stateMachineName: string;
  name: string;
  roleArn: string;
  input: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  history: HistoryEvent[];
  /** Emulation caveats noticed while running (a Wait duration it could not derive, ...). */
  warnings: string[];
  /** Lambda invocations whose Task timed out and that still ran on; each settles when it ends. */
  detached: Promise<void>[];
  /** Resolves when the execution reached a terminal status. */
  done: Promise<void>;
  /** Times redriven (redrive.ts), when last, and the clientTokens of the last redrives. */
  redriveCount: number;
  redriveDate?: Date;
  redriveTokens: { token: string; firstUsedMs: number; redriveDate: Date }[];
}

export interface LibEvent {
  type: string;
  timestamp: number;
  state?: { name: string; type: string; input: unknown; output?: unknown };
  parentState?: { name: string; type: string; input: unknown };
  input?: unknown;
  output?: unknown;
  Error?: string;
  Cause?: unknown;
  index?: number;
}

export interface Thread {
  scope: string;
  /** Pending wake-up (Wait or Retry interval) the branch's next Task waits for. */
  sleeper?: Sleeper;
  holding: boolean;
  held: LibEvent[];
  lastEventId?: number;
  aborted: boolean;
}

export interface TaskTrack {
  attempts: number[];
  retryPending: boolean;
  /** Error of the last failed invocation, until the engine asked whether to retry it. */
  lastError?: string;
  /** The wrapper already recorded the failure event (LambdaFunctionFailed, …) for the engine's next StateFailed event. */
  failureRecorded: boolean;
  enteredAtMs: number;
}

export interface ExecutionDeps {
  index: DefinitionIndex;
  scheduler: Scheduler;
  registry: LambdaRegistry;
  region: string;
  tokens: TaskTokens;
}
