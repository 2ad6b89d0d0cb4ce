/** The local runner's printed output: progress clock and the closing summary of a run. */
import type { DescribeExecutionOutput } from "@aws-sdk/client-sfn";
import type { Report } from "../../functions/shared/report/index.js";

export function clockText(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
}

function minutes(seconds: number | null | undefined): string {
  return seconds === null || seconds === undefined ? "n/a" : `${Math.round(seconds / 6) / 10} min`;
}

export function summary(
  print: (line: string) => void,
  final: DescribeExecutionOutput,
  report: Report | undefined,
  problems: string[],
  outDir: string,
  quiet: boolean,
): void {
  const lines: string[] = [];
  if (report) {
    const o = report.objectives;
    const mark = (v: number | null, limit: number) => (v === null ? "" : v <= limit ? " ✓" : " ✗");
    const simulated = (Date.parse(report.execution.endedAt) - Date.parse(report.execution.startedAt)) / 1000;
    lines.push(
      `${report.outcome}${report.failedStep ? ` at ${report.failedStep}` : ""}${report.error ? ` (${report.error.name})` : ""}`,
      `  RTO ${minutes(report.rtoSeconds)} vs objective ${o.rtoMinutes} min${mark(report.rtoSeconds, o.rtoMinutes * 60)}`,
      `  RPO ${minutes(report.rpoSeconds)} vs objective ${o.rpoMinutes} min${mark(report.rpoSeconds, o.rpoMinutes * 60)}`,
      `  time: ${clockText(simulated)} simulated in ${report.wallSeconds ?? "?"} s wall`,
    );
    if (report.expect) {
      lines.push(`  expect: ${report.expect.held ? "held" : "NOT held"}`);
      for (const f of report.expect.failures) lines.push(`    - ${f}`);
    }
  } else {
    lines.push(
      `${final.status ?? "UNKNOWN"}${final.error ? ` (${final.error})` : ""}: no report was written`,
    );
  }
  for (const p of problems) lines.push(`  problem: ${p}`);
  lines.push(`  report: ${outDir}`);
  if (quiet && report?.expect?.held !== false && problems.length === 0) return;
  for (const l of lines) print(l);
}
