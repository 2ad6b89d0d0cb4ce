import * as apis from "../shared/apis.js";
import { STEP_ENV } from "../shared/env.js";
import { stepHandler } from "../shared/middleware.js";
import { artifactStore } from "../shared/step-deps.js";
import { NotifyEvent, notify } from "./notify.js";

export const handler = stepHandler({
  step: "notify",
  event: NotifyEvent,
  env: STEP_ENV.notify,
  run: (event, env) =>
    notify(event, {
      sns: apis.sns(env.AWS_REGION),
      ssm: apis.ssm(env.AWS_REGION),
      sfn: apis.sfn(env.AWS_REGION),
      store: artifactStore(env),
      topicArn: env.SNS_TOPIC_ARN,
    }),
});
