import * as apis from "../shared/apis.js";
import { STEP_ENV } from "../shared/env.js";
import { stepHandler } from "../shared/middleware.js";
import { artifactStore } from "../shared/step-deps.js";
import { IntegrateEvent, integrate } from "./integrate.js";

export const handler = stepHandler({
  step: "integrate",
  event: IntegrateEvent,
  env: STEP_ENV.integrate,
  run: (event, env) =>
    integrate(event, {
      store: artifactStore(env),
      rds: apis.rds(env.AWS_REGION),
      ec2: apis.ec2(env.AWS_REGION),
      efs: apis.efs(env.AWS_REGION),
      dynamodb: apis.dynamodb(env.AWS_REGION),
      ssm: apis.ssm(env.AWS_REGION),
    }),
});
