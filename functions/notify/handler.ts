import { sfnFor } from "../shared/aws/sfn.js";
import { snsFor } from "../shared/aws/sns.js";
import { ssmFor } from "../shared/aws/ssm.js";
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
      sns: snsFor(env.AWS_REGION),
      ssm: ssmFor(env.AWS_REGION),
      sfn: sfnFor(env.AWS_REGION),
      store: artifactStore(env),
      topicArn: env.SNS_TOPIC_ARN,
    }),
});
