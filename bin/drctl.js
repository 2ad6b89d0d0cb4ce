#!/usr/bin/env node
// drctl launcher: runs scripts/drctl.ts through tsx's in-process ESM loader (no build step).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const { register } = await import("tsx/esm/api");
register();
await import("../scripts/polyfills.ts");
const { main } = await import("../scripts/drctl.ts");
process.exit(await main(process.argv.slice(2)));
