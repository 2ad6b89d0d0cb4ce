/**
 * The fault matrix (`npm run test:faults`): every step × {throttling, permanent error, hang} on
 * the step's main AWS call, and a permanent error on each describe, list, delete and detach call, each run as
 * a whole local drill (or failover), judged against what the issue requires (./expect.ts).
 * Prints the tables and exits 1 when any cell is wrong.
 *
 *   npx tsx scripts/faults/matrix.ts [--workers 2] [--only TEXT] [--json FILE]
 */
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { FUNCTIONS } from "../../state-machines/names.js";
import { buildCells, type CallsByStep, type Cell, type Mode, stepsWithoutCalls } from "./cells.js";
import { type CellResult, judge } from "./expect.js";
import { runAll } from "./pool.js";
import { MATRIX_REQUEST_TIMEOUT_MS, type RunSpec } from "./run-cell.js";
import { callTable, stepTable } from "./table.js";

const { values } = parseArgs({
  options: {
    workers: { type: "string", default: "2" },
    only: { type: "string" },
    json: { type: "string" },
  },
});
const workers = Number(values.workers);
const t0 = performance.now();
const log = (line: string) => process.stderr.write(`${line}\n`);

// 1. Which calls each step makes: the baseline drill and failover (each cell runs one of them with
//    its fault, so a call only a failing run makes would never meet the fault).
const baselines: RunSpec[] = [
  { id: "baseline drill", mode: "drill", faults: [] },
  { id: "baseline failover", mode: "failover", faults: [] },
];
const found = await runAll(baselines, workers, (spec, o) =>
  log(`  ${spec.id}: ${o.result.status} ${o.result.error ?? ""} (${o.result.wallSeconds} s)`),
);
const calls: Record<Mode, CallsByStep> = { drill: {}, failover: {} };
for (const spec of baselines) {
  const outcome = found.get(spec.id);
  if (!outcome || outcome.result.status === "RUNNER_ERROR") {
    log(`baseline ${spec.id} did not run: ${outcome?.result.problem ?? "no result"}`);
    process.exit(1);
  }
  for (const [step, list] of Object.entries(outcome.calls) as [keyof CallsByStep, string[]][]) {
    const merged = calls[spec.mode][step] ?? [];
    calls[spec.mode][step] = merged;
    for (const c of list) if (!merged.includes(c)) merged.push(c);
  }
}

// 2. The cells, run in parallel workers.
const cells = buildCells(calls).filter((c) => values.only === undefined || c.id.includes(values.only));
log(
  `fault matrix: ${cells.length} runs on ${workers} workers (client request timeout ${MATRIX_REQUEST_TIMEOUT_MS} ms)`,
);
let done = 0;
const results = await runAll(
  cells.map((c) => ({ id: c.id, mode: c.mode, faults: [c.fault] })),
  workers,
  (spec, o) => {
    done++;
    const cell = cells.find((c) => c.id === spec.id) as Cell;
    const wrong = judge(cell, o.result);
    log(
      `  [${done}/${cells.length}] ${spec.id}: ${wrong.length ? `WRONG (${wrong.join("; ")})` : "ok"} ${o.result.wallSeconds} s`,
    );
  },
);

// 3. The tables and the verdict.
const judged = cells.map((cell) => {
  const result = results.get(cell.id)?.result as CellResult;
  return { cell, result, wrong: judge(cell, result) };
});
/**
 * Steps that act only after a run stopped (aftermath: the EventBridge rule's execution) or on a
 * redrive (resume): the matrix's drill and failover never reach them; their own machine tests do.
 */
const OUTSIDE_A_RUN: Partial<Record<string, string>> = {
  aftermath: "tests/machine/stopped-run.test.ts, tests/unit/functions/aftermath.test.ts",
  resume: "tests/machine/redrive.test.ts, tests/unit/functions/resume.test.ts",
};
const uncovered = stepsWithoutCalls(calls);
const missing = uncovered.filter((step) => OUTSIDE_A_RUN[step] === undefined);
process.stdout.write(`${stepTable(judged)}\n\n${callTable(judged)}\n`);
const wrongCells = judged.filter((j) => j.wrong.length > 0);
for (const step of uncovered) {
  const elsewhere = OUTSIDE_A_RUN[step];
  process.stdout.write(
    elsewhere
      ? `step ${step}: runs only after a stop or on a redrive, not in the matrix's runs (tested in ${elsewhere})\n`
      : `step ${step}: made no AWS call in the baseline runs (no cells)\n`,
  );
}
if (values.json) await writeFile(values.json, `${JSON.stringify({ calls, judged }, null, 2)}\n`);
const seconds = Math.round((performance.now() - t0) / 1000);
process.stdout.write(
  `\n${judged.length - wrongCells.length}/${judged.length} cells as expected, ${wrongCells.length} wrong; ` +
    `${FUNCTIONS.length - uncovered.length}/${FUNCTIONS.length} steps in the matrix; ${seconds} s wall\n`,
);
process.exit(wrongCells.length === 0 && missing.length === 0 ? 0 : 1);
