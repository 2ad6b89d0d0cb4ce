/**
 * Static analysis of an ASL (JSONPath) definition for the emulation: which branch (thread scope)
 * each state runs in, the Task states and their Lambda functions, and where each Wait state's
 * duration comes from (the Task whose ResultPath holds the Wait's SecondsPath).
 */
import type { Branch, Retrier, State, StateMachineDefinition } from "../../../state-machines/asl.js";

/** Every member of any type in the union `U`, optional, with the member's type there. */
type Members<U> = {
  [K in U extends unknown ? keyof U : never]?: U extends unknown ? (K extends keyof U ? U[K] : never) : never;
};

export type AslRetrier = Retrier;

/**
 * A state as the emulation reads it: the members of the ASL types drctl's machines are written
 * with (state-machines/asl.ts), each optional, and any other member (a definition arrives as
 * JSON: Map's ItemProcessor, Wait's Timestamp, …).
 */
export type AslState = Omit<Members<State>, "Type" | "Branches"> & {
  Type: string;
  Branches?: AslBranch[];
  [other: string]: unknown;
};

export type AslBranch = Omit<Branch, "States"> & { States: Record<string, AslState> };

export type AslDefinition = Omit<StateMachineDefinition, "States"> & AslBranch;

/** Root scope id; a Parallel branch is `<parent scope>/<Parallel state>[<index>]`. */
export const ROOT_SCOPE = "";

/** States a redrive adds to restart a branch (redrive.ts); they write no history events. */
export const REDRIVE_HELPER_PREFIX = "__redrive__";
export const isRedriveHelper = (name: string | undefined): boolean =>
  name?.startsWith(REDRIVE_HELPER_PREFIX) === true;

export interface StateInfo {
  name: string;
  type: string;
  scope: string;
  def: AslState;
}

export interface ScopeInfo {
  id: string;
  parent?: string;
  /** The Parallel state that runs this branch. */
  parallelState?: string;
}

export type WaitSource =
  | { kind: "seconds"; seconds: number }
  | { kind: "timestamp"; timestamp: string }
  /** Seconds found at `rest` inside the latest result of a Task (in `producers`) with this ResultPath. */
  | { kind: "result"; resultPath: string; rest: string[]; producers: string[] }
  | { kind: "unknown"; reason: string };

export interface DefinitionIndex {
  definition: AslDefinition;
  states: Map<string, StateInfo>;
  scopes: Map<string, ScopeInfo>;
  waits: Map<string, WaitSource>;
}

export class DefinitionError extends Error {
  override readonly name = "DefinitionError";
}

export function indexDefinition(definition: AslDefinition): DefinitionIndex {
  const states = new Map<string, StateInfo>();
  const scopes = new Map<string, ScopeInfo>();
  const visit = (branch: AslBranch, scope: ScopeInfo): void => {
    scopes.set(scope.id, scope);
    if (!branch || typeof branch.States !== "object" || branch.States === null) {
      throw new DefinitionError(`branch '${scope.id || "(root)"}' has no States`);
    }
    for (const [name, def] of Object.entries(branch.States)) {
      if (states.has(name)) {
        throw new DefinitionError(`state name '${name}' is used more than once; names must be unique`);
      }
      states.set(name, { name, type: def.Type, scope: scope.id, def });
      if (def.Type === "Parallel") {
        (def.Branches ?? []).forEach((b, i) => {
          visit(b, { id: `${scope.id}/${name}[${i}]`, parent: scope.id, parallelState: name });
        });
      }
      // Map iterations share one scope: their Tasks are bound, but concurrent iterations' Waits
      // and retries are not told apart (the recovery machine has no Map state).
      const processor = (def.ItemProcessor ?? def.Iterator) as AslBranch | undefined;
      if (def.Type === "Map" && processor)
        visit(processor, { id: `${scope.id}/${name}[*]`, parent: scope.id });
    }
  };
  visit(definition, { id: ROOT_SCOPE });
  const waits = new Map<string, WaitSource>();
  for (const info of states.values()) {
    if (info.type === "Wait") waits.set(info.name, waitSource(info, states));
  }
  return { definition, states, scopes, waits };
}

