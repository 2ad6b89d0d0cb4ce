import { sfnFor } from "../shared/aws/sfn.js";
import { ssmFor } from "../shared/aws/ssm.js";
import { STEP_ENV } from "../shared/env.js";
import { stepHandler } from "../shared/middleware.js";
import { artifactStore } from "../shared/step-deps.js";
import { ValidateInputEvent, validateInput } from "./validateInput.js";

export const handler = stepHandler({
  step: "validateInput",
  event: ValidateInputEvent,
  env: STEP_ENV.validateInput,
  run: async (event, env) => {
    const region = env.AWS_REGION; // the lock and the executions are the orchestrator's own
    return validateInput(event, {
      store: artifactStore(env),
      ssm: ssmFor(region),
      sfn: sfnFor(region),
      defaultApp: env.DEFAULT_APP,
      local: env.DRCTL_LOCAL === "true",
    });
  },
});
