/**
 * WriteReport / FinalizeReport / ReportFailure: builds report.json from the run's documents and
 * its execution history, renders report.md and report.html beside it, and (final) releases the
 * per-app recovery lock if this run holds it.
 */

import * as z from "zod";
import { type ArtifactStore, runKeys } from "../shared/artifacts.js";
import type { SfnApi } from "../shared/aws/sfn.js";
import type { SsmApi } from "../shared/aws/ssm.js";
import type { AppConfig } from "../shared/config.js";
import { releaseLock } from "../shared/lock.js";
import { logger } from "../shared/logger.js";
import { buildReport, renderHtml, renderMarkdown, StateSnapshot } from "../shared/report/index.js";
import {
  CleanupDocument,
  IntegrationDocument,
  JobsDocument,
  PlanDocument,
  type ReportRef,
  RunContext,
} from "../shared/types.js";

/** The whole state; a run must have started (ValidateInput set $.run) to be reported. */
export const WriteReportEvent = z.object({
  state: StateSnapshot.extend({ run: RunContext }),
  final: z.boolean(),
});
export type WriteReportEvent = z.infer<typeof WriteReportEvent>;

export interface WriteReportDeps {
  config: AppConfig;
  store: ArtifactStore;
  sfn: SfnApi;
  ssm: SsmApi;
  now: () => Date;
}

export async function writeReport(event: WriteReportEvent, deps: WriteReportDeps): Promise<ReportRef> {
  const { state, final } = event;
  const { run } = state;
  const { config } = deps;
  const keys = runKeys(run.artifactsPrefix);
  const planKey = state.recovery?.plan?.planKey ?? state.plan?.planKey ?? keys.plan;
  const jobsKey = state.recovery?.restores?.jobsKey ?? keys.jobs;
  const [history, plan, jobs, integration, cleanup] = await Promise.all([
    deps.sfn.getExecutionHistory(run.executionArn),
    deps.store.findJson(planKey, PlanDocument),
    // WriteReport and FinalizeReport run in the same container: the versions they saw are not read again.
    deps.store.findJsonAt(jobsKey, JobsDocument, state.recovery?.restores?.jobsVersion),
    deps.store.findJsonAt(
      state.recovery?.integration?.integrationKey ?? keys.integration,
      IntegrationDocument,
      state.recovery?.integration?.version,
    ),
    deps.store.findJson(state.cleanup?.cleanupKey ?? keys.cleanup, CleanupDocument),
  ]);
  // The history's clock is the execution's (virtual in the sandbox): prefer it for "now".
  const lastEvent = history[history.length - 1]?.timestamp;
  const report = buildReport({
    run,
    config,
    state,
    history,
    plan,
    jobs,
    integration,
    cleanup,
    final,
    now: lastEvent ?? deps.now(),
  });

  await deps.store.putJson(keys.report, report);
  await deps.store.putText(keys.markdown, renderMarkdown(report), "text/markdown; charset=utf-8");
  await deps.store.putText(keys.html, renderHtml(report), "text/html; charset=utf-8");
  if (final) await releaseLock(deps.ssm, run.app, run.executionArn);
  logger.info("report written", {
    key: keys.report,
    outcome: report.outcome,
    final,
    rtoSeconds: report.rtoSeconds,
  });
  return {
    reportKey: keys.report,
    markdownKey: keys.markdown,
    htmlKey: keys.html,
    outcome: report.outcome,
    final,
  };
}
