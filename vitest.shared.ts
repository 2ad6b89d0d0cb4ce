/** Settings every vitest configuration of the project shares (vitest.config.ts, vitest.machine.config.ts). */
import { availableParallelism } from "node:os";

export const sharedTest = {
  setupFiles: ["tests/setup.ts"],
  testTimeout: 60_000,
  hookTimeout: 60_000,
  pool: "forks" as const,
  // One fork per core: vitest's default leaves a core idle, which on a 2-core machine is half of it
  // (npm test: 117 s with the default, 77 s with 2 forks, measured on 2 cores).
  maxWorkers: availableParallelism(),
  env: {
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_REGION: "us-west-2",
    POWERTOOLS_LOG_LEVEL: "SILENT",
  },
};
