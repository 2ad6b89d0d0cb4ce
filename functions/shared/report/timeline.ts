/**
 * What the timelines (the HTML page's SVG and report.md's Mermaid Gantt chart) draw, from
 * report.json alone:
 * - the critical path (report.criticalPath) as its own lane, in order;
 * - the phases;
 * - the restores grouped by type (RESOURCE_TYPES order), sorted by end time inside a group.
 * Restores and phases on the critical path are marked `critical` (a restore whose resource's
 * integration is on it, `onPath`); FAILED/ABORTED restores and
 * resources left unintegrated by a failed Integrate are marked `failure` (a text, so the
 * renderers can write it, not only colour it).
 * Above SUMMARIZE_ABOVE restores, only the SLOWEST_SHOWN slowest, every failure and every
 * restore whose restore or integration is on the critical path are drawn; the others are summarized per type (count, min/median/max).
 */
import { RESOURCE_TYPES, type ResourceType } from "../config.js";
import { type CriticalPathKind, pathKey } from "./critical-path.js";
import type { Report, ReportResource } from "./model.js";

export const SUMMARIZE_ABOVE = 40;
export const SLOWEST_SHOWN = 20;

export interface Bar {
  label: string;
  start: Date;
  end: Date;
  status: string;
  /** On the critical path itself (the phase, or the restore). */
  critical: boolean;
  /** Restores: the restore or the resource's integration is on the critical path. */
  onPath?: boolean | undefined;
  /** Why it counts as a failure ("restore FAILED", "not integrated"), when it does. */
  failure?: string | undefined;
  /** Restores: the resource (for its duration and the full table). */
  resource?: ReportResource | undefined;
}

export interface DurationSummary {
  count: number;
  minSeconds: number;
  medianSeconds: number;
  maxSeconds: number;
}

export interface RestoreGroup {
  type: ResourceType;
  /** Restores drawn, by end time. */
  bars: Bar[];
  /** Restores of this type with a bar (drawn or not). */
  total: number;
  /** The ones not drawn, when summarized. */
  hidden: DurationSummary | null;
}

export interface Timeline {
  path: Bar[];
  phases: Bar[];
  restores: RestoreGroup[];
  /** More than SUMMARIZE_ABOVE restores: only some are drawn. */
  summarized: boolean;
}

const seconds = (b: Bar): number => (b.end.getTime() - b.start.getTime()) / 1000;

export function summarize(durations: readonly number[]): DurationSummary | null {
  if (durations.length === 0) return null;
  const d = [...durations].sort((a, b) => a - b);
  const mid = Math.floor(d.length / 2);
  const median = d.length % 2 === 1 ? (d[mid] ?? 0) : ((d[mid - 1] ?? 0) + (d[mid] ?? 0)) / 2;
  return { count: d.length, minSeconds: d[0] ?? 0, medianSeconds: median, maxSeconds: d.at(-1) ?? 0 };
}

/** Why a resource counts as failed, if it does. */
export function resourceFailure(report: Report, r: ReportResource): string | undefined {
  if (r.status === "FAILED" || r.status === "ABORTED") return `restore ${r.status}`;
  const integrate = report.phases.find((p) => p.name === "integrate");
  const integrateFailed = integrate?.status === "FAILED" || report.failedStep === "Integrate";
  if (integrateFailed && r.status === "COMPLETED" && r.integratedAt === null) return "not integrated";
  return undefined;
}

export function criticalKeys(report: Report): Set<string> {
  return new Set((report.criticalPath ?? []).map((p) => pathKey(p.kind, p.name)));
}

/** What of a resource is on the critical path, as text ("◆ restore on the critical path", …). */
export function pathMarks(keys: Set<string>, name: string): string[] {
  return (["restore", "integration"] as const)
    .filter((kind) => keys.has(pathKey(kind, name)))
    .map((kind) => `◆ ${kind} on the critical path`);
}

