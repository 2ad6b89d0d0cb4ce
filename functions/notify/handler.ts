import { sfnFor } from "../shared/aws/sfn.js";
import { snsFor } from "../shared/aws/sns.js";
import { ssmFor } from "../shared/aws/ssm.js";
import { now } from "../shared/clock.js";
import { STEP_ENV } from "../shared/env.js";
import { stepHandler } from "../shared/middleware.js";
import { artifactStore } from "../shared/step-deps.js";
import { NotifyEvent, notify } from "./notify.js";

export const handler = stepHandler({
  step: "notify",
  event: NotifyEvent,
  env: STEP_ENV.notify,
  run: async (event, env) => {
    const region = env.AWS_REGION; // the topic, OpsCenter and the executions are the orchestrator's own
    return notify(event, {
      store: artifactStore(env),
      now,
      sns: snsFor(region),
      ssm: ssmFor(region),
      sfn: sfnFor(region),
      topicArn: env.SNS_TOPIC_ARN,
    });
  },
});
