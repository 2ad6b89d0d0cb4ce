import type { HistoryEvent } from "@aws-sdk/client-sfn";
import { isRedriveHelper, ROOT_SCOPE } from "./definition.js";
import { ExecutionState } from "./execution-state.js";
import type { LibEvent, Thread } from "./execution-types.js";
import {
  DATA_LIMIT_EXCEEDED,
  dataLimitCause,
  HISTORY_LIMIT,
  MAX_HISTORY_EVENTS,
  tooLarge,
} from "./limits.js";
import { taskEvents } from "./task-events.js";
import { causeText } from "./task-support.js";

export abstract class ExecutionEvents extends ExecutionState {
  protected async consume(events: AsyncGenerator<LibEvent>): Promise<void> {
    for await (const ev of events) this.onEvent(ev);
  }

  protected scopeOf(ev: LibEvent): string {
    const name = ev.state?.name ?? ev.parentState?.name;
    if (name === undefined) return ROOT_SCOPE;
    return this.deps.index.states.get(name)?.scope ?? ROOT_SCOPE;
  }

  protected onEvent(ev: LibEvent): void {
    if (isRedriveHelper(ev.state?.name)) return;
    if (ev.type === "StateEntered" && ev.state) this.stateInputs.set(ev.state.name, ev.state.input);
    const t = this.thread(this.scopeOf(ev));
    if (t.aborted && ev.type !== "ExecutionStarted") return;
    if (t.holding) {
      t.held.push(ev);
      return;
    }
    const sleeping = t.sleeper !== undefined && !t.sleeper.woken && !t.sleeper.cancelled;
    if (sleeping && ev.type === "StateExited" && ev.state?.type === "Wait") {
      t.holding = true;
      t.held.push(ev);
      return;
    }
    if (sleeping && ev.type === "StateRetried") {
      t.holding = true;
      return;
    }
    this.convert(t, ev);
  }

  protected flush(t: Thread): void {
    if (!t.holding) return;
    t.holding = false;
    const held = t.held;
    t.held = [];
    for (const ev of held) this.convert(t, ev);
  }

