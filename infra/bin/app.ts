#!/usr/bin/env node
/** CDK entry point (cdk.json: `npx tsx infra/bin/app.ts`). */
import { App } from "aws-cdk-lib";
import { buildDrctlApp } from "../app.js";
import { ConfigError } from "../config.js";

const app = new App();
try {
  buildDrctlApp(app);
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`drctl: ${err.message}`);
    process.exit(1);
  }
  throw err;
}
app.synth();
