/**
 * Tables of the HTML page that go with the timeline: the critical path, the restores the
 * timeline summarized, and the full resource table (every resource, in the timeline's order,
 * with its marks written out).
 */

import { summaryText } from "./html-timeline.js";
import type { Report } from "./model.js";
import { escapeHtml, formatDuration } from "./text.js";
import {
  criticalKeys,
  pathMarks,
  resourceFailure,
  resourceOrder,
  SLOWEST_SHOWN,
  type Timeline,
} from "./timeline.js";

const secondsBetween = (from: string, to: string): number => (Date.parse(to) - Date.parse(from)) / 1000;

/** The critical path in order, with the wait before each step (polling gaps, Wait states). */
export function criticalPathTable(report: Report): string {
  const path = report.criticalPath ?? [];
  if (path.length === 0) return "<p>No critical path: nothing finished.</p>";
  const rows = path.map((p, i) => {
    const prev = path[i - 1];
    const wait = prev ? Math.max(0, secondsBetween(prev.end, p.start)) : 0;
    return (
      `<tr><td class="num">${i + 1}</td><td>${escapeHtml(p.kind)}</td><td>${escapeHtml(p.name)}</td>` +
      `<td>${escapeHtml(p.start)}</td><td>${escapeHtml(p.end)}</td>` +
      `<td class="num">${formatDuration(secondsBetween(p.start, p.end))}</td><td class="num">${formatDuration(wait)}</td></tr>`
    );
  });
  return (
    '<table class="path"><tr><th>#</th><th>Kind</th><th>Name</th><th>Start</th><th>End</th><th>Duration</th><th>Waited before</th></tr>\n' +
    `${rows.join("\n")}</table>`
  );
}

/** When the timeline draws only some restores: what it left out, per type. */
export function hiddenTable(t: Timeline): string {
  if (!t.summarized) return "";
  const total = t.restores.reduce((n, g) => n + g.total, 0);
  const rows = t.restores.map(
    (g) =>
      `<tr><td>${escapeHtml(g.type)}</td><td class="num">${g.total}</td><td class="num">${g.bars.length}</td>` +
      `<td class="num">${g.hidden?.count ?? 0}</td><td>${g.hidden ? escapeHtml(summaryText(g.hidden)) : "–"}</td></tr>`,
  );
  return (
    `<p>The timeline draws the ${SLOWEST_SHOWN} slowest of the ${total} restores, every failure and every ` +
    "resource whose restore or integration is on the critical path; the others are summarized here, and every resource is in the table under Resources.</p>\n" +
    '<table class="hidden-restores"><tr><th>Type</th><th>Restores</th><th>Drawn</th><th>Not drawn</th><th>Not drawn: duration</th></tr>\n' +
    `${rows.join("\n")}</table>`
  );
}

/** Every resource, by type and restore end, with failures and the critical path written out. */
export function resourcesTable(report: Report): string {
  if (report.resources.length === 0) return "<p>No restores were planned.</p>";
  const keys = criticalKeys(report);
  const t0 = report.execution.startedAt;
  const after = (t: string | null | undefined) => (t ? `+${formatDuration(secondsBetween(t0, t))}` : "–");
  const rows = resourceOrder(report.resources).map((r) => {
    const failure = resourceFailure(report, r);
    const marks = [...pathMarks(keys, r.name), ...(failure ? [`✗ ${failure}`] : [])];
    return (
      `<tr${failure ? ' class="failed"' : ""}><td>${escapeHtml(r.name)}</td><td>${escapeHtml(r.type)}</td>` +
      `<td class="${escapeHtml(r.status)}">${failure?.startsWith("restore") ? "✗ " : ""}${escapeHtml(r.status)}</td>` +
      `<td>${escapeHtml(marks.join("; ") || "–")}</td>` +
      `<td class="num">${formatDuration(r.restoreSeconds)}</td><td class="num">${after(r.restoreCompletedAt)}</td>` +
      `<td class="num">${formatDuration(r.detectionGapSeconds)}</td><td class="num">${after(r.integratedAt)}</td>` +
      `<td class="num">${formatDuration(r.rpoSeconds)}</td><td class="num">${r.attempts}</td>` +
      `<td><code>${escapeHtml(r.restoreJobId ?? "–")}</code><br><code>${escapeHtml(r.restoredArn ?? "–")}</code></td></tr>`
    );
  });
  return (
    '<table class="resources"><tr><th>Resource</th><th>Type</th><th>Status</th><th>Marks</th><th>Restore time</th>' +
    "<th>Restore ended (after start)</th><th>Noticed after</th><th>Integrated (after start)</th><th>RPO</th>" +
    `<th>Attempts</th><th>Restore job / restored resource</th></tr>\n${rows.join("\n")}</table>\n` +
    "<p>Recovery points, and the times in full, are in report.json and report.md.</p>"
  );
}
