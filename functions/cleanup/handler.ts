import * as apis from "../shared/apis.js";
import { STEP_ENV } from "../shared/env.js";
import { stepHandler } from "../shared/middleware.js";
import { artifactStore } from "../shared/step-deps.js";
import { CleanupEvent, cleanup } from "./cleanup.js";

export const handler = stepHandler({
  step: "cleanup",
  event: CleanupEvent,
  env: STEP_ENV.cleanup,
  run: (event, env) =>
    cleanup(event, {
      store: artifactStore(env),
      backup: apis.backup(env.AWS_REGION),
      rds: apis.rds(env.AWS_REGION),
      ec2: apis.ec2(env.AWS_REGION),
      efs: apis.efs(env.AWS_REGION),
      dynamodb: apis.dynamodb(env.AWS_REGION),
      ssm: apis.ssm(env.AWS_REGION),
      cloudformation: apis.cloudformation(env.AWS_REGION),
    }),
});
