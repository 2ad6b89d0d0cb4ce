/**
 * Failed (the failure path's last state): ends the execution with the error the failure path
 * recorded, and makes RedriveExecution useful.
 *
 * RedriveExecution reruns the state an execution failed in, with the input it had. For drctl that
 * is this Task, so it compares `$$.Execution.RedriveCount` with the count recorded at the failure:
 * - equal (the first pass): raises the recorded error under its own name; the execution fails with
 *   it (NotifyFailure and the report already used it);
 * - higher (a redrive): takes the per-app lock back (RecoveryInProgress if another run holds it)
 *   and returns the state without the failure path's entries, with `redrive.resumeAt` naming the
 *   top-level state the run resumes at.
 *
 * A drill's failure path deleted everything the drill had created, so the redrive of a drill that
 * failed before its report restarts the recovery at Recover: the progress documents (jobs,
 * integration, cleanup) move to `attempt-<n>/` under the run's prefix, and `run.redrive` makes the
 * restore idempotency tokens and the stack's ClientRequestToken new ones. A failover is never
 * cleaned up: it resumes at the state that failed and reuses what exists (the recorded restore jobs,
 * the stack created with the same token, the integration document, the submitted DNS change).
 */
import * as z from "zod";
import { S } from "../../state-machines/names.js";
import { CATCHING_STATES } from "../../state-machines/recovery.asl.js";
import { type ArtifactStore, runKeys } from "../shared/artifacts.js";
import type { SfnApi } from "../shared/aws/sfn.js";
import type { SsmApi } from "../shared/aws/ssm.js";
import { InputInvalid } from "../shared/errors.js";
import { takeLock } from "../shared/lock.js";
import { logger } from "../shared/logger.js";
import { causeMessage } from "../shared/report/text.js";
import { Failure, RunContext } from "../shared/types.js";

/** Only what this step reads is checked: a state it cannot parse must not replace the recorded error. */
export const ResumeEvent = z.object({
  state: z.object({ failure: Failure.optional(), run: RunContext.optional() }).loose(),
  redriveCount: z.number().int().min(0),
});
export type ResumeEvent = z.infer<typeof ResumeEvent>;

export interface ResumeDeps {
  store: ArtifactStore;
  /** SSM in the orchestrator's region (where the lock lives). */
  ssm: SsmApi;
  /** Step Functions, to tell whether the lock's holder still runs. */
  sfn: SfnApi;
}

/** $.redrive after a redrive: where the run resumes and what the attempt before it ended with. */
export interface RedriveMark {
  count: number;
  resumeAt: string;
  failedStep: string;
  error: string;
}

/** The recorded error, raised again under its own name (Lambda reports `name` as the error type). */
export class RecordedError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** The failure path's entries in the state: dropped when the run resumes. */
const FAILURE_PATH_KEYS = ["error", "failure", "notify", "stepError", "report", "redrive"] as const;
/** Results of a drill's recovery, deleted by its failure path: dropped when it restarts at Recover. */
const RECOVERY_KEYS = ["recovery", "integration", "health", "dns", "cleanup"] as const;
/** States whose failure a drill's failure path follows with a full cleanup before the report. */
const AFTER_RECOVERY = new Set<string>([S.WriteReport, S.Cleanup, S.FinalizeReport]);

export async function resume(event: ResumeEvent, deps: ResumeDeps): Promise<Record<string, unknown>> {
  const { state, redriveCount } = event;
  const failure = state.failure;
  if (!failure) throw new InputInvalid("resume: the state has no $.failure (the failure path did not run)");
  if (redriveCount <= (failure.redriveCount ?? 0) || !(CATCHING_STATES as string[]).includes(failure.step)) {
    throw recorded(failure);
  }
  const resumed: Record<string, unknown> = { ...state };
  for (const key of FAILURE_PATH_KEYS) delete resumed[key];
  let run = state.run;
  let resumeAt = failure.step;
  if (run && cleanedUp(run) && resumeAt !== S.ValidateInput && !AFTER_RECOVERY.has(resumeAt)) {
    resumeAt = S.Recover;
    for (const key of RECOVERY_KEYS) delete resumed[key];
    await setAside(deps.store, run, redriveCount);
    run = { ...run, redrive: redriveCount };
    resumed.run = run;
  }
  if (run && !run.dryRun) await takeLock(deps, { ...run, force: false });
  const mark: RedriveMark = {
    count: redriveCount,
    resumeAt,
    failedStep: failure.step,
    error: failure.error.Error,
  };
  logger.info("redriven: resuming", { ...mark, run: run?.name });
  return { ...resumed, redrive: mark };
}

function recorded(failure: Failure): RecordedError {
  const message = causeMessage(failure.error.Cause) ?? failure.error.Error;
  // Bounded: a cause is at most 32 KB in Step Functions' history anyway.
  return new RecordedError(failure.error.Error, message.slice(0, 8_192));
}

/** A drill (not a dry run) goes through CleanupAfterFailure before its failure report. */
const cleanedUp = (run: RunContext): boolean => run.mode === "drill" && !run.dryRun;

/** Copies jobs, integration and cleanup documents to `attempt-<n>/` and deletes them. */
async function setAside(store: ArtifactStore, run: RunContext, redriveCount: number): Promise<void> {
  const live = runKeys(run.artifactsPrefix);
  const archive = runKeys(`${run.artifactsPrefix}attempt-${redriveCount}/`);
  for (const doc of ["jobs", "integration", "cleanup", "report"] as const) {
    const text = await store.s3.getText(store.bucket, live[doc]);
    if (text === undefined) continue;
    await store.putText(archive[doc], text, "application/json");
    if (doc !== "report") await store.s3.deleteObject(store.bucket, live[doc]);
  }
}
