import { sfnFor } from "../shared/aws/sfn.js";
import { ssmFor } from "../shared/aws/ssm.js";
import { STEP_ENV } from "../shared/env.js";
import { stepHandler } from "../shared/middleware.js";
import { AftermathEvent, aftermath } from "./aftermath.js";

export const handler = stepHandler({
  step: "aftermath",
  event: AftermathEvent,
  env: STEP_ENV.aftermath,
  run: async (event, env) => {
    const region = env.AWS_REGION; // the lock and the executions are the orchestrator's own
    return aftermath(event, { executions: sfnFor(region), ssm: ssmFor(region), defaultApp: env.DEFAULT_APP });
  },
});
