import { sfnFor } from "../shared/aws/sfn.js";
import { ssmFor } from "../shared/aws/ssm.js";
import { STEP_ENV } from "../shared/env.js";
import { stepHandler } from "../shared/middleware.js";
import { AftermathEvent, resolveStoppedRun } from "./aftermath.js";

export const handler = stepHandler({
  step: "aftermath",
  event: AftermathEvent,
  env: STEP_ENV.aftermath,
  run: (event, env) =>
    resolveStoppedRun(event, {
      executions: sfnFor(env.AWS_REGION),
      ssm: ssmFor(env.AWS_REGION),
      defaultApp: env.DEFAULT_APP,
    }),
});
