/**
 * Every error name the state machine matches (Retry/Catch ErrorEquals, Choice rules on an error's
 * `Error`, Pass states that record one) is a name Step Functions defines (States.*, the Lambda
 * service errors of LAMBDA_RETRY) or the `name` of an error class drctl throws.
 */
import { describe, expect, it } from "vitest";
import { FAILOVER_REJECTED } from "../../../functions/shared/approval.js";
import * as errors from "../../../functions/shared/errors.js";
import { recoveryDefinition } from "../../../state-machines/recovery.asl.js";
import { LAMBDA_RETRY } from "../../../state-machines/tasks.asl.js";

/** Step Functions' predefined error names (Step Functions developer guide, "Error names"). */
const STATES_ERRORS = new Set([
  "States.ALL",
  "States.DataLimitExceeded",
  "States.ExceedToleratedFailureThreshold",
  "States.HeartbeatTimeout",
  "States.Http.Socket",
  "States.IntrinsicFailure",
  "States.ItemReaderFailed",
  "States.NoChoiceMatched",
  "States.ParameterPathFailure",
  "States.Permissions",
  "States.QueryEvaluationError",
  "States.ResultPathMatchFailure",
  "States.ResultWriterFailed",
  "States.Runtime",
  "States.TaskFailed",
  "States.Timeout",
]);

type ErrorClass = (new (message?: string) => errors.DrctlError) & { errorName: string };

const errorClasses = (Object.values(errors) as unknown[]).filter(
  (v): v is ErrorClass => typeof v === "function" && v.prototype instanceof errors.DrctlError,
);
const drctlNames = new Set(errorClasses.map((c) => c.errorName));

interface Found {
  retry: string[];
  catch: string[];
  compared: string[];
  recorded: string[];
}

/** Walks the definition (Parallel branches included) and collects the error names it uses. */
function errorNamesIn(
  node: unknown,
  found: Found = { retry: [], catch: [], compared: [], recorded: [] },
): Found {
  if (Array.isArray(node)) {
    for (const item of node) errorNamesIn(item, found);
    return found;
  }
  if (node === null || typeof node !== "object") return found;
  const o = node as Record<string, unknown>;
  for (const r of (o.Retry as { ErrorEquals: string[] }[] | undefined) ?? [])
    found.retry.push(...r.ErrorEquals);
  for (const c of (o.Catch as { ErrorEquals: string[] }[] | undefined) ?? [])
    found.catch.push(...c.ErrorEquals);
  if (typeof o.Variable === "string" && o.Variable.endsWith(".Error") && typeof o.StringEquals === "string")
    found.compared.push(o.StringEquals);
  if (o.Type === "Pass" && typeof (o.Result as { Error?: unknown } | undefined)?.Error === "string")
    found.recorded.push((o.Result as { Error: string }).Error);
  for (const v of Object.values(o)) if (typeof v === "object") errorNamesIn(v, found);
  return found;
}

describe("error names", () => {
  const found = errorNamesIn(recoveryDefinition());

  it("each class's errorName is the name its instances report (Lambda's errorType)", () => {
    expect(errorClasses.length).toBeGreaterThan(10);
    for (const C of errorClasses) expect(new C("x").name).toBe(C.errorName);
    // A refinement (a subclass, e.g. TagNotYetEffective) reports its parent's name: Retry/Catch treat it alike.
    const parentOf = (C: ErrorClass) => Object.getPrototypeOf(C) as ErrorClass;
    const refinements = errorClasses.filter((C) => errorClasses.includes(parentOf(C)));
    for (const C of refinements) expect(C.errorName).toBe(parentOf(C).errorName);
    expect(drctlNames.size).toBe(errorClasses.length - refinements.length);
  });

  it("every ErrorEquals name is a States.* name, a Lambda service error or a drctl error class", () => {
    const lambda = new Set(LAMBDA_RETRY.ErrorEquals);
    const unknown = [...found.retry, ...found.catch].filter(
      (name) => !STATES_ERRORS.has(name) && !lambda.has(name) && !drctlNames.has(name),
    );
    expect(unknown).toEqual([]);
    expect(found.retry).toContain(errors.AwsTransient.errorName);
  });

  it("Choice rules and Pass states name drctl error classes", () => {
    expect(found.compared.length + found.recorded.length).toBeGreaterThan(0);
    for (const name of [...found.compared, ...found.recorded]) expect(drctlNames).toContain(name);
  });

  it("every retryable error class is retried somewhere in the state machine", () => {
    const retried = new Set(found.retry);
    const retryable = errorClasses.filter((C) => new C("x").retryable).map((C) => C.errorName);
    expect(retryable.length).toBeGreaterThan(0);
    expect(retryable.filter((name) => !retried.has(name))).toEqual([]);
  });

  it("the approval's rejection error (SendTaskFailure) is a drctl error class", () => {
    expect(drctlNames).toContain(FAILOVER_REJECTED);
  });
});
