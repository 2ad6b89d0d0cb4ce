/**
 * report.html: one self-contained page (inline CSS, inline SVG timeline, no scripts, no external
 * assets). Every piece of text from the report is escaped.
 */
import { approvalText } from "./approval.js";
import type { Report } from "./model.js";
import { type Bar, detectionText, formatDuration, timelineBars, verdict } from "./text.js";

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

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1100px;color:#1b1f24;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.25rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse;margin:.5rem 0;width:100%}th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.num{text-align:right;white-space:nowrap}code{font-size:12px;word-break:break-all}
.verdict{padding:.6rem .9rem;border-radius:6px;font-weight:600}.ok{background:#dafbe1}.bad{background:#ffebe9}
.SUCCEEDED,.COMPLETED{color:#1a7f37}.FAILED,.ABORTED{color:#cf222e}.RUNNING,.PENDING{color:#9a6700}
svg text{font:11px system-ui,sans-serif;fill:#1b1f24}svg .axis{stroke:#d0d7de}
`;

const FILL: Record<string, string> = {
  SUCCEEDED: "#2da44e",
  COMPLETED: "#54aeff",
  FAILED: "#cf222e",
  ABORTED: "#fa4549",
  RUNNING: "#d4a72c",
};

export function renderHtml(report: Report): string {
  const e = report.execution;
  const v = verdict(report);
  const ok = report.outcome === "SUCCEEDED" && v.rto !== "missed" && v.rpo !== "missed";
  const rows: [string, string][] = [
    ["Outcome", `<span class="${escapeHtml(report.outcome)}">${escapeHtml(report.outcome)}</span>`],
    [
      "Mode / trigger",
      `${escapeHtml(e.mode)} / ${escapeHtml(e.trigger)}${e.local ? " (local sandbox)" : ""}`,
    ],
    ["Started / ended", `${escapeHtml(e.startedAt)} → ${escapeHtml(e.endedAt)}`],
    ["RTO", `${formatDuration(report.rtoSeconds)} (objective ${report.objectives.rtoMinutes}m)`],
    [
      "RPO (worst resource)",
      `${formatDuration(report.rpoSeconds)} (objective ${report.objectives.rpoMinutes}m)`,
    ],
    ["Critical path (lower bound)", formatDuration(report.criticalPathSeconds)],
    ["Restore completion noticed after (max / avg)", escapeHtml(detectionText(report))],
    ["History events / state transitions", `${e.historyEvents} / ${e.stateTransitions}`],
    ["Max payload", `${e.maxPayloadBytes} bytes`],
  ];
  if (report.error) {
    rows.push([
      "Failure",
      `${escapeHtml(report.failedStep ?? "unknown step")}: <b>${escapeHtml(report.error.name)}</b> ${escapeHtml(report.error.cause ?? "")}`,
    ]);
  }
  if (report.approval) rows.push(["Approval", escapeHtml(approvalText(report.approval))]);
  if (report.wallSeconds !== undefined) rows.push(["Wall time", `${escapeHtml(report.wallSeconds)} s`]);
  if (report.expect) {
    rows.push(["Expectations", report.expect.held ? "held" : escapeHtml(report.expect.failures.join("; "))]);
  }

  const resources = report.resources.map(
    (r) =>
      `<tr><td>${escapeHtml(r.name)}</td><td>${escapeHtml(r.type)}</td><td>${escapeHtml(r.recoveryPointCreatedAt)}</td>` +
      `<td class="num">${formatDuration(r.rpoSeconds)}</td><td><code>${escapeHtml(r.restoreJobId ?? "–")}</code></td>` +
      `<td class="${escapeHtml(r.status)}">${escapeHtml(r.status)}</td><td class="num">${formatDuration(r.restoreSeconds)}</td>` +
      `<td class="num">${formatDuration(r.detectionGapSeconds)}</td>` +
      `<td class="num">${r.attempts}</td><td><code>${escapeHtml(r.restoredArn ?? "–")}</code></td>` +
      `<td>${escapeHtml(r.integratedAt ?? "–")}</td></tr>`,
  );
  const d = report.dns;
  const dns = d.changed
    ? `<p><code>${escapeHtml(d.record)}</code> now points to <code>${escapeHtml(d.to ?? "")}</code> (was <code>${escapeHtml(d.from ?? "none")}</code>).</p>`
    : `<p><code>${escapeHtml(d.record)}</code> was not changed${e.mode === "drill" ? " (drills never touch it)" : ""}.</p>`;
  const c = report.cleanup;
  const cleanup = c
    ? `<p>Deleted ${c.deleted.length}; leftovers ${c.leftovers.length}.</p><ul>` +
      c.deleted.map((x) => `<li>deleted <code>${escapeHtml(x)}</code></li>`).join("") +
      c.leftovers.map((x) => `<li class="FAILED">leftover <code>${escapeHtml(x)}</code></li>`).join("") +
      "</ul>"
    : `<p>${e.mode === "drill" ? "Cleanup has not run yet." : "No cleanup: a failover keeps what it restored."}</p>`;

  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>drctl ${escapeHtml(e.mode)} report: ${escapeHtml(e.name)}</title><style>${CSS}</style></head>
<body>
<h1>drctl ${escapeHtml(e.mode)} report: ${escapeHtml(e.name)}</h1>
<p class="verdict ${ok ? "ok" : "bad"}">${escapeHtml(report.outcome)}. ${escapeHtml(v.text)}.</p>
<table>${rows.map(([k, val]) => `<tr><th>${escapeHtml(k)}</th><td>${val}</td></tr>`).join("")}</table>
<h2>Timeline</h2>
${timelineSvg(timelineBars(report))}
<table><tr><th>Phase</th><th>Start</th><th>End</th><th>Duration</th><th>Status</th></tr>
${report.phases
  .map(
    (p) =>
      `<tr><td>${escapeHtml(p.name)}</td><td>${escapeHtml(p.startedAt)}</td><td>${escapeHtml(p.endedAt)}</td>` +
      `<td class="num">${formatDuration(p.seconds)}</td><td class="${escapeHtml(p.status)}">${escapeHtml(p.status)}</td></tr>`,
  )
  .join("\n")}</table>
<h2>Resources</h2>
${
  resources.length === 0
    ? "<p>No restores were planned.</p>"
    : `<table><tr><th>Resource</th><th>Type</th><th>Recovery point</th><th>RPO</th><th>Restore job</th><th>Status</th><th>Restore time</th><th>Noticed after</th><th>Attempts</th><th>Restored</th><th>Integrated</th></tr>\n${resources.join("\n")}</table>`
}
<h2>DNS</h2>
${dns}
<h2>Cleanup</h2>
${cleanup}
</body></html>
`;
}

const hhmm = (d: Date): string => d.toISOString().slice(11, 16);

/** Horizontal bars on a shared time axis: one row per phase, then one per restore. */
export function timelineSvg(bars: Bar[]): string {
  if (bars.length === 0) return "<p>No timeline: no state ran.</p>";
  const label = 190;
  const width = 1000;
  const plot = width - label - 20;
  const row = 22;
  const top = 24;
  const t0 = Math.min(...bars.map((b) => b.start.getTime()));
  const t1 = Math.max(t0 + 1000, ...bars.map((b) => b.end.getTime()));
  const x = (t: number) => label + ((t - t0) / (t1 - t0)) * plot;
  const height = top + bars.length * row + 10;
  const ticks = Array.from({ length: 6 }, (_, i) => t0 + ((t1 - t0) * i) / 5);
  const parts: string[] = [
    `<svg role="img" aria-label="timeline" width="100%" viewBox="0 0 ${width} ${height}">`,
  ];
  for (const t of ticks) {
    const px = x(t).toFixed(1);
    parts.push(`<line class="axis" x1="${px}" y1="${top - 6}" x2="${px}" y2="${height - 6}"/>`);
    parts.push(`<text x="${px}" y="${top - 10}" text-anchor="middle">${hhmm(new Date(t))}</text>`);
  }
  bars.forEach((b, i) => {
    const y = top + i * row;
    const x0 = x(b.start.getTime());
    const w = Math.max(2, x(b.end.getTime()) - x0);
    const seconds = (b.end.getTime() - b.start.getTime()) / 1000;
    const name = `${b.group === "Restores" ? "restore " : ""}${b.label}`;
    parts.push(`<text x="${label - 8}" y="${y + 14}" text-anchor="end">${escapeHtml(name)}</text>`);
    parts.push(
      `<rect x="${x0.toFixed(1)}" y="${y + 3}" width="${w.toFixed(1)}" height="${row - 6}" rx="3" fill="${FILL[b.status] ?? "#8c959f"}">` +
        `<title>${escapeHtml(`${name}: ${b.status}, ${formatDuration(seconds)} (${b.start.toISOString()} → ${b.end.toISOString()})`)}</title></rect>`,
    );
  });
  parts.push("</svg>");
  return parts.join("\n");
}
