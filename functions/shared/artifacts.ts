/**
 * The run's documents in the artifacts bucket: config, plan, jobs, integration, cleanup, report.
 * States pass only the keys; the documents hold the per-resource lists.
 */
import type { z } from "zod";
import type { S3Api } from "./aws/s3.js";
import { AppConfig, configKey, describeIssues } from "./config.js";
import { ConfigInvalid, NotFound } from "./errors.js";

export class ArtifactStore {
  constructor(
    readonly s3: S3Api,
    readonly bucket: string,
  ) {}

  async getJson<S extends z.ZodType>(key: string, schema: S): Promise<z.infer<S>> {
    const text = await this.s3.getText(this.bucket, key);
    if (text === undefined) throw new NotFound(`s3://${this.bucket}/${key} does not exist`);
    const parsed = schema.safeParse(JSON.parse(text));
    if (!parsed.success) {
      throw new ConfigInvalid(`s3://${this.bucket}/${key}: ${describeIssues(parsed.error)}`);
    }
    return parsed.data;
  }

  async findJson<S extends z.ZodType>(key: string, schema: S): Promise<z.infer<S> | undefined> {
    const text = await this.s3.getText(this.bucket, key);
    return text === undefined ? undefined : schema.parse(JSON.parse(text));
  }

  async putJson(key: string, value: unknown): Promise<void> {
    await this.s3.putText(this.bucket, key, `${JSON.stringify(value, null, 2)}\n`, "application/json");
  }

  async putText(key: string, body: string, contentType: string): Promise<void> {
    await this.s3.putText(this.bucket, key, body, contentType);
  }
}

/**
 * Loads and validates `config/<app>.json`. Not cached across invocations: one GET per step is
 * cheap, and a redeployed config takes effect on the next step without a cold start.
 */
export async function loadConfig(store: ArtifactStore, app: string): Promise<AppConfig> {
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
