import { defineConfig } from "vitest/config";
import { sharedTest } from "./vitest.shared.js";

/**
 * `npm test`: unit and infrastructure tests, the fast default. The whole-scenario runs of the
 * state machine (tests/machine/) are `npm run test:machine` (vitest.machine.config.ts).
 */
export default defineConfig({
  test: {
    ...sharedTest,
    include: ["tests/unit/**/*.test.ts", "tests/infra/**/*.test.ts"],
  },
});
