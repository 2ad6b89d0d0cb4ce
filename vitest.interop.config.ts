import { defineConfig } from "vitest/config";

/** Interop tests: real AWS tools (the `aws` CLI) against the sandbox server. `npm run test:interop`. */
export default defineConfig({
  test: {
    include: ["tests/interop/**/*.test.ts"],
    setupFiles: ["tests/setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: "forks",
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      POWERTOOLS_LOG_LEVEL: "SILENT",
    },
  },
});