/** One bar per restore that started: to its CompletionDate, or to the restore phase's end. */
function restoreBar(report: Report, r: ReportResource, keys: Set<string>): Bar | undefined {
  const phase = report.phases.find((p) => p.name === "restore");
  const start = r.restoreCreatedAt ? new Date(r.restoreCreatedAt) : phase && new Date(phase.startedAt);
  if (!start) return undefined;
  let end: Date | undefined;
  if (r.restoreCompletedAt) end = new Date(r.restoreCompletedAt);
  else if (r.restoreSeconds !== null) end = new Date(start.getTime() + r.restoreSeconds * 1000);
  else if (r.restoreCreatedAt && phase) end = new Date(Math.max(start.getTime(), Date.parse(phase.endedAt)));
  if (!end) return undefined;
  return {
    label: r.attempts > 1 ? `${r.name} (attempt ${r.attempts})` : r.name,
    start,
    end,
    status: r.status,
    critical: keys.has(pathKey("restore", r.name)),
    onPath: pathMarks(keys, r.name).length > 0,
    failure: resourceFailure(report, r),
    resource: r,
  };
}

/** Every resource, in the timeline's order: by type, then by restore end (unfinished last), then name. */
export function resourceOrder(resources: readonly ReportResource[]): ReportResource[] {
  const end = (r: ReportResource) => (r.restoreCompletedAt ? Date.parse(r.restoreCompletedAt) : Infinity);
  return [...resources].sort(
    (a, b) =>
      RESOURCE_TYPES.indexOf(a.type) - RESOURCE_TYPES.indexOf(b.type) ||
      end(a) - end(b) ||
      a.name.localeCompare(b.name),
  );
}

const byEnd = (a: Bar, b: Bar): number =>
  a.end.getTime() - b.end.getTime() ||
  a.start.getTime() - b.start.getTime() ||
  a.label.localeCompare(b.label);

export function buildTimeline(report: Report): Timeline {
  const keys = criticalKeys(report);
  const statusOf = (kind: CriticalPathKind, name: string): string => {
    if (kind === "phase") return report.phases.find((p) => p.name === name)?.status ?? "SUCCEEDED";
    if (kind === "stack") return report.phases.find((p) => p.name === "deploy")?.status ?? "SUCCEEDED";
    const r = report.resources.find((x) => x.name === name);
    return kind === "restore" ? (r?.status ?? "COMPLETED") : "COMPLETED";
  };
  const path: Bar[] = (report.criticalPath ?? []).map((p) => ({
    label: `${p.kind} ${p.name}`,
    start: new Date(p.start),
    end: new Date(p.end),
    status: statusOf(p.kind, p.name),
    critical: true,
  }));
  const stackCritical = (report.criticalPath ?? []).some((p) => p.kind === "stack");
  const phases: Bar[] = report.phases.map((p) => ({
    label: p.name,
    start: new Date(p.startedAt),
    end: new Date(p.endedAt),
    status: p.status,
    critical: keys.has(pathKey("phase", p.name)) || (p.name === "deploy" && stackCritical),
    failure: p.status === "FAILED" ? "phase FAILED" : undefined,
  }));

  const restores = report.resources.flatMap((r) => restoreBar(report, r, keys) ?? []);
  const summarized = restores.length > SUMMARIZE_ABOVE;
  const drawn = new Set<Bar>(
    summarized
      ? [
          ...[...restores]
            .sort((a, b) => seconds(b) - seconds(a) || a.label.localeCompare(b.label))
            .slice(0, SLOWEST_SHOWN),
          ...restores.filter((b) => b.onPath || b.failure),
        ]
      : restores,
  );
  const groups: RestoreGroup[] = RESOURCE_TYPES.flatMap((type) => {
    const all = restores.filter((b) => b.resource?.type === type);
    if (all.length === 0) return [];
    const hidden = all.filter((b) => !drawn.has(b));
    return [
      {
        type,
        bars: all.filter((b) => drawn.has(b)).sort(byEnd),
        total: all.length,
        hidden: summarize(hidden.map(seconds)),
      },
    ];
  });
  return { path, phases, restores: groups, summarized };
}
