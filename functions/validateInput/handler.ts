import { sfnFor } from "../shared/aws/sfn.js";
import { ssmFor } from "../shared/aws/ssm.js";
import { STEP_ENV } from "../shared/env.js";
import { stepHandler } from "../shared/middleware.js";
import { artifactStore } from "../shared/step-deps.js";
import { ValidateInputEvent } from "../shared/types.js";
import { validateInput } from "./validateInput.js";

export const handler = stepHandler({
  step: "validateInput",
  event: ValidateInputEvent,
  env: STEP_ENV.validateInput,
  run: (event, env) =>
    validateInput(event, {
      store: artifactStore(env),
      ssm: ssmFor(env.AWS_REGION),
      sfn: sfnFor(env.AWS_REGION),
      defaultApp: env.DEFAULT_APP,
      local: env.DRCTL_LOCAL === "true",
    }),
});
