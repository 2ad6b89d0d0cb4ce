/**
 * Task tokens of the callback pattern (`.waitForTaskToken`) and the SendTaskSuccess /
 * SendTaskFailure / SendTaskHeartbeat answers, as Step Functions documents them
 * (docs/fidelity.md, "Step Functions"):
 * - a token is issued when a callback Task starts (`$$.Task.Token`), one per attempt; it is
 *   unguessable (a random nonce) and tied to its execution, state and region (HMAC-signed with a
 *   secret of this sandbox): a token this sandbox did not sign is InvalidToken;
 * - the Task waits for an answer on the virtual clock, at most TimeoutSeconds (States.Timeout) and,
 *   with HeartbeatSeconds, at most that long between heartbeats (States.HeartbeatTimeout);
 * - once the task is closed (answered, timed out, its execution stopped) every answer is
 *   TaskTimedOut ("the task associated with the token has already been closed");
 * - a signed token of another region is TaskDoesNotExist there.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { SandboxError } from "../types.js";
import type { Scheduler, Sleeper } from "./scheduler.js";

/** What a waiting callback Task gets: the answer, or the reason it stopped waiting. */
export type CallbackOutcome =
  | { kind: "success"; output: string }
  | { kind: "failure"; error: string; cause: string }
  | { kind: "timeout"; error: "States.Timeout" | "States.HeartbeatTimeout" }
  | { kind: "closed" };

/** SendTaskFailure's error and cause, reported by the Task as they were sent (no Lambda wrapping). */
export class CallbackFailure extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

interface Pending {
  executionArn: string;
  stateName: string;
  region: string;
  resolve: (o: CallbackOutcome) => void;
  deadline?: Sleeper;
  heartbeat?: { seconds: number; sleeper?: Sleeper };
  waiting: boolean;
  /** An answer that came before the wait began. */
  early?: CallbackOutcome;
}

interface TokenBody {
  /** execution ARN */
  e: string;
  /** state name */
  s: string;
  /** region */
  r: string;
  /** nonce */
  n: string;
}

const timedOut = () =>
  new SandboxError("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'");

const b64 = (b: Buffer | string): string => Buffer.from(b).toString("base64url");

export class TaskTokens {
  private readonly secret = randomBytes(32);
  private readonly open = new Map<string, Pending>();
  private readonly listeners: ((issued: {
    token: string;
    executionArn: string;
    stateName: string;
  }) => void)[] = [];

  constructor(private readonly scheduler: Scheduler) {}

  /** Called with every token issued (the local runner's scenario approver). */
  onIssued(listener: (issued: { token: string; executionArn: string; stateName: string }) => void): void {
    this.listeners.push(listener);
  }

  /** A new token for one attempt of a callback Task. */
  issue(executionArn: string, stateName: string, region: string): string {
    const body = b64(JSON.stringify({ e: executionArn, s: stateName, r: region, n: b64(randomBytes(24)) }));
    const token = `${body}.${b64(this.sign(body))}`;
    this.open.set(token, { executionArn, stateName, region, resolve: () => undefined, waiting: false });
    for (const l of this.listeners) l({ token, executionArn, stateName });
    return token;
  }

  /**
   * Waits for the answer to `token`, at most until `deadlineMs` (virtual) and `heartbeatSeconds`
   * between heartbeats. The caller's thread counts as idle meanwhile (the clock may move).
   */
  wait(
    token: string,
    deadlineMs: number | undefined,
    heartbeatSeconds: number | undefined,
  ): Promise<CallbackOutcome> {
    const p = this.open.get(token);
    if (!p) return Promise.resolve({ kind: "closed" });
    const early = p.early;
    if (early) {
      this.close(token);
      return Promise.resolve(early);
    }
    return new Promise<CallbackOutcome>((resolve) => {
      p.waiting = true;
      p.resolve = (o) => {
        this.close(token);
        resolve(o);
      };
      if (deadlineMs !== undefined) {
        p.deadline = this.scheduler.sleepUntil(deadlineMs, () =>
          p.resolve({ kind: "timeout", error: "States.Timeout" }),
        );
      }
      if (heartbeatSeconds !== undefined) {
        p.heartbeat = { seconds: heartbeatSeconds };
        this.armHeartbeat(p);
      }
    });
  }

  /** SendTaskSuccess: `output` is the Task's result. */
  succeed(token: string, region: string, output: string): void {
    this.answer(token, region, { kind: "success", output });
  }

  /** SendTaskFailure: the Task fails with this error and cause. */
  fail(token: string, region: string, error: string, cause: string): void {
    this.answer(token, region, { kind: "failure", error, cause });
  }

  /** SendTaskHeartbeat: restarts the heartbeat clock. */
  heartbeat(token: string, region: string): void {
    const p = this.pending(token, region);
    if (p.heartbeat) this.armHeartbeat(p);
  }

  /** The execution stopped (aborted, timed out, failed): its open tasks are closed. */
  closeExecution(executionArn: string): void {
    for (const [token, p] of [...this.open]) {
      if (p.executionArn !== executionArn) continue;
      if (p.waiting) p.resolve({ kind: "closed" });
      else this.close(token);
    }
  }

  /** The task failed before it began waiting: its token is closed. */
  discard(token: string): void {
    this.close(token);
  }

  /** Tokens still waiting for an answer (tests, diagnostics). */
  waiting(executionArn?: string): string[] {
    return [...this.open]
      .filter(([, p]) => p.waiting && (!executionArn || p.executionArn === executionArn))
      .map(([t]) => t);
  }

  private answer(token: string, region: string, outcome: CallbackOutcome): void {
    const p = this.pending(token, region);
    if (p.waiting) p.resolve(outcome);
    else if (p.early) throw timedOut();
    // Answered while the function that got the token still runs: the wait ends at once.
    else p.early = outcome;
  }

  /** The open task of a token, or the error Step Functions answers. */
  private pending(token: string, region: string): Pending {
    const body = this.verify(token);
    const p = this.open.get(token);
    if (body.r !== region) {
      throw new SandboxError("TaskDoesNotExist", `Task Does Not Exist: the task token belongs to ${body.r}`);
    }
    if (!p) throw timedOut();
    return p;
  }

  private verify(token: string): TokenBody {
    const [body, mac, ...rest] = token.split(".");
    const invalid = () => new SandboxError("InvalidToken", "Invalid Token: 'Invalid token'");
    if (!body || !mac || rest.length > 0) throw invalid();
    const expected = this.sign(body);
    const given = Buffer.from(mac, "base64url");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
    return JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as TokenBody;
  }

  private sign(body: string): Buffer {
    return createHmac("sha256", this.secret).update(body).digest();
  }

  private armHeartbeat(p: Pending): void {
    const hb = p.heartbeat;
    if (!hb) return;
    if (hb.sleeper) this.scheduler.cancel(hb.sleeper);
    hb.sleeper = this.scheduler.sleepUntil(this.scheduler.nowMs() + hb.seconds * 1000, () =>
      p.resolve({ kind: "timeout", error: "States.HeartbeatTimeout" }),
    );
  }

  private close(token: string): void {
    const p = this.open.get(token);
    if (!p) return;
    this.open.delete(token);
    if (p.deadline) this.scheduler.cancel(p.deadline);
    if (p.heartbeat?.sleeper) this.scheduler.cancel(p.heartbeat.sleeper);
  }
}
