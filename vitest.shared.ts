/** Settings every vitest configuration of the project shares (vitest.config.ts, vitest.machine.config.ts). */
export const sharedTest = {
  setupFiles: ["tests/setup.ts"],
  testTimeout: 60_000,
  hookTimeout: 60_000,
  pool: "forks" as const,
  env: {
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_REGION: "us-west-2",
    POWERTOOLS_LOG_LEVEL: "SILENT",
  },
};
