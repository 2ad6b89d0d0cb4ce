import { cloudFormationFor } from "../shared/aws/cloudformation.js";
import { route53Global } from "../shared/aws/route53.js";
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
      cloudformation: cloudFormationFor(env.AWS_REGION),
      route53: route53Global(),
    }),
});
