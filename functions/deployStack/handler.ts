import { z } from "zod";
import { apis } from "../shared/apis.js";
import { STEP_ENV } from "../shared/env.js";
import { stepHandler } from "../shared/middleware.js";
import { runConfig } from "../shared/step-deps.js";
import { RunContext } from "../shared/types.js";
import { deployStack } from "./deployStack.js";

export const handler = stepHandler({
  step: "deployStack",
  event: z.object({ run: RunContext }),
  env: STEP_ENV.deployStack,
  run: async ({ run }, env) => {
    const { config } = await runConfig(env, run);
    return deployStack(run, config, {
      cfn: apis.cloudformation(config.regions.recovery),
      now: () => new Date(),
    });
  },
});
