/** Running the real AWS CLI against the sandbox, shared by the interop tests. */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `aws --version`, or undefined when the CLI is not installed (the tests then skip). */
export async function cliVersion(): Promise<string | undefined> {
  try {
    const { stdout, stderr } = await run("aws", ["--version"]);
    return (stdout || stderr).trim();
  } catch {
    return undefined;
  }
}

export interface CliOptions {
  /** Endpoint URL of the sandbox. */
  url: string;
  /** Empty folder used as HOME and for the (absent) config and credentials files. */
  workDir: string;
  region: string;
  timeoutMs: number;
  /** AWS_MAX_ATTEMPTS; omit for the CLI's own default. */
  maxAttempts?: number;
}

/** Runs `aws --endpoint-url URL --region R …args` with test credentials and no user config. */
export async function awsCli(o: CliOptions, args: string[]): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: o.workDir,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_DEFAULT_REGION: o.region,
    AWS_CONFIG_FILE: join(o.workDir, "config"),
    AWS_SHARED_CREDENTIALS_FILE: join(o.workDir, "credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_PAGER: "",
  };
  if (o.maxAttempts !== undefined) {
    env.AWS_MAX_ATTEMPTS = String(o.maxAttempts);
    env.AWS_RETRY_MODE = "standard";
  }
  try {
    const out = await run("aws", ["--endpoint-url", o.url, "--region", o.region, ...args], {
      env,
      timeout: o.timeoutMs,
      maxBuffer: 32 * 1024 * 1024,
    });
    return { code: 0, stdout: out.stdout, stderr: out.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof err.code === "number" ? err.code : 1,
      stdout: err.stdout ?? "",
      stderr: err.stderr ?? String(e),
    };
  }
}
