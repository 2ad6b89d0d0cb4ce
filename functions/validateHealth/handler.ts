import { cloudFormationFor } from "../shared/aws/cloudformation.js";
import { STEP_ENV } from "../shared/env.js";
import { stepHandler } from "../shared/middleware.js";
import { artifactStore } from "../shared/step-deps.js";
import { probeVia } from "./probe-via.js";
import { fetchProbe, type HttpProbe, ValidateHealthEvent, validateHealth } from "./validateHealth.js";

/**
 * Locally (DRCTL_LOCAL) the load balancer's DNS name does not resolve: the sandbox endpoint the
 * SDK clients use (AWS_ENDPOINT_URL) answers for it, given the name as Host header.
 */
function probeFor(local: boolean): HttpProbe {
  const endpoint = process.env.AWS_ENDPOINT_URL;
  return local && endpoint ? probeVia(endpoint) : fetchProbe;
}

export const handler = stepHandler({
  step: "validateHealth",
  event: ValidateHealthEvent,
  env: STEP_ENV.validateHealth,
  run: (event, env) =>
    validateHealth(event, {
      store: artifactStore(env),
      cloudformation: cloudFormationFor(env.AWS_REGION),
      probe: probeFor(env.DRCTL_LOCAL === "true"),
    }),
});
