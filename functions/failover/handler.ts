import { cloudFormationFor } from "../shared/aws/cloudformation.js";
import { route53Global } from "../shared/aws/route53.js";
import { now } from "../shared/clock.js";
import { STEP_ENV } from "../shared/env.js";
import { stepHandler } from "../shared/middleware.js";
import { runConfig } from "../shared/step-deps.js";
import { FailoverEvent, failover } from "./failover.js";

export const handler = stepHandler({
  step: "failover",
  event: FailoverEvent,
  env: STEP_ENV.failover,
  run: async (event, env) => {
    const { store, config } = await runConfig(env, event.run);
    return failover(event, {
      config,
      store,
      now,
      cloudformation: cloudFormationFor(config.regions.recovery),
      route53: route53Global(), // Route 53 is global
    });
  },
});
