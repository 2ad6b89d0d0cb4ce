/** Text helpers shared by the report builder, the renderers and notify. */
import type { Report } from "./model.js";

/**
 * The readable part of a Step Functions error cause: Lambda reports
 * `{"errorType": ..., "errorMessage": ..., "trace": [...]}`; other causes are plain text.
 */
export function causeMessage(cause: string | undefined): string | undefined {
  if (cause === undefined || cause === "") return undefined;
  try {
    const parsed: unknown = JSON.parse(cause);
    if (parsed && typeof parsed === "object" && "errorMessage" in parsed) {
      const message = (parsed as { errorMessage: unknown }).errorMessage;
      if (typeof message === "string") return message;
    }
  } catch {
    // not JSON: plain text
  }
  return cause;
}

/** 3125 → "52m 05s", 45 → "45s", 7260 → "2h 01m", null → "n/a". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return "n/a";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  if (h > 0) return `${h}h ${pad(m)}m`;
  if (m > 0) return `${m}m ${pad(rest)}s`;
  return `${rest}s`;
}

export interface Verdict {
  rto: "met" | "missed" | "not reached";
  rpo: "met" | "missed" | "unknown";
  /** One line: "RTO met (52m 05s ≤ 240m), RPO met (25m 00s ≤ 60m)". */
  text: string;
}

/** The report against its objectives. */
export function verdict(report: Report): Verdict {
  const { rtoMinutes, rpoMinutes } = report.objectives;
  const rto =
    report.rtoSeconds === null ? "not reached" : report.rtoSeconds <= rtoMinutes * 60 ? "met" : "missed";
  const rpo =
    report.rpoSeconds === null ? "unknown" : report.rpoSeconds <= rpoMinutes * 60 ? "met" : "missed";
  const rtoText =
    rto === "not reached"
      ? `RTO not reached (traffic was never served from the recovery region; objective ${rtoMinutes}m)`
      : `RTO ${rto} (${formatDuration(report.rtoSeconds)} ${rto === "met" ? "≤" : ">"} ${rtoMinutes}m)`;
  const rpoText =
    rpo === "unknown"
      ? `RPO unknown (no restore was planned; objective ${rpoMinutes}m)`
      : `RPO ${rpo} (${formatDuration(report.rpoSeconds)} ${rpo === "met" ? "≤" : ">"} ${rpoMinutes}m)`;
  return { rto, rpo, text: `${rtoText}, ${rpoText}` };
}

/** Timeline bars (phases and restores) shared by the Gantt chart and the SVG. */
export interface Bar {
  group: "Phases" | "Restores";
  label: string;
  start: Date;
  end: Date;
  status: string;
}

/** "1m 05s / 40s (4 jobs)", or "n/a" when no restore job was seen finishing. */
export function detectionText(report: Report): string {
  const d = report.detectionGap;
  if (!d) return "n/a";
  return `${formatDuration(d.maxSeconds)} / ${formatDuration(d.avgSeconds)} (${d.jobs} job${d.jobs === 1 ? "" : "s"})`;
}

/**
 * Bars of the timeline: the phases, then one per restore that completed, from the job's
 * CreationDate (for reports without it: the start of the restore phase) for its duration
 * (for a retried restore, the last attempt).
 */
export function timelineBars(report: Report): Bar[] {
  const bars: Bar[] = report.phases.map((p) => ({
    group: "Phases",
    label: p.name,
    start: new Date(p.startedAt),
    end: new Date(p.endedAt),
    status: p.status,
  }));
  const restore = report.phases.find((p) => p.name === "restore");
  if (!restore) return bars;
  const start = new Date(restore.startedAt);
  for (const r of report.resources) {
    if (r.restoreSeconds === null) continue;
    bars.push({
      group: "Restores",
      label: r.attempts > 1 ? `${r.name} (attempt ${r.attempts})` : r.name,
      start: r.restoreCreatedAt ? new Date(r.restoreCreatedAt) : start,
      end: new Date(
        (r.restoreCreatedAt ? Date.parse(r.restoreCreatedAt) : start.getTime()) + r.restoreSeconds * 1000,
      ),
      status: r.status,
    });
  }
  return bars;
}

/** One sentence on the cleanup, for report.md and report.html (plain text, not escaped). */
export function cleanupSummary(report: Report): string {
  const c = report.cleanup;
  if (!c) {
    return report.execution.mode === "drill"
      ? "Cleanup has not run yet."
      : "No cleanup: a failover keeps what it restored.";
  }
  const counts = `Deleted ${c.deleted.length}; leftovers ${c.leftovers.length}.`;
  if (!c.status) return counts;
  const reason = c.reason ? ` (${c.reason})` : "";
  if (c.status === "NOT_APPLICABLE") return `Cleanup does not apply${reason}.`;
  return `Cleanup ${c.status}${reason}. ${counts}`;
}
