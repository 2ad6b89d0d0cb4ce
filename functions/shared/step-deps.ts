/**
 * What most handlers build first: the artifacts store (orchestrator region) and the app's config,
 * whose regions are where the clients act (docs/design.md, "Writing a step"). Handlers stay wiring
 * only; the step logic receives these.
 */

import * as z from "zod";
import { ArtifactStore, loadConfig, runKeys } from "./artifacts.js";
import { s3For } from "./aws/s3.js";
import type { AppConfig } from "./config.js";
import type { BaseEnv } from "./env.js";
import { artifactsPrefixFor } from "./naming.js";

/** The artifacts bucket in the orchestrator's own region. */
export function artifactStore(env: Pick<BaseEnv, "AWS_REGION" | "ARTIFACTS_BUCKET">): ArtifactStore {
  return new ArtifactStore(s3For(env.AWS_REGION), env.ARTIFACTS_BUCKET);
}

/** The store and the run's app configuration (config/<app>.json). */
export async function runConfig(
  env: Pick<BaseEnv, "AWS_REGION" | "ARTIFACTS_BUCKET">,
  run: { app: string },
): Promise<{ store: ArtifactStore; config: AppConfig }> {
  const store = artifactStore(env);
  return { store, config: await loadConfig(store, run.app) };
}

const ReportOutcome = z.object({ outcome: z.string() });

/** The outcome (SUCCEEDED / FAILED) in a run's report, undefined when it has none. */
export function reportOutcomes(store: ArtifactStore): (runName: string) => Promise<string | undefined> {
  return async (name) =>
    (await store.findJson(runKeys(artifactsPrefixFor(name)).report, ReportOutcome))?.outcome;
}
