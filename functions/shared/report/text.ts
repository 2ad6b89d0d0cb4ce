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

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};
/** Escapes text for HTML content and attribute values. */
export const escapeHtml = (value: unknown): string =>
  String(value ?? "").replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);

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

/** "1m 05s / 40s (4 jobs)", or "n/a" when no restore job was seen finishing. */
export function detectionText(report: Report): string {
  const d = report.detectionGap;
  if (!d) return "n/a";
  return `${formatDuration(d.maxSeconds)} / ${formatDuration(d.avgSeconds)} (${d.jobs} job${d.jobs === 1 ? "" : "s"})`;
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
