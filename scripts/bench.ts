/**
 * Benchmarks: wall time, memory and execution size of local drills.
 *
 *   npm run bench                 # every scenario in scenarios/ plus a generated 500-resource drill
 *   npm run bench -- --size 200   # the generated drill with another resource count
 *
 * Prints one table. Targets (a row is marked "over" when it misses one):
 *   - a drill of an example scenario: < 10 s wall;
 *   - every state payload < 256 KB and history < 25,000 events, also with 500 resources.
 */
import "./polyfills.js";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { stringify } from "yaml";
import { runLocalDrill } from "./sandbox/runner.js";

const PAYLOAD_LIMIT = 256 * 1024;
const HISTORY_LIMIT = 25_000;
const EXAMPLE_WALL_TARGET_S = 10;

interface Row {
  scenario: string;
  resources: number;
  outcome: string;
  wallS: number;
  simulated: string;
  history: number;
  transitions: number;
  maxPayload: number;
  heapMiB: number;
  verdict: string;
}

/** A drill of `size` resources: RDS instances and DynamoDB tables, each with an SSM parameter. */
function largeScenario(size: number): Record<string, unknown> {
  const resources = Array.from({ length: size }, (_, i) => {
    const rds = i % 5 < 2;
    return {
      name: `${rds ? "db" : "table"}-${String(i).padStart(4, "0")}`,
      type: rds ? "rds" : "dynamodb",
      tags: { backup: "true", app: "big" },
      recoveryPoints: { count: 4, newestAgeMinutes: 20 + (i % 30) },
      restoreSeconds: 600 + ((i * 37) % 1800),
      integrate: { ssmParameter: `/big/${rds ? "db" : "table"}/${i}` },
    };
  });
  return {
    name: `large-drill-${size}`,
    description: `Generated drill of ${size} resources (benchmark).`,
    mode: "drill",
    start: "2026-03-01T09:00:00Z",
    regions: { primary: "us-east-1", recovery: "us-west-2" },
    objectives: { rtoMinutes: 240, rpoMinutes: 60 },
    vault: "dr-vault",
    app: { stackName: "big-dr", deploySeconds: 540, healthyAfterSeconds: 60 },
    network: {
      vpcId: "vpc-0dr",
      subnetIds: ["subnet-0dra", "subnet-0drb"],
      securityGroupIds: ["sg-0drdb"],
      dbSubnetGroup: "dr-db-subnets",
    },
    dns: {
      hostedZone: "example.com.",
      record: "big.example.com.",
      primaryTarget: "primary-alb.us-east-1.elb.amazonaws.com",
      propagationSeconds: 60,
    },
    primary: { healthy: true },
    resources,
    expect: { outcome: "SUCCEEDED", dnsChanged: false, leftovers: 0 },
  };
}

function hms(seconds: number): string {
  const s = Math.round(seconds);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

async function bench(path: string, label: string, wallTarget: number | undefined): Promise<Row> {
  const out = await mkdtemp(join(tmpdir(), "drctl-bench-"));
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let peak = heapBefore;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 20);
  try {
    const result = await runLocalDrill({
      scenarioPath: path,
      outDir: out,
      quiet: true,
      wallTimeoutMs: 600_000,
    });
    const r = result.report;
    const simulated = r ? (Date.parse(r.execution.endedAt) - Date.parse(r.execution.startedAt)) / 1000 : 0;
    const row: Row = {
      scenario: label,
      resources: r?.resources.length ?? 0,
      outcome: `${r?.outcome ?? result.status ?? "?"}${result.exitCode === 0 ? "" : " (unexpected)"}`,
      wallS: result.wallSeconds,
      simulated: hms(simulated),
      history: r?.execution.historyEvents ?? 0,
      transitions: r?.execution.stateTransitions ?? 0,
      maxPayload: r?.execution.maxPayloadBytes ?? 0,
      heapMiB: Math.round(((peak - heapBefore) / 1024 / 1024) * 10) / 10,
      verdict: "ok",
    };
    const misses = [
      wallTarget !== undefined && row.wallS >= wallTarget ? `wall ≥ ${wallTarget}s` : "",
      row.maxPayload >= PAYLOAD_LIMIT ? "payload ≥ 256KB" : "",
      row.history >= HISTORY_LIMIT ? "history ≥ 25k" : "",
      result.exitCode !== 0 ? "expect not held" : "",
    ].filter(Boolean);
    if (misses.length > 0) row.verdict = `over: ${misses.join(", ")}`;
    return row;
  } finally {
    clearInterval(sampler);
    await rm(out, { recursive: true, force: true });
  }
}

function table(rows: Row[]): string {
  const head = [
    "scenario",
    "resources",
    "outcome",
    "wall s",
    "simulated",
    "history",
    "transitions",
    "max payload B",
    "heap Δ MiB",
    "verdict",
  ];
  const cells = rows.map((r) => [
    r.scenario,
    String(r.resources),
    r.outcome,
    r.wallS.toFixed(2),
    r.simulated,
    String(r.history),
    String(r.transitions),
    String(r.maxPayload),
    String(r.heapMiB),
    r.verdict,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? "").length)));
  const line = (c: string[]) => c.map((v, i) => v.padEnd(widths[i] ?? 0)).join("  ");
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { size: { type: "string", default: "500" } } });
  const size = Number(values.size);
  const rows: Row[] = [];
  const files = (await readdir("scenarios")).filter(
    (f) => /\.ya?ml$|\.json$/.test(f) && !f.includes("schema"),
  );
  for (const f of files.sort()) {
    rows.push(await bench(join("scenarios", f), f.replace(/\.(ya?ml|json)$/, ""), EXAMPLE_WALL_TARGET_S));
  }
  const dir = await mkdtemp(join(tmpdir(), "drctl-bench-scenario-"));
  const path = join(dir, `large-${size}.yaml`);
  await writeFile(path, stringify(largeScenario(size)));
  rows.push(await bench(path, `generated-${size}`, undefined));
  await rm(dir, { recursive: true, force: true });
  console.log(table(rows));
  return rows.every((r) => r.verdict === "ok") ? 0 : 1;
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(2);
  },
);
