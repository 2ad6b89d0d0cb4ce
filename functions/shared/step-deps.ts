/**
 * What most handlers build first: the artifacts store (orchestrator region) and the app's config.
 * Handlers stay wiring only; the step logic receives these.
 */

import { ArtifactStore, type ConfigOwner, loadConfig } from "./artifacts.js";
import { memoClient } from "./aws/clients.js";
import { s3For } from "./aws/s3.js";
import type { AppConfig } from "./config.js";
import type { BaseEnv } from "./env.js";

/**
 * The artifacts bucket in the orchestrator's own region: one store per container (like the SDK
 * clients), so what it keeps between invocations (artifacts.ts) survives while the container is warm.
 */
export function artifactStore(env: Pick<BaseEnv, "AWS_REGION" | "ARTIFACTS_BUCKET">): ArtifactStore {
  return memoClient(
    `artifacts:${env.AWS_REGION}:${env.ARTIFACTS_BUCKET}`,
    () => new ArtifactStore(s3For(env.AWS_REGION), env.ARTIFACTS_BUCKET),
  );
}

/** The store and the run's app configuration (config/<app>.json, kept per run: see loadConfig). */
export async function runConfig(
  env: Pick<BaseEnv, "AWS_REGION" | "ARTIFACTS_BUCKET">,
  run: ConfigOwner,
): Promise<{ store: ArtifactStore; config: AppConfig }> {
  const store = artifactStore(env);
  return { store, config: await loadConfig(store, run) };
}
