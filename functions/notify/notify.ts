/**
 * NotifySuccess / NotifyFailure: an SNS message for people and, on failure, an OpsCenter OpsItem
 * for whoever is on call (as in the AWS backup-and-restore DR reference architecture). Works
 * without `state.run` (ValidateInput failed): the message then names the fields of the execution
 * input (`state.input`) it was given, or its JSON type when it is not an object.
 */
import * as z from "zod";
import { type ArtifactStore, runKeys } from "../shared/artifacts.js";
import type { SfnApi } from "../shared/aws/sfn.js";
import type { SnsApi } from "../shared/aws/sns.js";
import type { SsmApi } from "../shared/aws/ssm.js";
import { InputInvalid } from "../shared/errors.js";
import { logger } from "../shared/logger.js";
import {
  causeMessage,
  failedStepFromHistory,
  formatDuration,
  Report,
  StateSnapshot,
} from "../shared/report/index.js";
import type { NotifyResult } from "../shared/types.js";
import { requestApproval } from "./approval.js";

/** SUCCEEDED / FAILED: the run's end; APPROVAL: the approval request (callback, with the task token). */
export const NotifyEvent = z.object({
  state: StateSnapshot,
  outcome: z.enum(["SUCCEEDED", "FAILED", "APPROVAL"]),
  taskToken: z.string().min(1).optional(),
});
export type NotifyEvent = z.infer<typeof NotifyEvent>;

export interface NotifyDeps {
  sns: SnsApi;
  ssm: SsmApi;
  /** Resolves the task that failed inside Recover (CheckStack, PollRestores, ...). */
  sfn: SfnApi;
  store: ArtifactStore;
  topicArn: string;
  now: () => Date;
}

/** Fields of the raw execution input worth naming when the run never started. */
const INPUT_FIELDS = ["mode", "app", "trigger", "restoreTo", "dryRun", "force"] as const;

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);
const jsonType = (v: unknown): string =>
  v === null ? "null" : Array.isArray(v) ? "an array" : `a ${typeof v}`;

/** INPUT_FIELDS of the execution input (kept at $.input by WrapInput), scalars only, shortened. */
function inputFields(raw: unknown): Record<string, unknown> {
  if (!isObject(raw)) return {};
  const fields = INPUT_FIELDS.filter(
    (k) => raw[k] !== undefined && !isObject(raw[k]) && !Array.isArray(raw[k]),
  );
  return Object.fromEntries(
    fields.map((k) => [k, typeof raw[k] === "string" ? (raw[k] as string).slice(0, 80) : raw[k]]),
  );
}

