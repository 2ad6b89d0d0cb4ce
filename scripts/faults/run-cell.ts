import "../polyfills.js";
/**
 * Runs one scenario of the fault matrix in this process (the local runner: real definition, real
 * handlers, sandbox) and reads what the run left: outcome, report, leftovers, lock, notification.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { CLIENT_TIMEOUTS } from "../../functions/shared/aws/clients.js";
import type { FunctionKey } from "../../state-machines/names.js";
import { runLocalDrill } from "../sandbox/runner.js";
import type { Fault } from "../sandbox/scenario.js";
import type { World } from "../sandbox/world/index.js";
import { BASE_SCENARIOS, type CallsByStep, type Mode } from "./cells.js";
import type { CellResult } from "./expect.js";

/**
 * drctl's clients give up on a call after 10 s (CLIENT_TIMEOUTS); the matrix waits 3 s so that a
 * hang cell costs seconds, not minutes. The retry path (TimeoutError, SDK retries, AwsTransient,
 * Step Functions' retry) is the same.
 */
export const MATRIX_REQUEST_TIMEOUT_MS = 3_000;

export interface RunSpec {
  id: string;
  mode: Mode;
  faults: Fault[];
}

/** The base scenario of a mode with these faults and no expect (the matrix judges instead). */
async function scenarioFile(dir: string, spec: RunSpec): Promise<string> {
  const raw = parse(await readFile(BASE_SCENARIOS[spec.mode], "utf8")) as Record<string, unknown>;
  raw.faults = spec.faults;
  delete raw.expect;
  const path = join(dir, "scenario.json");
  await writeFile(path, JSON.stringify(raw));
  return path;
}

export interface RunOutcome {
  result: CellResult;
  /** Calls per step, in the order each step first made them. */
  calls: CallsByStep;
}

export async function runSpec(spec: RunSpec): Promise<RunOutcome> {
  CLIENT_TIMEOUTS.requestTimeoutMs = MATRIX_REQUEST_TIMEOUT_MS;
  const dir = await mkdtemp(join(tmpdir(), "drctl-faults-"));
  const lines: string[] = [];
  const started = performance.now();
  try {
    const run = await runLocalDrill({
      scenarioPath: await scenarioFile(dir, spec),
      outDir: join(dir, "out"),
      quiet: true,
      print: (l) => lines.push(l),
      wallTimeoutMs: 600_000,
    });
    const world = run.world;
    if (!world || run.exitCode === 2) throw new Error(lines.join("\n") || "no world");
    const snapshot = world.inspect();
    const leftovers = world
      .leftovers(run.runName ?? "")
      .filter((arn) => !arn.includes(":parameter/drctl/lock/"));
    const result: CellResult = {
      id: spec.id,
      status: run.status ?? "UNKNOWN",
      ...(run.error !== undefined ? { error: run.error } : {}),
      reportWritten: run.report !== undefined,
      cleanupReported: run.report?.cleanup !== null && run.report?.cleanup !== undefined,
      reported: (run.report?.cleanup?.leftovers ?? []).map((l) =>
        typeof l === "string" ? l : JSON.stringify(l),
      ),
      leftovers,
      lockHeld: Object.keys(snapshot.parameters).some((p) => p.startsWith("/drctl/lock/")),
      notifiedFailure: snapshot.messages.some((m) => /\bFAILED\b/.test(m.subject ?? "")),
      fired: world.faults.entries.reduce((n, e) => n + e.used, 0),
      wallSeconds: Math.round((performance.now() - started) / 100) / 10,
    };
    return { result, calls: callsByStep(world) };
  } catch (e) {
    const problem = (e as Error).message.split("\n")[0] ?? String(e);
    return {
      result: {
        id: spec.id,
        status: "RUNNER_ERROR",
        reportWritten: false,
        cleanupReported: false,
        reported: [],
        leftovers: [],
        lockHeld: false,
        notifiedFailure: false,
        fired: 0,
        wallSeconds: Math.round((performance.now() - started) / 100) / 10,
        problem,
      },
      calls: {},
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function callsByStep(world: World): CallsByStep {
  const out: Partial<Record<FunctionKey, string[]>> = {};
  for (const c of world.calls) {
    if (c.step === undefined) continue;
    const list = out[c.step] ?? [];
    out[c.step] = list;
    const call = `${c.service}:${c.operation}`;
    if (!list.includes(call)) list.push(call);
  }
  return out;
}
