/**
 * report.md: the report for people. A verdict against the objectives, a summary table, a Mermaid
 * Gantt chart of the phases and restores, then resources, DNS and cleanup.
 */
import { approvalText } from "./approval.js";
import type { Report } from "./model.js";
import { cleanupSummary, detectionText, formatDuration, verdict } from "./text.js";
import {
  type Bar,
  buildTimeline,
  criticalKeys,
  pathMarks,
  resourceFailure,
  resourceOrder,
  SLOWEST_SHOWN,
} from "./timeline.js";

/** Table cell: no line breaks, pipes escaped. */
const cell = (value: unknown): string =>
  value === null || value === undefined || value === ""
    ? "–"
    : String(value).replace(/\r?\n/g, " ").replace(/\\/g, "\\\\").replace(/\|/g, "\\|");

/** Inline text outside tables: Markdown/HTML-active characters escaped. */
const text = (value: string): string => value.replace(/\r?\n/g, " ").replace(/([\\`*_[\]<>|#])/g, "\\$1");

/** Mermaid Gantt: `YYYY-MM-DDTHH:mm:ss` (UTC); task names must not contain `:`, `#` or `;`. */
const ganttTime = (d: Date): string => d.toISOString().slice(0, 19);
const ganttName = (s: string): string => s.replace(/[:;#]/g, " ").replace(/\s+/g, " ").trim();

const objective = (seconds: number | null, minutes: number): string =>
  `${formatDuration(seconds)} (objective ${minutes}m)`;

export function renderMarkdown(report: Report): string {
  const e = report.execution;
  const v = verdict(report);
  const lines: string[] = [];
  lines.push(`# drctl ${e.mode} report: ${text(e.name)}`, "");
  const outcome = report.outcome === "SUCCEEDED" ? "✅ SUCCEEDED" : "❌ FAILED";
  lines.push(`**Verdict: ${outcome}. ${v.text}.**`, "");
  if (report.error) {
    lines.push(
      `Failed at **${text(report.failedStep ?? "unknown step")}** with **${text(report.error.name)}**` +
        (report.error.cause ? `: ${text(report.error.cause)}` : ""),
      "",
    );
  }
  for (const r of report.redrives ?? []) {
    const where = r.failedStep ? ` at ${text(r.failedStep)}` : "";
    const error = r.error ? ` (${text(r.error)})` : "";
    lines.push(
      `Redriven (${r.redriveCount}) at ${r.redrivenAt}: the attempt before ended ${r.status}${where}${error} at ${r.endedAt}.`,
      "",
    );
  }

  lines.push("| | |", "|---|---|");
  const rows: [string, unknown][] = [
    ["Outcome", report.outcome],
    ["Mode", e.mode],
    ["Trigger", e.trigger],
    ["Local sandbox", e.local ? "yes" : "no"],
    ["Started", e.startedAt],
    ["Ended", e.endedAt],
    ["RTO", objective(report.rtoSeconds, report.objectives.rtoMinutes)],
    ["RPO (worst resource)", objective(report.rpoSeconds, report.objectives.rpoMinutes)],
    ["Critical path (lower bound)", formatDuration(report.criticalPathSeconds)],
    ["Restore completion noticed after (max / avg)", detectionText(report)],
    ["History events", e.historyEvents],
    ["State transitions", e.stateTransitions],
    ["Max payload", `${e.maxPayloadBytes} bytes`],
  ];
  if (report.approval) rows.push(["Approval", approvalText(report.approval)]);
  if (report.wallSeconds !== undefined) rows.push(["Wall time", `${report.wallSeconds} s`]);
  if (report.expect) {
    rows.push(["Expectations", report.expect.held ? "held" : `failed: ${report.expect.failures.join("; ")}`]);
  }
  for (const [k, val] of rows) lines.push(`| ${k} | ${cell(val)} |`);
  lines.push("");
  lines.push(
    "Critical path = max(stack deploy, longest restore) + longest dependsOn chain of integrations + " +
      "health validation" +
      (e.mode === "failover" ? " + DNS propagation" : "") +
      ", from observed durations (waits between checks excluded). Restore times are the jobs' own " +
      "CreationDate → CompletionDate; RTO − critical path includes the time until polling noticed them.",
    "",
  );

  const timeline = buildTimeline(report);
  lines.push("## Timeline", "", ...gantt(report, timeline), "");
  lines.push("◆ on the critical path · ◇ its integration is on the critical path · ✗ failed.", "");
  lines.push("| Phase | Start | End | Duration | Status |", "|---|---|---|---|---|");
  for (const p of report.phases) {
    lines.push(`| ${p.name} | ${p.startedAt} | ${p.endedAt} | ${formatDuration(p.seconds)} | ${p.status} |`);
  }
  lines.push("");

  lines.push(...criticalPathLines(report), ...hiddenLines(timeline));

  lines.push("## Resources", "");
  if (report.resources.length === 0) {
    lines.push("No restores were planned.", "");
  } else {
    lines.push(
      "| Resource | Type | Recovery point | RPO | Restore job | Status | Restore time | Noticed after | Attempts | Restored | Integrated |",
      "|---|---|---|---|---|---|---|---|---|---|---|",
    );
    const keys = criticalKeys(report);
    for (const r of resourceOrder(report.resources)) {
      const failure = resourceFailure(report, r);
      const status = [failure ? `✗ ${r.status} (${failure})` : r.status, ...pathMarks(keys, r.name)];
      lines.push(
        `| ${cell(r.name)} | ${r.type} | ${cell(r.recoveryPointCreatedAt)} | ${formatDuration(r.rpoSeconds)} | ` +
          `${cell(r.restoreJobId)} | ${cell(status.filter(Boolean).join("; "))} | ${formatDuration(r.restoreSeconds)} | ` +
          `${formatDuration(r.detectionGapSeconds)} | ${r.attempts} | ${cell(r.restoredArn)} | ${cell(r.integratedAt)} |`,
      );
    }
    lines.push("");
  }

  lines.push("## DNS", "");
  const d = report.dns;
  if (d.changed) {
    lines.push(`\`${cell(d.record)}\` now points to \`${cell(d.to)}\` (was \`${cell(d.from)}\`).`, "");
  } else {
    lines.push(
      `\`${cell(d.record)}\` was not changed${e.mode === "drill" ? " (drills never touch it)" : ""}.`,
      "",
    );
  }

  lines.push("## Cleanup", "");
  lines.push(cleanupSummary(report), "");
  const c = report.cleanup;
  if (c && (c.deleted.length > 0 || c.leftovers.length > 0)) {
    for (const x of c.leftovers) lines.push(`- **leftover** \`${cell(x)}\``);
    for (const x of c.deleted) lines.push(`- deleted \`${cell(x)}\``);
    lines.push("");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

function gantt(report: Report, timeline: ReturnType<typeof buildTimeline>): string[] {
  const out = [
    "```mermaid",
    "gantt",
    `  title ${ganttName(report.execution.name)}`,
    "  dateFormat YYYY-MM-DDTHH:mm:ss",
    "  axisFormat %H:%M",
  ];
  const sections: [string, Bar[]][] = [
    ["Critical path", timeline.path],
    ["Phases", timeline.phases],
    ...timeline.restores.map((g): [string, Bar[]] => [`Restores ${g.type}`, g.bars]),
  ];
  let i = 0;
  for (const [section, bars] of sections) {
    if (bars.length === 0) continue;
    out.push(`  section ${section}`);
    for (const b of bars) {
      const tag = b.failure ? "crit, " : b.status === "RUNNING" ? "active, " : "";
      // Whole seconds; Mermaid draws nothing for an empty interval: instantaneous steps get one second.
      const start = Math.floor(b.start.getTime() / 1000) * 1000;
      const end = Math.max(Math.floor(b.end.getTime() / 1000) * 1000, start + 1000);
      const onPath = section === "Critical path" ? "" : b.critical ? "◆ " : b.onPath ? "◇ " : "";
      const marks = `${onPath}${b.failure ? "✗ " : ""}`;
      out.push(
        `  ${ganttName(marks + b.label)} :${tag}t${i++}, ${ganttTime(new Date(start))}, ${ganttTime(new Date(end))}`,
      );
    }
  }
  out.push("```");
  return out;
}

/** The critical path as a numbered table, with the wait before each step. */
function criticalPathLines(report: Report): string[] {
  const path = report.criticalPath ?? [];
  if (path.length === 0) return [];
  const lines = [
    "## Critical path",
    "",
    "The chain of steps that ended last, each waiting for the one before it: the run took their durations plus the waits between them.",
    "",
    "| # | Kind | Name | Start | End | Duration | Waited before |",
    "|---|---|---|---|---|---|---|",
  ];
  const secs = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / 1000;
  path.forEach((p, i) => {
    const prev = path[i - 1];
    const wait = prev ? Math.max(0, secs(prev.end, p.start)) : 0;
    lines.push(
      `| ${i + 1} | ${p.kind} | ${cell(p.name)} | ${p.start} | ${p.end} | ${formatDuration(secs(p.start, p.end))} | ${formatDuration(wait)} |`,
    );
  });
  return [...lines, ""];
}

/** Restores the timeline left out (above SUMMARIZE_ABOVE restores), per type. */
function hiddenLines(timeline: ReturnType<typeof buildTimeline>): string[] {
  if (!timeline.summarized) return [];
  const lines = [
    `The timeline draws the ${SLOWEST_SHOWN} slowest restores, every failure and every resource whose restore or integration is on the critical path; ` +
      "the others, per type (every resource is in the table below):",
    "",
    "| Type | Restores | Drawn | Not drawn | Min | Median | Max |",
    "|---|---|---|---|---|---|---|",
  ];
  for (const g of timeline.restores) {
    const h = g.hidden;
    lines.push(
      `| ${g.type} | ${g.total} | ${g.bars.length} | ${h?.count ?? 0} | ${formatDuration(h?.minSeconds)} | ` +
        `${formatDuration(h?.medianSeconds)} | ${formatDuration(h?.maxSeconds)} |`,
    );
  }
  return [...lines, ""];
}
