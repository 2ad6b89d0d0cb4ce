import { cloudFormationFor } from "../shared/aws/cloudformation.js";
import { now } from "../shared/clock.js";
import { STEP_ENV } from "../shared/env.js";
import { stepHandler } from "../shared/middleware.js";
import { reportOutcomes, runConfig } from "../shared/step-deps.js";
import { DeployStackEvent, deployStack } from "./deployStack.js";

export const handler = stepHandler({
  step: "deployStack",
  event: DeployStackEvent,
  env: STEP_ENV.deployStack,
  run: async (event, env) => {
    const { config, store } = await runConfig(env, event.run);
    return deployStack(event, {
      config,
      cfn: cloudFormationFor(config.regions.recovery),
      now,
      outcomeOf: reportOutcomes(store),
    });
  },
});
