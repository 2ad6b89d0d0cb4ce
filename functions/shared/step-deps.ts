/**
 * What most handlers build first: the artifacts store (orchestrator region) and the app's config,
 * whose regions are where the clients act (docs/design.md, "Writing a step"). Handlers stay wiring
 * only; the step logic receives these.
 */

import * as z from "zod";
import { ArtifactStore, type ConfigOwner, loadConfig, runKeys } from "./artifacts.js";
import { memoClient } from "./aws/clients.js";
import { s3For } from "./aws/s3.js";
import type { AppConfig } from "./config.js";
import type { BaseEnv } from "./env.js";
import { artifactsPrefixFor } from "./naming.js";

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

const ReportOutcome = z.object({ outcome: z.string() });

/** The outcome (SUCCEEDED / FAILED) in a run's report, undefined when it has none. */
export function reportOutcomes(store: ArtifactStore): (runName: string) => Promise<string | undefined> {
  return async (name) =>
    (await store.findJson(runKeys(artifactsPrefixFor(name)).report, ReportOutcome))?.outcome;
}
