import * as apis from "../shared/apis.js";
import { STEP_ENV } from "../shared/env.js";
import { stepHandler } from "../shared/middleware.js";
import { artifactStore } from "../shared/step-deps.js";
import { FailoverEvent, failover } from "./failover.js";

export const handler = stepHandler({
  step: "failover",
  event: FailoverEvent,
  env: STEP_ENV.failover,
  run: (event, env) =>
    failover(event, {
      store: artifactStore(env),
      cloudformation: apis.cloudformation(env.AWS_REGION),
      route53: apis.route53(),
    }),
});
