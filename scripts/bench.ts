/**
 * Benchmarks: generated drills of 10, 100, 500 and 1,000 resources with ongoing backups and
 * dependsOn chains (bench-scenario.ts, measured by bench-drill.ts), and the standalone sandbox's
 * memory at --speed 600 (bench-standalone.ts). Prints one table; a row that misses a target says
 * "over" and what it missed.
 *
 *   npm run bench                                   # all sizes, standalone for 10 minutes
 *   npm run bench -- --sizes 10,100 --standalone-minutes 1
 *
 * Targets: wall < 30 s at 500 resources and < 60 s at 1,000 (on a 2-core machine); ≤ 12 AWS calls
 * per resource (every call of the steps); RTO / critical-path lower bound ≤ 1.05; at 1,000
 * resources history < 5,000 events and max payload < 128 KB; standalone sandbox < 300 MB.
 * The standalone sandbox runs alongside the drills (it is mostly idle between its polls).
 */
import "./polyfills.js";
import { parseArgs } from "node:util";
import { benchDrill, type DrillMetrics } from "./bench-drill.js";
import { benchStandalone, type StandaloneMetrics } from "./bench-standalone.js";

const WALL_TARGETS: Record<number, number> = { 500: 30, 1000: 60 };
const CALLS_PER_RESOURCE = 12;
const RATIO = 1.05;
const HISTORY = 5_000;
const PAYLOAD = 128 * 1024;
const RSS_MIB = 300;

function hms(seconds: number | null): string {
  if (seconds === null) return "-";
  const s = Math.round(seconds);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

/**
 * What each resource beyond the previous row's adds (calls over the resource difference): the
 * rest of a drill's calls is fixed, set by how long the drill waits (restore, stack and instance
 * polls over its ~40 simulated minutes), not by its size.
 */
function marginal(m: DrillMetrics, previous: DrillMetrics | undefined): string {
  if (!previous || previous.resources >= m.resources) return "-";
  return ((m.stepCalls - previous.stepCalls) / (m.resources - previous.resources)).toFixed(2);
}

function drillRow(m: DrillMetrics, previous: DrillMetrics | undefined): string[] {
  const perResource = m.stepCalls / m.resources;
  const ratio = m.rtoSeconds === null ? Number.NaN : m.rtoSeconds / m.lowerBoundSeconds;
  const wallTarget = WALL_TARGETS[m.resources];
  const misses = [
    wallTarget !== undefined && m.wallSeconds >= wallTarget ? `wall ≥ ${wallTarget} s` : "",
    perResource > CALLS_PER_RESOURCE ? `calls > ${CALLS_PER_RESOURCE}/resource` : "",
    !(ratio <= RATIO) ? `RTO/critical path > ${RATIO}` : "",
    m.resources >= 1000 && m.historyEvents >= HISTORY ? `history ≥ ${HISTORY}` : "",
    m.resources >= 1000 && m.maxPayloadBytes >= PAYLOAD ? "payload ≥ 128 KB" : "",
    m.outcome.includes("unexpected") || m.leftovers !== 0 ? "expect not held" : "",
  ].filter(Boolean);
  return [
    `drill ${m.resources}`,
    m.outcome,
    m.wallSeconds.toFixed(1),
    String(m.stepCalls),
    perResource.toFixed(2),
    marginal(m, previous),
    String(m.historyEvents),
    String(m.maxPayloadBytes),
    hms(m.rtoSeconds),
    hms(m.lowerBoundSeconds),
    Number.isNaN(ratio) ? "-" : ratio.toFixed(3),
    hms(m.guideSeconds),
    misses.length > 0 ? `over: ${misses.join(", ")}` : "ok",
  ];
}

function standaloneRow(m: StandaloneMetrics): string[] {
  const verdict = m.maxRssMiB >= RSS_MIB ? `over: RSS ≥ ${RSS_MIB} MB` : "ok";
  const what = `max RSS ${m.maxRssMiB} MiB (last ${m.lastRssMiB}), ${m.recoveryPoints} recovery points`;
  return [`standalone --speed 600`, what, String(m.seconds), ...Array<string>(9).fill("-"), verdict];
}

function table(rows: string[][]): string {
  const head = [
    "row",
    "outcome",
    "wall s",
    "calls",
    "calls/res",
    "per added res",
    "history",
    "max payload B",
    "RTO",
    "crit. path LB",
    "RTO/LB",
    "guide's way",
    "verdict",
  ];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((c) => (c[i] ?? "").length)));
  const line = (c: string[]) => c.map((v, i) => v.padEnd(widths[i] ?? 0)).join("  ");
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

function topCalls(m: DrillMetrics, n = 8): string {
  const top = [...m.callsByStep].sort((a, b) => b[1] - a[1]).slice(0, n);
  return `  drill ${m.resources}, most calls: ${top.map(([k, v]) => `${k} ${v}`).join(", ")}`;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      sizes: { type: "string", default: "10,100,500,1000" },
      "standalone-minutes": { type: "string", default: "10" },
    },
  });
  const sizes = String(values.sizes).split(",").map(Number);
  const minutes = Number(values["standalone-minutes"]);
  const standalone = minutes > 0 ? benchStandalone(minutes) : undefined;
  const drills: DrillMetrics[] = [];
  for (const size of sizes) drills.push(await benchDrill(size));
  const rows = drills.map((m, i) => drillRow(m, drills[i - 1]));
  if (standalone) rows.push(standaloneRow(await standalone));
  console.log(table(rows));
  console.log(drills.map((m) => topCalls(m)).join("\n"));
  return rows.every((r) => r[r.length - 1] === "ok") ? 0 : 1;
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(2);
  },
);