/** `$.a.b` → ["a", "b"]; undefined for paths this analysis does not follow (filters, indexes, $$). */
export function pathSegments(path: string): string[] | undefined {
  if (path === "$") return [];
  if (!path.startsWith("$.")) return undefined;
  const segs = path.slice(2).split(".");
  return segs.every((s) => /^[A-Za-z_][\w-]*$/.test(s)) ? segs : undefined;
}

function waitSource(info: StateInfo, states: Map<string, StateInfo>): WaitSource {
  const d = info.def;
  if (typeof d.Seconds === "number") return { kind: "seconds", seconds: d.Seconds };
  if (typeof d.Timestamp === "string") return { kind: "timestamp", timestamp: d.Timestamp };
  if (typeof d.TimestampPath === "string") {
    return { kind: "unknown", reason: `TimestampPath ${d.TimestampPath} is not emulated` };
  }
  if (typeof d.SecondsPath !== "string") return { kind: "unknown", reason: "no Seconds/SecondsPath" };
  const want = pathSegments(d.SecondsPath);
  if (!want) return { kind: "unknown", reason: `SecondsPath ${d.SecondsPath} is not a simple path` };
  // The Task in the same branch whose ResultPath is the longest prefix of SecondsPath.
  let best: { segs: string[]; producers: string[] } | undefined;
  for (const other of states.values()) {
    if (other.scope !== info.scope || other.type !== "Task") continue;
    const rp = other.def.ResultPath === undefined ? "$" : other.def.ResultPath;
    if (rp === null) continue;
    const segs = pathSegments(rp);
    if (!segs || segs.length > want.length || !segs.every((s, i) => want[i] === s)) continue;
    if (!best || segs.length > best.segs.length) best = { segs, producers: [other.name] };
    else if (segs.length === best.segs.length) best.producers.push(other.name);
  }
  if (!best) {
    return { kind: "unknown", reason: `no Task in the same branch writes a prefix of ${d.SecondsPath}` };
  }
  return {
    kind: "result",
    resultPath: best.segs.length ? `$.${best.segs.join(".")}` : "$",
    rest: want.slice(best.segs.length),
    producers: best.producers,
  };
}

/**
 * The optimized integration (`Parameters: {FunctionName, Payload}`); the result is the Invoke
 * response, or with `.waitForTaskToken` the output SendTaskSuccess sends.
 */
export const LAMBDA_INVOKE = /^arn:aws[\w-]*:states:::lambda:invoke(\.waitForTaskToken)?$/;
/** The callback pattern: the Task waits for SendTaskSuccess / SendTaskFailure with its token. */
export const CALLBACK = /^arn:aws[\w-]*:states:::[\w-]+:[\w-]+\.waitForTaskToken$/;

/** Function name in a Lambda ARN (`arn:aws:lambda:<region>:<acct>:function:<name>[:<qualifier>]`). */
export function lambdaFunctionName(resource: string): string | undefined {
  const m = /^arn:aws[\w-]*:lambda:[\w-]+:\d{12}:function:([\w-]+)(?::[\w$-]+)?$/.exec(resource);
  return m?.[1];
}

/** The definition handed to aws-local-stepfunctions: timeouts are enforced on the virtual clock. */
export function engineDefinition(definition: AslDefinition): AslDefinition {
  const copy = structuredClone(definition);
  delete copy.TimeoutSeconds;
  const relax = (branch: AslBranch): void => {
    for (const s of Object.values(branch.States)) {
      // The engine arms a real timer per Task (default 60 s); the emulation checks virtual time.
      if (s.Type === "Task") {
        s.TimeoutSeconds = 20 * 24 * 3600;
        delete s.TimeoutSecondsPath;
        delete s.HeartbeatSeconds;
        delete s.HeartbeatSecondsPath;
      }
      // ResultPath "$" replaces the state with the result (as no ResultPath does); the engine
      // would nest it under a "$" key instead.
      if (s.ResultPath === "$") delete s.ResultPath;
      for (const b of s.Branches ?? []) relax(b);
      const processor = (s.ItemProcessor ?? s.Iterator) as AslBranch | undefined;
      if (processor) relax(processor);
    }
  };
  relax(copy);
  return copy;
}
