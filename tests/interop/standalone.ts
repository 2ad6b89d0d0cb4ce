/** The real standalone sandbox (`node bin/drctl.js sandbox`) as a child process, for interop tests. */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

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

export const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

export interface Standalone {
  url: string;
  port: number;
  /** The sandbox process's id (the benchmark samples its memory). */
  pid: number | undefined;
  stdout(): string;
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts the sandbox on a free port with a scenario and clock speed; resolves on its ready line. */
export async function startStandalone(scenario: string, speed: number): Promise<Standalone> {
  const port = await freePort();
  let out = "";
  let err = "";
  const child: ChildProcess = spawn(
    process.execPath,
    ["bin/drctl.js", "sandbox", "--scenario", scenario, "--port", String(port), "--speed", String(speed)],
    { cwd: ROOT, env: { ...process.env, POWERTOOLS_LOG_LEVEL: "SILENT" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  };
  process.once("exit", kill);
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    out += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    err += chunk;
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no ready line within 30 s")), 30_000);
      child.stdout?.on("data", () => {
        if (out.includes("\n")) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the sandbox exited (${code ?? signal}) before it was ready`));
      });
    });
  } catch (e) {
    kill();
    throw new Error(`${(e as Error).message}\nstdout: ${out}\nstderr: ${err}`);
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid,
    stdout: () => out,
    stderr: () => err,
    async stop() {
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
