import { cloudFormationFor } from "../shared/aws/cloudformation.js";
import { STEP_ENV } from "../shared/env.js";
import { stepHandler } from "../shared/middleware.js";
import { artifactStore } from "../shared/step-deps.js";
import { ValidateHealthEvent, validateHealth } from "./validateHealth.js";

export const handler = stepHandler({
  step: "validateHealth",
  event: ValidateHealthEvent,
  env: STEP_ENV.validateHealth,
  run: (event, env) =>
    validateHealth(event, {
      store: artifactStore(env),
      cloudformation: cloudFormationFor(env.AWS_REGION),
    }),
});
