/**
 * What the sandbox takes from the orchestrator stack the CDK app synthesizes: the step roles'
 * resolved policies (policy-source.ts) and the EventBridge rules (events/rules.ts). Building the
 * CDK app costs start-up time and tens of MB of memory (aws-cdk-lib and the app's constructs stay
 * loaded), so the product is kept on disk, as JSON, under a key that hashes everything it is
 * made from: the AppConfig, the physical names, the content of every file under infra/,
 * state-machines/, functions/ and scripts/sandbox/ (the app, the code it imports, the resolver),
 * cdk.json, tsconfig.json, package-lock.json and the installed CDK libraries' versions. Any
 * change to one of them is another key, so a stale entry is never read; a missing, unreadable or
 * malformed entry is rebuilt. A cache hit loads no aws-cdk-lib module at all; a miss synthesizes
 * in a worker thread of this process (its own V8 isolate: aws-cdk-lib and the app are released
 * when it ends), or in this thread if a worker cannot run.
 *
 * DRCTL_SYNTH_CACHE: the cache directory (default: <os tmpdir>/drctl-synth-cache); "off" = no cache.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { AppConfig } from "../../../functions/shared/config.js";
import { FUNCTIONS, type FunctionKey } from "../../../state-machines/names.js";
import type { EventRule } from "../events/rules.js";
import type { PhysicalNames } from "./policy-source.js";
import type { StepRole } from "./principals.js";

export interface Synthesized {
  roles: Record<FunctionKey, StepRole>;
  rules: EventRule[];
}

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
/** Bump when the shape of a cache entry changes. */
const FORMAT = "1";
const SOURCE_DIRS = ["infra", "state-machines", "functions", "scripts/sandbox"];
const SOURCE_FILES = [
  "cdk.json",
  "tsconfig.json",
  "package-lock.json",
  "node_modules/aws-cdk-lib/package.json",
  "node_modules/constructs/package.json",
  "node_modules/cdk-nag/package.json",
];

function filesUnder(dir: string): string[] {
  const entries = readdirSync(join(ROOT, dir), { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  return entries.flatMap((e) => {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) return filesUnder(path);
    return e.isFile() ? [path] : [];
  });
}

/** The cache key of a synthesis for `config` and `names`. */
export function synthesisKey(config: AppConfig, names: PhysicalNames): string {
  const h = createHash("sha256").update(FORMAT);
  const add = (path: string) => {
    h.update(`\0${path}\0`);
    try {
      h.update(readFileSync(join(ROOT, path)));
    } catch {
      h.update("\0absent");
    }
  };
  for (const dir of SOURCE_DIRS) for (const path of filesUnder(dir)) add(path);
  for (const path of SOURCE_FILES) add(path);
  h.update(`\0config\0${JSON.stringify(config)}\0names\0${JSON.stringify(names)}`);
  return h.digest("hex");
}

const isEntry = (value: unknown): value is Synthesized => {
  const v = value as Partial<Synthesized> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    Array.isArray(v.rules) &&
    typeof v.roles === "object" &&
    v.roles !== null &&
    FUNCTIONS.every((fn) => Array.isArray((v.roles as Record<string, StepRole | undefined>)[fn]?.policies))
  );
};

function cacheDir(): string | undefined {
  const dir = process.env.DRCTL_SYNTH_CACHE;
  if (dir === "off") return undefined;
  return dir || join(tmpdir(), "drctl-synth-cache");
}

function readEntry(file: string): Synthesized | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(file, "utf8"));
    return isEntry(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Written to a temporary name, then renamed: a reader never sees half an entry. */
function writeEntry(dir: string, file: string, entry: Synthesized): void {
  try {
    mkdirSync(dir, { recursive: true });
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, JSON.stringify(entry));
    renameSync(partial, file);
  } catch {
    // A cache that cannot be written only costs the next start a synthesis.
  }
}

/** Builds the CDK app in this process (aws-cdk-lib loaded on demand) and resolves roles and rules. */
export async function synthesize(config: AppConfig, names: PhysicalNames): Promise<Synthesized> {
  const { orchestratorStack, stepRolesFrom } = await import("./policy-source.js");
  const { eventRulesFrom } = await import("../events/rules.js");
  const stack = orchestratorStack(config);
  return { roles: stepRolesFrom(stack, names), rules: eventRulesFrom(stack, names) };
}

/** The worker: registers the TypeScript loader (tsx, as bin/drctl.js does), synthesizes, posts JSON. */
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
(async () => {
  const { register } = await import("tsx/esm/api");
  register();
  const { synthesize } = await import(workerData.module);
  parentPort.postMessage({ json: JSON.stringify(await synthesize(workerData.config, workerData.names)) });
})().catch((e) => parentPort.postMessage({ error: String((e && e.stack) || e) }));
`;

/** synthesize() in a worker thread; rejects when the worker cannot load or fails. */
export async function synthesizeInWorker(config: AppConfig, names: PhysicalNames): Promise<Synthesized> {
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { module: import.meta.url, config, names },
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: "SILENT" },
  });
  try {
    const reply = await new Promise<{ json?: string; error?: string }>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`the synthesis worker exited (${code})`)));
    });
    const value: unknown = reply.json === undefined ? undefined : JSON.parse(reply.json);
    if (!isEntry(value)) throw new Error(`the synthesis worker failed: ${reply.error ?? "malformed reply"}`);
    return value;
  } finally {
    await worker.terminate();
  }
}

/** The step roles and event rules for `config` and `names`: from the cache, else synthesized (and cached). */
export async function synthesized(config: AppConfig, names: PhysicalNames): Promise<Synthesized> {
  const dir = cacheDir();
  if (dir === undefined) return synthesize(config, names);
  const file = join(dir, `${synthesisKey(config, names)}.json`);
  const cached = readEntry(file);
  if (cached) return cached;
  const built = await synthesizeInWorker(config, names).catch(() => synthesize(config, names));
  writeEntry(dir, file, built);
  return built;
}
