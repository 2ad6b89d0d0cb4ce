/**
 * Builds report.json from the run context, the execution history and the run's documents.
 *
 * rtoSeconds: execution start → traffic served from the recovery region: the Route 53 change
 * INSYNC for a failover, the health URL validated for a drill (null if never reached).
 *
 * criticalPath: the chain of phases, the stack, restores and integrations that determined when the
 * recovery ended (critical-path.ts); criticalPathSeconds, a lower bound of the recovery time: the
 * sum of that chain's observed durations, with the waits and polling gaps between them taken out
 * (e.g. lock + plan + the restore that gated the end + its chain of integrations + validate + DNS
 * propagation for a failover). Stack deploy = CreateStack → CREATE_COMPLETE; a restore = its final
 * attempt's CreationDate → CompletionDate (AWS Backup's own dates, not when drctl noticed); an
 * integration = startedAt → integratedAt. RTO minus the critical path is what the loops' waits
 * cost, including each restore's detection gap (CompletionDate → the poll that saw it), which
 * `detectionGap` sums up.
 */

import { S } from "../../../state-machines/names.js";
import type { HistoryEvent } from "../aws/sfn.js";
import type { AppConfig } from "../config.js";
import type {
  CleanupDocument,
  IntegrationDocument,
  JobsDocument,
  PlanDocument,
  RestoreJobRecord,
  RunContext,
} from "../types.js";
import { approvalOf } from "./approval.js";
import { reportCleanup } from "./cleanup.js";
import { type CriticalPathItem, criticalPathOf, type PathResource } from "./critical-path.js";
import { failedStepFromHistory, historyCounts, lastExit, phasesFrom, seconds } from "./history.js";
import { REPORT_VERSION, Report, type ReportResource } from "./model.js";
import { redrivesFrom } from "./redrives.js";
import type { StateSnapshot } from "./state.js";
import { causeMessage } from "./text.js";

export interface ReportInput {
  run: RunContext;
  config: Pick<AppConfig, "objectives" | "dns">;
  state: StateSnapshot;
  history: readonly HistoryEvent[];
  plan?: PlanDocument | undefined;
  jobs?: JobsDocument | undefined;
  integration?: IntegrationDocument | undefined;
  cleanup?: CleanupDocument | undefined;
  /** Final report: a cleanup still pending now is a leftover. */
  final: boolean;
  /** When the report is written (ends phases still running). */
  now: Date;
}

export function buildReport(input: ReportInput): Report {
  const { run, state, history } = input;
  const counts = historyCounts(history);
  const startedAt = counts.startedAt ?? new Date(run.startedAt);
  const endedAt = counts.lastEventAt && counts.lastEventAt > input.now ? counts.lastEventAt : input.now;
  const failure = state.failure;
  const failedStep = failure ? (failedStepFromHistory(history, failure) ?? failure.step) : null;
  const phases = phasesFrom(history, {
    failedStep,
    failurePathError: state.stepError !== undefined,
    now: endedAt,
  });
  const resources = resourcesOf(input);
  const rpo = input.plan?.restores.length
    ? Math.max(...input.plan.restores.map((r) => r.rpoSeconds))
    : (state.recovery?.plan?.worstRpoSeconds ?? state.plan?.worstRpoSeconds ?? null);
  const served = servedAt(input);
  const redrives = redrivesFrom(history);
  const path = criticalPathOf({
    mode: run.mode,
    phases,
    stack: {
      name: run.stackName,
      start: state.recovery?.stack?.startedAt,
      end: state.recovery?.stack?.completedAt,
    },
    resources: pathResources(input),
  });

  return Report.parse({
    version: REPORT_VERSION,
    execution: {
      name: run.name,
      mode: run.mode,
      trigger: run.trigger,
      local: run.local,
      startedAt: startedAt.toISOString(),
      endedAt: endedAt.toISOString(),
      historyEvents: counts.historyEvents,
      stateTransitions: counts.stateTransitions,
      maxPayloadBytes: counts.maxPayloadBytes,
    },
    outcome: failure ? "FAILED" : "SUCCEEDED",
    failedStep,
    error: failure ? { name: failure.error.Error, cause: causeMessage(failure.error.Cause) ?? null } : null,
    objectives: {
      rtoMinutes: input.config.objectives.rtoMinutes,
      rpoMinutes: input.config.objectives.rpoMinutes,
    },
    rtoSeconds: served ? seconds(startedAt, served) : null,
    criticalPathSeconds: pathSeconds(path),
    criticalPath: path,
    rpoSeconds: rpo === null ? null : Math.max(0, rpo),
    phases,
    resources,
    detectionGap: detectionGap(resources),
    dns: state.dns
      ? { changed: state.dns.changed, record: state.dns.record, from: state.dns.from, to: state.dns.to }
      : { changed: false, record: input.config.dns.record, from: null, to: null },
    cleanup: reportCleanup({ ...input, resources }),
    approval: approvalOf(state, phases),
    ...(redrives.length > 0 && { redrives }),
  } satisfies Report);
}

