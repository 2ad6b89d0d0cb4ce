import { cloudFormationFor } from "../shared/aws/cloudformation.js";
import { now } from "../shared/clock.js";
import { STEP_ENV } from "../shared/env.js";
import { stepHandler } from "../shared/middleware.js";
import { runConfig } from "../shared/step-deps.js";
import { probeVia } from "./probe-via.js";
import { fetchProbe, HEALTH_TIMEOUT_MS, ValidateHealthEvent, validateHealth } from "./validateHealth.js";

export const handler = stepHandler({
  step: "validateHealth",
  event: ValidateHealthEvent,
  env: STEP_ENV.validateHealth,
  run: async (event, env) => {
    const { config } = await runConfig(env, event.run);
    // Locally the load balancer's DNS name does not resolve: the sandbox endpoint the SDK clients
    // use (AWS_ENDPOINT_URL) answers for it, given the name as Host header.
    const endpoint = process.env.AWS_ENDPOINT_URL;
    return validateHealth(event, {
      config,
      now,
      cloudformation: cloudFormationFor(config.regions.recovery),
      probe: env.DRCTL_LOCAL === "true" && endpoint ? probeVia(endpoint) : fetchProbe,
      timeoutMs: HEALTH_TIMEOUT_MS,
    });
  },
});
