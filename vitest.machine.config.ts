import { defineConfig } from "vitest/config";
import { sharedTest } from "./vitest.shared.js";

/**
 * `npm run test:machine`: whole scenarios played through the real state machine definition,
 * the real handlers and the sandbox (tests/machine/), each a drill or failover of its own.
 */
export default defineConfig({
  test: {
    ...sharedTest,
    include: ["tests/machine/**/*.test.ts"],
  },
});
