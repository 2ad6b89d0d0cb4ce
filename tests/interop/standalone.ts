/** Starts the real standalone sandbox (`node bin/drctl.js sandbox`) as a child process, for interop tests. */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface Standalone {
  url: string;
  port: number;
  /** Everything the process printed so far. */
  output(): { stdout: string; stderr: string };
  stop(): Promise<void>;
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Runs `drctl sandbox --scenario FILE --speed N` and waits for its `ready URL` line. */
export async function startStandalone(scenarioPath: string, speed: number): Promise<Standalone> {
  const port = await freePort();
  let stdout = "";
  let stderr = "";
  const child: ChildProcess = spawn(
    process.execPath,
    ["bin/drctl.js", "sandbox", "--scenario", scenarioPath, "--port", String(port), "--speed", String(speed)],
    { cwd: ROOT, env: { ...process.env, POWERTOOLS_LOG_LEVEL: "SILENT" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  };
  process.once("exit", kill);
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no ready line within 30 s")), 30_000);
      const check = () => {
        if (!stdout.includes("\n")) return;
        clearTimeout(timer);
        resolve();
      };
      child.stdout?.on("data", check);
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the sandbox exited (${code ?? signal}) before it was ready`));
      });
    });
  } catch (e) {
    kill();
    throw new Error(`${(e as Error).message}\nstdout: ${stdout}\nstderr: ${stderr}`);
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    output: () => ({ stdout, stderr }),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((done) => child.once("exit", done));
        child.kill("SIGTERM");
        await Promise.race([exited, sleep(5_000)]);
        kill();
      }
      process.removeListener("exit", kill);
    },
  };
}
