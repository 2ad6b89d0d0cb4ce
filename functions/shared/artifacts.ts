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
 * every call (but see getJsonAt); saveMerged writes them merged with the version the store saw,
 * on condition that S3 still holds that version (a conditional PutObject), so a save needs no read
 * of its own.
 */
import type { z } from "zod";
import type { S3Api, WriteCondition } from "./aws/s3.js";
import { now as clockNow } from "./clock.js";
import { AppConfig, configKey, describeIssues } from "./config.js";
import { ConfigInvalid, NotFound } from "./errors.js";
import { PlanDocument } from "./types.js";

const JSON_TYPE = "application/json";
const documentText = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** Schemas of documents written once per key: read once per store. */
const WRITE_ONCE: ReadonlySet<z.ZodType> = new Set<z.ZodType>([PlanDocument]);

/** How long a store keeps a run's configuration (seconds of the steps' clock). */
export const CONFIG_TTL_SECONDS = 600;

export class ArtifactStore {
  private readonly kept = new Map<string, unknown>();
  /** Per key, the version this store last read or wrote (etag undefined and no value: there was none). */
  private readonly seen = new Map<string, { etag: string | undefined; value: unknown }>();
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

  /**
   * `key` at `version` (an ETag a step returned with its result, see seenVersion): the parsed
   * document this store last read or wrote when that is the version, without a GET; else read.
   * A step's own earlier write is thus not read back, while a version written elsewhere since
   * (another container, a rerun) is.
   */
  async getJsonAt<S extends z.ZodType>(
    key: string,
    schema: S,
    version: string | undefined,
  ): Promise<z.infer<S>> {
    return this.keptAt(key, schema, version) ?? this.getJson(key, schema);
  }

  /** findJson at `version`, as getJsonAt. */
  async findJsonAt<S extends z.ZodType>(
    key: string,
    schema: S,
    version: string | undefined,
  ): Promise<z.infer<S> | undefined> {
    return this.keptAt(key, schema, version) ?? this.findJson(key, schema);
  }

  private keptAt<S extends z.ZodType>(
    key: string,
    schema: S,
    version: string | undefined,
  ): z.infer<S> | undefined {
    const last = this.seen.get(key);
    if (version === undefined || last?.etag !== version) return undefined;
    const kept = schema.safeParse(last.value);
    return kept.success ? kept.data : undefined;
  }

  /**
   * Keeps `value` as this store's view of the version of `key` it last saw, without writing it:
   * only for a change of advisory fields, whose loss (another container, a cold start reads S3)
   * costs nothing but an earlier look. The next saveMerged merges with it as with a read.
   */
  keepUnwritten(key: string, value: unknown): void {
    const last = this.seen.get(key);
    if (last?.etag !== undefined) this.seen.set(key, { etag: last.etag, value });
  }

  /** The ETag of the version of `key` this store last read or wrote (undefined: none known). */
  seenVersion(key: string): string | undefined {
    return this.seen.get(key)?.etag;
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
    const stored = await this.s3.getObject(this.bucket, key);
    if (stored === undefined) {
      this.seen.set(key, { etag: undefined, value: undefined });
      return undefined;
    }
    const parsed = schema.safeParse(JSON.parse(stored.text));
    if (writeOnce && parsed.success) this.kept.set(key, parsed.data);
    if (parsed.success) this.seen.set(key, { etag: stored.etag, value: parsed.data });
    else this.seen.delete(key);
    return parsed;
  }

  /**
   * Writes `merge(stored)`, where stored is the document at `key` now. When this store last saw
   * the document (read or wrote it), it merges with that version and writes on condition that S3
   * still holds it (If-Match its ETag, or If-None-Match: * when there was none): no read. When
   * the condition fails (another writer came in between) or the store has not seen the document,
   * it reads the document and writes the merge. Returns what was written.
   */
  async saveMerged<S extends z.ZodType>(
    key: string,
    schema: S,
    merge: (stored: z.infer<S> | undefined) => z.infer<S>,
  ): Promise<z.infer<S>> {
    const last = this.seen.get(key);
    const lastValue = last?.value === undefined ? undefined : schema.safeParse(last.value);
    if (last && (last.etag !== undefined || last.value === undefined) && lastValue?.success !== false) {
      const value = merge(lastValue?.data);
      const condition: WriteCondition =
        last.etag === undefined ? { ifNoneMatch: "*" } : { ifMatch: last.etag };
      const written = await this.s3.putTextIf(this.bucket, key, documentText(value), JSON_TYPE, condition);
      if (written) {
        this.seen.set(key, { etag: written.etag, value });
        return value;
      }
    }
    const value = merge(await this.findJson(key, schema));
    await this.putJson(key, value);
    return value;
  }

  async putJson(key: string, value: unknown): Promise<void> {
    this.forget(key);
    await this.s3.putText(this.bucket, key, documentText(value), JSON_TYPE);
  }

  async putText(key: string, body: string, contentType: string): Promise<void> {
    this.forget(key);
    await this.s3.putText(this.bucket, key, body, contentType);
  }

  private forget(key: string): void {
    this.kept.delete(key);
    this.seen.delete(key);
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
