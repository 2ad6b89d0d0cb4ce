/** Runs a scenario through the local runner (real definition, real handlers, sandbox) for a test. */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { Report } from "../../functions/shared/report/index.js";
import {
  type LocalDrillOptions,
  type LocalDrillResult,
  runLocalDrill,
} from "../../scripts/sandbox/runner.js";

export interface MachineRun extends LocalDrillResult {
  report: Report;
  files: { json: string; md: string; html: string };
  leftovers: string[];
}

export async function runScenario(
  scenarioPath: string,
  opts: Partial<LocalDrillOptions> = {},
): Promise<MachineRun> {
  const outDir = await mkdtemp(join(tmpdir(), "drctl-machine-"));
  const lines: string[] = [];
  try {
    const result = await runLocalDrill({
      scenarioPath,
      outDir,
      quiet: true,
      print: (l) => lines.push(l),
      ...opts,
    });
    expect(result.problems, lines.join("\n")).toEqual([]);
    const files = {
      json: await readFile(join(outDir, "report.json"), "utf8"),
      md: await readFile(join(outDir, "report.md"), "utf8"),
      html: await readFile(join(outDir, "report.html"), "utf8"),
    };
    // The contract: report.json parses with the Report schema as written.
    const report = Report.parse(JSON.parse(files.json));
    const leftovers = result.world?.leftovers(result.runName ?? "") ?? ["(no world)"];
    return { ...result, report, files, leftovers };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

/** How many calls the sandbox answered with this error (injected faults). */
export function callsWithError(run: MachineRun, operation: string, error: string): number {
  return (run.world?.calls ?? []).filter((c) => c.operation === operation && c.error === error).length;
}
