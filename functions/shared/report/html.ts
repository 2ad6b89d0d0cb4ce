/**
 * report.html: one self-contained page (inline CSS, inline SVG timeline, no scripts, no external
 * assets). Every piece of text from the report is escaped.
 */

import { approvalText } from "./approval.js";
import { criticalPathTable, hiddenTable, resourcesTable } from "./html-tables.js";
import { timelineSvg } from "./html-timeline.js";
import type { Report } from "./model.js";
import { cleanupSummary, detectionText, escapeHtml, formatDuration, verdict } from "./text.js";
import { buildTimeline } from "./timeline.js";

export { timelineSvg } from "./html-timeline.js";
export { escapeHtml } from "./text.js";

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1100px;color:#1b1f24;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.25rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse;margin:.5rem 0;width:100%}th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.num{text-align:right;white-space:nowrap}code{font-size:12px;word-break:break-all}
.verdict{padding:.6rem .9rem;border-radius:6px;font-weight:600}.ok{background:#dafbe1}.bad{background:#ffebe9}
.SUCCEEDED,.COMPLETED{color:#1a7f37}.FAILED,.ABORTED{color:#cf222e}.RUNNING,.PENDING{color:#9a6700}
svg text{font:11px system-ui,sans-serif;fill:#1b1f24}svg .axis{stroke:#d0d7de}svg text.lane{font-weight:600}
svg text.critical,svg text.failed{font-weight:700}tr.failed td{background:#fff5f5}.legend{font-size:12px;color:#57606a}
table.resources{font-size:12px}table.resources td:last-child{min-width:20rem}
@media print{body{max-width:none;margin:0;font-size:11px}svg,tr{break-inside:avoid}h2{break-after:avoid}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
`;

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

  const timeline = buildTimeline(report);
  const d = report.dns;
  const dns = d.changed
    ? `<p><code>${escapeHtml(d.record)}</code> now points to <code>${escapeHtml(d.to ?? "")}</code> (was <code>${escapeHtml(d.from ?? "none")}</code>).</p>`
    : `<p><code>${escapeHtml(d.record)}</code> was not changed${e.mode === "drill" ? " (drills never touch it)" : ""}.</p>`;
  const c = report.cleanup;
  const cleanup =
    `<p>${escapeHtml(cleanupSummary(report))}</p>` +
    (c && (c.deleted.length > 0 || c.leftovers.length > 0)
      ? "<ul>" +
        c.leftovers.map((x) => `<li class="FAILED">leftover <code>${escapeHtml(x)}</code></li>`).join("") +
        c.deleted.map((x) => `<li>deleted <code>${escapeHtml(x)}</code></li>`).join("") +
        "</ul>"
      : "");

  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>drctl ${escapeHtml(e.mode)} report: ${escapeHtml(e.name)}</title><style>${CSS}</style></head>
<body>
<h1>drctl ${escapeHtml(e.mode)} report: ${escapeHtml(e.name)}</h1>
<p class="verdict ${ok ? "ok" : "bad"}">${escapeHtml(report.outcome)}. ${escapeHtml(v.text)}.</p>
<table>${rows.map(([k, val]) => `<tr><th>${escapeHtml(k)}</th><td>${val}</td></tr>`).join("")}</table>
<h2>Timeline</h2>
<p class="legend">◆ on the critical path (thick outline) · ◇ its integration is on the critical path · ✗ failed (dashed outline; what failed is written after the bar) · each bar's tooltip has its times.</p>
${timelineSvg(timeline)}
<table><tr><th>Phase</th><th>Start</th><th>End</th><th>Duration</th><th>Status</th></tr>
${report.phases
  .map(
    (p) =>
      `<tr><td>${escapeHtml(p.name)}</td><td>${escapeHtml(p.startedAt)}</td><td>${escapeHtml(p.endedAt)}</td>` +
      `<td class="num">${formatDuration(p.seconds)}</td><td class="${escapeHtml(p.status)}">${escapeHtml(p.status)}</td></tr>`,
  )
  .join("\n")}</table>
<h3>Critical path</h3>
<p>The chain of steps that ended last, each waiting for the one before it: the run took their durations plus the waits between them.</p>
${criticalPathTable(report)}
${hiddenTable(timeline)}
<h2>Resources</h2>
${resourcesTable(report)}
<h2>DNS</h2>
${dns}
<h2>Cleanup</h2>
${cleanup}
</body></html>
`;
}
