import { cloudFormationFor } from "../shared/aws/cloudformation.js";
import { now } from "../shared/clock.js";
import { STEP_ENV } from "../shared/env.js";
import { stepHandler } from "../shared/middleware.js";
import { runConfig } from "../shared/step-deps.js";
import { CheckStackEvent, checkStack } from "./checkStack.js";

export const handler = stepHandler({
  step: "checkStack",
  event: CheckStackEvent,
  env: STEP_ENV.checkStack,
  run: async (event, env) => {
    const { config } = await runConfig(env, event.run);
    return checkStack(event, { cfn: cloudFormationFor(config.regions.recovery), now });
  },
});
