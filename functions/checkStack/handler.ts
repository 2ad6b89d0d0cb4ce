import * as z from "zod";
import { cloudFormationFor } from "../shared/aws/cloudformation.js";
import { now } from "../shared/clock.js";
import { STEP_ENV } from "../shared/env.js";
import { stepHandler } from "../shared/middleware.js";
import { runConfig } from "../shared/step-deps.js";
import { RunContext, StackState } from "../shared/types.js";
import { checkStack } from "./checkStack.js";

export const handler = stepHandler({
  step: "checkStack",
  event: z.object({ run: RunContext, stack: StackState }),
  env: STEP_ENV.checkStack,
  run: async ({ run, stack }, env) => {
    const { config } = await runConfig(env, run);
    return checkStack(run, stack, {
      cfn: cloudFormationFor(config.regions.recovery),
      now,
    });
  },
});
