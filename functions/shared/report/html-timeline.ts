/**
 * The HTML page's timeline: one inline SVG (no scripts, no external assets, no url() references)
 * with a lane for the critical path, one for the phases and one group per restore type.
 * Marks never rely on colour alone: critical-path bars have a thick outline and a "◆" before
 * their label, failures a dashed outline, a "✗" before their label and their failure written
 * after the bar; a restore whose integration (not the restore) is on the critical path has a "◇";
 * every bar has a <title> with its full name, status and times.
 */
import { escapeHtml, formatDuration } from "./text.js";
import type { Bar, DurationSummary, Timeline } from "./timeline.js";

const FILL: Record<string, string> = {
  SUCCEEDED: "#2da44e",
  COMPLETED: "#54aeff",
  FAILED: "#cf222e",
  ABORTED: "#fa4549",
  RUNNING: "#d4a72c",
  PENDING: "#d4a72c",
};

const WIDTH = 1000;
const LABEL = 250;
const RIGHT = 150;
const ROW = 22;
const TOP = 24;
/** Longest label drawn in full (the <title> and the tables have the whole name). */
const LABEL_CHARS = 34;

type Row = { header: string } | { bar: Bar; lane: "path" | "phase" | "restore" };

const hhmm = (d: Date): string => d.toISOString().slice(11, 16);
const clip = (s: string): string => (s.length > LABEL_CHARS ? `${s.slice(0, LABEL_CHARS - 1)}…` : s);
const seconds = (b: Bar): number => (b.end.getTime() - b.start.getTime()) / 1000;

export const summaryText = (s: DurationSummary): string =>
  `min ${formatDuration(s.minSeconds)}, median ${formatDuration(s.medianSeconds)}, max ${formatDuration(s.maxSeconds)}`;

/** Axis ticks on whole minutes (1, 2, 5, 10, 15, 30 min, 1, 2, 3, 6, 12, 24 h apart): at most 8. */
function ticks(t0: number, t1: number): number[] {
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440].map((m) => m * 60_000);
  const step = steps.find((s) => (t1 - t0) / s <= 7) ?? Math.ceil((t1 - t0) / 7 / 86_400_000) * 86_400_000;
  const out: number[] = [];
  for (let ms = Math.ceil(t0 / step) * step; ms <= t1; ms += step) out.push(ms);
  return out.length > 0 ? out : [t0];
}

function rows(t: Timeline): Row[] {
  const out: Row[] = [];
  if (t.path.length > 0) {
    out.push({ header: `Critical path (${t.path.length} steps)` });
    for (const bar of t.path) out.push({ bar, lane: "path" });
  }
  if (t.phases.length > 0) out.push({ header: "Phases" });
  for (const bar of t.phases) out.push({ bar, lane: "phase" });
  for (const g of t.restores) {
    const drawn = g.bars.length === g.total ? `${g.total}` : `${g.bars.length} of ${g.total} drawn`;
    const rest = g.hidden ? `; ${g.hidden.count} more: ${summaryText(g.hidden)}` : "";
    out.push({ header: `Restores: ${g.type} (${drawn}${rest})` });
    for (const bar of g.bars) out.push({ bar, lane: "restore" });
  }
  return out;
}

/** Horizontal bars on a shared time axis, by lane. */
export function timelineSvg(t: Timeline): string {
  const all = rows(t);
  const bars = all.flatMap((r) => ("bar" in r ? [r.bar] : []));
  if (bars.length === 0) return "<p>No timeline: no state ran.</p>";
  const plot = WIDTH - LABEL - RIGHT;
  const t0 = Math.min(...bars.map((b) => b.start.getTime()));
  const t1 = Math.max(t0 + 1000, ...bars.map((b) => b.end.getTime()));
  const x = (ms: number) => LABEL + ((ms - t0) / (t1 - t0)) * plot;
  const height = TOP + all.length * ROW + 10;
  const failures = bars.filter((b) => b.failure).length;
  const parts: string[] = [
    `<svg role="img" aria-labelledby="tl-title tl-desc" width="100%" viewBox="0 0 ${WIDTH} ${height}">`,
    `<title id="tl-title">Timeline</title><desc id="tl-desc">${escapeHtml(
      `${t.path.length} critical-path steps, ${t.phases.length} phases, ` +
        `${t.restores.reduce((n, g) => n + g.bars.length, 0)} restores drawn of ` +
        `${t.restores.reduce((n, g) => n + g.total, 0)}, ${failures} marked failed. The tables below list the same.`,
    )}</desc>`,
  ];
  for (const ms of ticks(t0, t1)) {
    const px = x(ms).toFixed(1);
    parts.push(`<line class="axis" x1="${px}" y1="${TOP - 6}" x2="${px}" y2="${height - 6}"/>`);
    parts.push(`<text x="${px}" y="${TOP - 10}" text-anchor="middle">${hhmm(new Date(ms))}</text>`);
  }
  all.forEach((r, i) => {
    const y = TOP + i * ROW;
    if ("header" in r) {
      parts.push(`<text class="lane" x="4" y="${y + 15}">${escapeHtml(r.header)}</text>`);
      return;
    }
    const b = r.bar;
    const x0 = x(b.start.getTime());
    const x1 = Math.max(x0 + 2, x(b.end.getTime()));
    const onPathMark = b.critical ? "◆ " : b.onPath ? "◇ " : "";
    const marks = `${r.lane !== "path" ? onPathMark : ""}${b.failure ? "✗ " : ""}`;
    const name = r.lane === "path" ? `critical path: ${b.label}` : `${r.lane} ${b.label}`;
    const cls = ["bar", r.lane, b.critical ? "critical" : "", b.failure ? "failed" : ""].filter(Boolean);
    const stroke = b.failure
      ? ` stroke="#1b1f24" stroke-width="${b.critical ? 2.5 : 1.5}" stroke-dasharray="4 2"`
      : b.critical
        ? ` stroke="#1b1f24" stroke-width="2.5"`
        : "";
    const about = [
      b.critical && r.lane !== "path" ? "on the critical path" : "",
      b.onPath && !b.critical ? "its integration is on the critical path" : "",
      b.failure ? `✗ ${b.failure}` : "",
    ].filter(Boolean);
    parts.push(
      `<text class="${cls.slice(2).join(" ")}" x="${LABEL - 8}" y="${y + 15}" text-anchor="end">${escapeHtml(marks + clip(b.label))}</text>`,
      `<rect class="${cls.join(" ")}" x="${x0.toFixed(1)}" y="${y + 4}" width="${(x1 - x0).toFixed(1)}" height="${ROW - 8}" rx="3" fill="${FILL[b.status] ?? "#8c959f"}"${stroke}>` +
        `<title>${escapeHtml(`${name}: ${b.status}${about.length ? ` (${about.join("; ")})` : ""}, ${formatDuration(seconds(b))}, ${b.start.toISOString()} → ${b.end.toISOString()}`)}</title></rect>`,
      `<text x="${(x1 + 4).toFixed(1)}" y="${y + 15}">${escapeHtml(`${formatDuration(seconds(b))}${b.failure ? ` ✗ ${b.failure}` : ""}`)}</text>`,
    );
  });
  parts.push("</svg>");
  return parts.join("\n");
}
