/**
 * The run's documents in the artifacts bucket: config, plan, jobs, integration, cleanup, report.
 * States pass only the keys; the documents hold the per-resource lists.
 *
 * What a store keeps between invocations (the handlers' store is one per Lambda container, see
 * artifactStore in ./step-deps.ts; a warm container keeps its module scope, a cold start has
 * nothing kept and reads again):
 * - write-once documents (WRITE_ONCE: the plan, written once by PlanRestores under the run's own
 *   prefix, which names the execution): the parsed document per key, never re-read;
 * - the app's configuration per run (loadConfig with the run): for CONFIG_TTL_SECONDS of the
 *   steps' clock, so a warm container does not GET config/<app>.json on every tick, and a config
 *   redeployed during a run (e.g. fixed before a redrive) reaches every container within that time.
 * The run's progress documents (jobs, integration, cleanup) change during the run and are read on
 * every call.
 */
import type { z } from "zod";
import type { S3Api } from "./aws/s3.js";
import { now as clockNow } from "./clock.js";
import { AppConfig, configKey, describeIssues } from "./config.js";
import { ConfigInvalid, NotFound } from "./errors.js";
import { PlanDocument } from "./types.js";

/** Schemas of documents written once per key: read once per store. */
const WRITE_ONCE: ReadonlySet<z.ZodType> = new Set<z.ZodType>([PlanDocument]);

/** How long a store keeps a run's configuration (seconds of the steps' clock). */
export const CONFIG_TTL_SECONDS = 600;

export class ArtifactStore {
  private readonly kept = new Map<string, unknown>();
  private readonly configs = new Map<string, { config: AppConfig; readAt: number }>();

  constructor(
    readonly s3: S3Api,
    readonly bucket: string,
  ) {}

  async getJson<S extends z.ZodType>(key: string, schema: S): Promise<z.infer<S>> {
    const read = await this.read(key, schema);
    if (read === undefined) throw new NotFound(`s3://${this.bucket}/${key} does not exist`);
    if (!read.success) throw new ConfigInvalid(`s3://${this.bucket}/${key}: ${describeIssues(read.error)}`);
    return read.data;
  }

  async findJson<S extends z.ZodType>(key: string, schema: S): Promise<z.infer<S> | undefined> {
    const read = await this.read(key, schema);
    if (read !== undefined && !read.success) throw read.error;
    return read?.data;
  }

  /** The parsed document (kept when write-once); undefined when there is none. */
  private async read<S extends z.ZodType>(
    key: string,
    schema: S,
  ): Promise<z.ZodSafeParseResult<z.infer<S>> | undefined> {
    const writeOnce = WRITE_ONCE.has(schema);
    if (writeOnce && this.kept.has(key)) return { success: true, data: this.kept.get(key) as z.infer<S> };
    const text = await this.s3.getText(this.bucket, key);
    if (text === undefined) return undefined;
    const parsed = schema.safeParse(JSON.parse(text));
    if (writeOnce && parsed.success) this.kept.set(key, parsed.data);
    return parsed;
  }

  async putJson(key: string, value: unknown): Promise<void> {
    this.kept.delete(key);
    await this.s3.putText(this.bucket, key, `${JSON.stringify(value, null, 2)}\n`, "application/json");
  }

  async putText(key: string, body: string, contentType: string): Promise<void> {
    this.kept.delete(key);
    await this.s3.putText(this.bucket, key, body, contentType);
  }

  /** The configuration kept for `run`, if read less than CONFIG_TTL_SECONDS ago. */
  keptConfig(run: string, at: Date): AppConfig | undefined {
    const entry = this.configs.get(run);
    return entry && at.getTime() - entry.readAt < CONFIG_TTL_SECONDS * 1000 ? entry.config : undefined;
  }

  keepConfig(run: string, config: AppConfig, at: Date): void {
    this.configs.set(run, { config, readAt: at.getTime() });
  }
}

/** The run a configuration is loaded for: its app, and its name (unique per execution). */
export interface ConfigOwner {
  app: string;
  name: string;
}

/**
 * Loads and validates `config/<app>.json`. Given the run (not only the app name), a store keeps
 * it for that run for CONFIG_TTL_SECONDS (see the file's comment): one GET per container and
 * run instead of one per invocation.
 */
export async function loadConfig(store: ArtifactStore, owner: string | ConfigOwner): Promise<AppConfig> {
  if (typeof owner === "string") return readConfig(store, owner);
  const at = clockNow();
  const kept = store.keptConfig(owner.name, at);
  if (kept) return kept;
  const config = await readConfig(store, owner.app);
  store.keepConfig(owner.name, config, at);
  return config;
}

async function readConfig(store: ArtifactStore, app: string): Promise<AppConfig> {
  const text = await store.s3.getText(store.bucket, configKey(app));
  if (text === undefined) {
    throw new ConfigInvalid(`no configuration for app '${app}' at s3://${store.bucket}/${configKey(app)}`);
  }
  const raw: unknown = JSON.parse(text);
  const parsed = AppConfig.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigInvalid(`config/${app}.json: ${describeIssues(parsed.error, raw)}`);
  }
  return parsed.data;
}

/** Keys of a run's documents. */
export const runKeys = (artifactsPrefix: string) => ({
  plan: `${artifactsPrefix}plan.json`,
  jobs: `${artifactsPrefix}jobs.json`,
  integration: `${artifactsPrefix}integration.json`,
  cleanup: `${artifactsPrefix}cleanup.json`,
  report: `${artifactsPrefix}report.json`,
  markdown: `${artifactsPrefix}report.md`,
  html: `${artifactsPrefix}report.html`,
});
