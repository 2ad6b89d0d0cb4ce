/** Runs matrix scenarios in parallel worker processes (each runs one scenario at a time). */
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { RunOutcome, RunSpec } from "./run-cell.js";

const WORKER = fileURLToPath(new URL("./worker.ts", import.meta.url));

export async function runAll(
  specs: readonly RunSpec[],
  workers: number,
  onDone: (spec: RunSpec, outcome: RunOutcome) => void,
): Promise<Map<string, RunOutcome>> {
  const queue = [...specs];
  const results = new Map<string, RunOutcome>();
  const one = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const child: ChildProcess = fork(WORKER, [], {
        execArgv: ["--import", "tsx"],
        stdio: ["ignore", "ignore", "inherit", "ipc"],
      });
      let current: RunSpec | undefined;
      const next = () => {
        current = queue.shift();
        if (current) child.send(current);
        else child.kill();
      };
      child.on("message", (msg: RunOutcome | { ready: true }) => {
        if ("ready" in msg) return next();
        if (current) {
          results.set(current.id, msg);
          onDone(current, msg);
        }
        next();
      });
      child.on("exit", (code) => {
        if (current && !results.has(current.id))
          reject(new Error(`worker exited (${code}) during ${current.id}`));
        else resolve();
      });
    });
  await Promise.all(Array.from({ length: Math.max(1, Math.min(workers, specs.length)) }, one));
  return results;
}