  protected convert(t: Thread, ev: LibEvent): void {
    const s = ev.state;
    switch (ev.type) {
      case "ExecutionStarted":
        if (this.resume) {
          const redriveCount = this.record.redriveCount;
          this.append(t.scope, "ExecutionRedriven", { executionRedrivenEventDetails: { redriveCount } });
          return;
        }
        this.append(t.scope, "ExecutionStarted", {
          executionStartedEventDetails: {
            input: this.record.input,
            inputDetails: { truncated: false },
            roleArn: this.record.roleArn,
          },
        });
        return;
      case "ExecutionSucceeded":
        this.append(t.scope, "ExecutionSucceeded", {
          executionSucceededEventDetails: {
            output: JSON.stringify(ev.output ?? null),
            outputDetails: { truncated: false },
          },
        });
        return;
      case "ExecutionFailed": {
        const cause = causeText(ev.Cause);
        const details = { error: ev.Error ?? "States.Runtime", ...(cause && { cause }) };
        this.append(t.scope, "ExecutionFailed", { executionFailedEventDetails: details });
        return;
      }
      case "StateEntered":
        if (!s) return;
        if (s.type === "Parallel" || s.type === "Map") {
          this.parallelStarted.delete(s.name);
          this.parallelFailed.delete(s.name);
        }
        this.append(t.scope, `${s.type}StateEntered`, {
          stateEnteredEventDetails: {
            name: s.name,
            input: JSON.stringify(s.input),
            inputDetails: { truncated: false },
          },
        });
        return;
      case "StateExited":
        if (!s || s.type === "Fail") return;
        if (tooLarge(JSON.stringify(s.output ?? null))) {
          this.stop("FAILED", DATA_LIMIT_EXCEEDED, dataLimitCause(s.name));
          return;
        }
        if ((s.type === "Parallel" || s.type === "Map") && !this.parallelFailed.has(s.name)) {
          this.append(t.scope, `${s.type}StateSucceeded`, {});
        }
        this.append(t.scope, `${s.type}StateExited`, {
          stateExitedEventDetails: {
            name: s.name,
            output: JSON.stringify(s.output ?? null),
            outputDetails: { truncated: false },
          },
        });
        return;
      case "StateFailed": {
        if (!s) return;
        if (s.type === "Task") {
          const track = this.tasks.get(s.name);
          if (track?.failureRecorded) {
            track.failureRecorded = false;
            return;
          }
          const resource = this.deps.index.states.get(s.name)?.def.Resource ?? "";
          const failed = taskEvents(resource, this.deps.region).failed(
            ev.Error ?? "States.TaskFailed",
            causeText(ev.Cause),
          );
          this.append(t.scope, failed.type, failed.details);
        } else if (s.type === "Parallel" || s.type === "Map") {
          this.failParallel(s.name);
          this.append(t.scope, `${s.type}StateFailed`, {});
        }
        return;
      }
      case "ParallelBranchStarted": {
        const p = ev.parentState?.name;
        if (p && !this.parallelStarted.has(p)) {
          this.parallelStarted.add(p);
          this.append(t.scope, "ParallelStateStarted", {});
        }
        return;
      }
      case "MapIterationStarted":
      case "MapIterationSucceeded":
      case "MapIterationFailed": {
        const detailsKey = `${ev.type.charAt(0).toLowerCase()}${ev.type.slice(1)}EventDetails`;
        const p = ev.parentState?.name ?? "";
        if (ev.type === "MapIterationStarted" && !this.parallelStarted.has(p)) {
          this.parallelStarted.add(p);
          this.append(t.scope, "MapStateStarted", {});
        }
        this.append(t.scope, ev.type, { [detailsKey]: { name: p, index: ev.index ?? 0 } });
        return;
      }
      case "ParallelBranchFailed":
        if (ev.parentState) this.failParallel(ev.parentState.name);
        return;
      default:
        // StateRetried, StateCaught, ParallelBranchSucceeded, ExecutionAborted/Timeout: no SFN event.
        return;
    }
  }

  /** A failed branch aborts its siblings: their pending Waits and retries never happen. */
  protected failParallel(parallelState: string): void {
    this.parallelFailed.add(parallelState);
    for (const scope of this.deps.index.scopes.values()) {
      if (scope.parallelState === parallelState) {
        for (const t of this.threads.values()) {
          if (t.scope === scope.id || t.scope.startsWith(`${scope.id}/`)) this.abortThread(t);
        }
      }
    }
  }

  protected append(scope: string, type: string, details: Record<string, unknown>): void {
    const history = this.record.history;
    // Once stopped, only the terminal event; event 25,000 is ExecutionSucceeded or the failure.
    if (this.stopReason && !this.closing) return;
    if (history.length >= MAX_HISTORY_EVENTS - 1 && !this.closing && type !== "ExecutionSucceeded") {
      this.stop("FAILED", HISTORY_LIMIT.error, HISTORY_LIMIT.cause);
      return;
    }
    const id = history.length + 1;
    const prev = this.previousId(scope);
    const event = {
      timestamp: new Date(this.now),
      type,
      id,
      previousEventId: prev,
      ...details,
    } as HistoryEvent;
    history.push(event);
    // The first state's events point at 0, not at ExecutionStarted (as AWS numbers them).
    if (type !== "ExecutionStarted") this.thread(scope).lastEventId = id;
  }

  protected previousId(scope: string): number {
    let s: string | undefined = scope;
    while (s !== undefined) {
      const t = this.threads.get(s);
      if (t?.lastEventId !== undefined) return t.lastEventId;
      s = this.deps.index.scopes.get(s)?.parent;
    }
    return 0;
  }
}