/** When traffic was served from the recovery region: DNS INSYNC (failover) or health validated (drill). */
function servedAt({ run, state, history }: ReportInput): Date | undefined {
  if (run.mode === "failover") {
    if (state.dns?.status !== "INSYNC") return undefined;
    return lastExit(history, [S.Failover, S.CheckDns]);
  }
  if (!state.health) return undefined;
  return lastExit(history, [S.ValidateHealth]) ?? new Date(state.health.checkedAt);
}

const between = (from?: string, to?: string): number | null =>
  from && to ? seconds(new Date(from), new Date(to)) : null;
const iso = (t?: string): string | null => (t ? new Date(t).toISOString() : null);
/** A job's own start: its CreationDate, or (before the first poll saw it) when drctl started it. */
const jobStart = (j?: RestoreJobRecord): string | undefined => j?.createdAt ?? j?.startedAt;

function resourcesOf({ plan, jobs, integration }: ReportInput): ReportResource[] {
  return (plan?.restores ?? []).map((p) => {
    const job: RestoreJobRecord | undefined = jobs?.jobs.find((j) => j.name === p.name);
    const rec = integration?.resources.find((r) => r.name === p.name);
    return {
      name: p.name,
      type: p.type,
      recoveryPointArn: p.recoveryPointArn,
      recoveryPointCreatedAt: new Date(p.recoveryPointCreatedAt).toISOString(),
      rpoSeconds: Math.max(0, p.rpoSeconds),
      restoreJobId: job?.restoreJobId ?? null,
      status: job?.status ?? "PLANNED",
      restoreSeconds: between(jobStart(job), job?.completedAt),
      restoredArn: rec?.restoredArn ?? job?.createdResourceArn ?? null,
      integratedAt:
        rec?.status === "DONE" && rec.integratedAt ? new Date(rec.integratedAt).toISOString() : null,
      attempts: job?.attempt ?? 0,
      restoreCreatedAt: iso(jobStart(job)),
      restoreCompletedAt: iso(job?.completedAt),
      noticedAt: iso(job?.noticedAt),
      detectionGapSeconds: between(job?.completedAt, job?.noticedAt),
    };
  });
}

function pathResources({ plan, jobs, integration }: ReportInput): PathResource[] {
  return (plan?.restores ?? []).map((p) => {
    const job = jobs?.jobs.find((j) => j.name === p.name);
    const rec = integration?.resources.find((r) => r.name === p.name);
    return {
      name: p.name,
      dependsOn: p.dependsOn,
      restoreStart: jobStart(job),
      restoreEnd: job?.completedAt,
      integrationStart: rec?.startedAt,
      integrationEnd: rec?.status === "DONE" ? rec.integratedAt : undefined,
    };
  });
}

function detectionGap(resources: ReportResource[]): Report["detectionGap"] {
  const gaps = resources.flatMap((r) =>
    typeof r.detectionGapSeconds === "number" ? [r.detectionGapSeconds] : [],
  );
  if (gaps.length === 0) return null;
  const avg = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  return { jobs: gaps.length, maxSeconds: Math.max(...gaps), avgSeconds: Math.round(avg * 10) / 10 };
}

/** The critical path's length: the sum of its items' durations (the gaps between them left out). */
function pathSeconds(path: readonly CriticalPathItem[]): number {
  return path.reduce((sum, p) => sum + (Date.parse(p.end) - Date.parse(p.start)) / 1000, 0);
}
