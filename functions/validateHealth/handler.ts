import * as apis from "../shared/apis.js";
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
      cloudformation: apis.cloudformation(env.AWS_REGION),
    }),
});
