/** Builds the drctl CDK app for tests: example config, cdk.json context, bundling skipped unless asked. */
import { readFileSync } from "node:fs";
import { App } from "aws-cdk-lib";
import type { AppConfig } from "../../functions/shared/config.js";
import { buildDrctlApp, type DrctlStacks } from "../../infra/app.js";
import { loadAppConfig } from "../../infra/config.js";

const root = new URL("../../", import.meta.url).pathname;

export const exampleConfig = (): AppConfig => loadAppConfig(`${root}drctl.config.example.json`);

export function synthApp(
  opts: { bundle?: boolean; context?: Record<string, unknown>; config?: AppConfig } = {},
): { app: App; stacks: DrctlStacks } {
  const cdkJson = JSON.parse(readFileSync(`${root}cdk.json`, "utf8")) as { context: Record<string, unknown> };
  const context: Record<string, unknown> = { ...cdkJson.context, ...opts.context };
  // No stack needs bundling: NodejsFunction keeps the entry checks but skips esbuild.
  if (!opts.bundle) context["aws:cdk:bundling-stacks"] = [];
  const app = new App({ context });
  const stacks = buildDrctlApp(app, opts.config ?? exampleConfig());
  return { app, stacks };
}