export async function notify(event: NotifyEvent, deps: NotifyDeps): Promise<NotifyResult> {
  if (event.outcome === "APPROVAL") {
    if (!event.taskToken) throw new InputInvalid("outcome APPROVAL needs taskToken ($$.Task.Token)");
    return await requestApproval(event.state, event.taskToken, deps);
  }
  const { state, outcome } = event;
  const run = state.run;
  const failed = outcome === "FAILED";
  const error = state.failure?.error;
  const step = failed ? await failedStep(state, deps) : undefined;
  const input = inputFields(state.input);
  const mode = run?.mode ?? (typeof input.mode === "string" ? input.mode : "recovery");
  const app = run?.app ?? (typeof input.app === "string" ? input.app : undefined);
  const who = app ? `${mode} ${app}` : mode;
  const where = step ? ` at ${step}` : "";
  const subject = `drctl ${who} ${outcome}${where}${error ? `: ${error.Error}` : ""}`;

  const lines: [string, string | undefined][] = [];
  if (run) {
    const report = runKeys(run.artifactsPrefix).report;
    lines.push(
      ["Run", run.name],
      ["Execution", run.executionArn],
      ["Mode", `${run.mode}${run.dryRun ? " (dry run)" : ""}`],
      ["Trigger", run.trigger],
      ["Started", run.startedAt],
      ["Restore to", run.restoreTo],
      ["Report", `s3://${deps.store.bucket}/${state.report?.reportKey ?? report}`],
    );
  } else {
    lines.push(
      ["Run", "none (the execution input was rejected before a run started)"],
      [
        "Input",
        isObject(state.input) ? JSON.stringify(input) : `not a JSON object (${jsonType(state.input)})`,
      ],
    );
  }
  lines.push(["Outcome", outcome]);
  if (failed) {
    lines.push(
      ["Step", step ?? "unknown"],
      ["Error", error?.Error ?? "unknown"],
      ["Cause", causeMessage(error?.Cause)],
    );
  }
  if (!failed) lines.push(...(await summary(state, deps)));
  const body = [
    `drctl ${who}: ${outcome}${where}.`,
    "",
    ...lines.filter(([, v]) => v !== undefined).map(([k, v]) => `${`${k}:`.padEnd(12)}${v}`),
  ].join("\n");

  const results = await Promise.allSettled([
    deps.sns.publish(deps.topicArn, subject, body),
    failed
      ? deps.ssm.createOpsItem({
          title: subject,
          description: body,
          source: "drctl",
          category: "Recovery",
          severity: mode === "failover" ? "2" : "3",
          operationalData: {
            "drctl:run": run?.name ?? "none",
            "drctl:executionArn": run?.executionArn ?? "unknown",
            "drctl:step": step ?? "unknown",
            "drctl:error": error?.Error ?? "unknown",
            // One OpsItem per run even when this step is retried.
            "/aws/dedup": JSON.stringify({ dedupString: `drctl:${run?.executionArn ?? subject}` }),
          },
        })
      : Promise.resolve(null),
  ]);
  const [published, opsItem] = results;
  for (const r of results)
    if (r.status === "rejected") logger.error("notification failed", { error: String(r.reason) });
  // Nothing delivered (a success has no OpsItem): the error reaches the Catch, so the history and
  // the execution's output record the lost notification; a failure still counts with its OpsItem.
  const opsItemOpened = opsItem.status === "fulfilled" && opsItem.value !== null;
  if (published.status === "rejected" && !opsItemOpened) throw published.reason;
  const result: NotifyResult = {
    messageId: published.status === "fulfilled" ? published.value : null,
    opsItemId: opsItem.status === "fulfilled" ? opsItem.value : null,
  };
  logger.info("notified", { subject, ...result });
  return result;
}

/** The Task that failed: from the execution history when the failure was caught at Recover. */
async function failedStep(state: StateSnapshot, deps: NotifyDeps): Promise<string | undefined> {
  const failure = state.failure;
  if (!failure) return undefined;
  if (!state.run) return failure.step;
  try {
    const history = await deps.sfn.getExecutionHistory(state.run.executionArn);
    return failedStepFromHistory(history, failure) ?? failure.step;
  } catch (err) {
    logger.warn("execution history unavailable: naming the catching state", { error: String(err) });
    return failure.step;
  }
}

/** RTO/RPO lines from the final report, when it was written. */
async function summary(state: StateSnapshot, deps: NotifyDeps): Promise<[string, string][]> {
  if (!state.report) return [];
  try {
    const report = await deps.store.findJson(state.report.reportKey, Report);
    if (!report) return [];
    return [
      ["RTO", `${formatDuration(report.rtoSeconds)} (objective ${report.objectives.rtoMinutes}m)`],
      ["RPO", `${formatDuration(report.rpoSeconds)} (objective ${report.objectives.rpoMinutes}m)`],
      ...(report.cleanup && report.cleanup.status !== "NOT_APPLICABLE"
        ? [["Leftovers", String(report.cleanup.leftovers.length)] as [string, string]]
        : []),
    ];
  } catch (err) {
    logger.warn("report unreadable", { error: String(err) });
    return [];
  }
}
