import { cloudFormationFor } from "../shared/aws/cloudformation.js";
import { dynamoDbFor } from "../shared/aws/dynamodb.js";
import { ec2For } from "../shared/aws/ec2.js";
import { efsFor } from "../shared/aws/efs.js";
import { rdsFor } from "../shared/aws/rds.js";
import { ssmFor } from "../shared/aws/ssm.js";
import { now } from "../shared/clock.js";
import { STEP_ENV } from "../shared/env.js";
import { stepHandler } from "../shared/middleware.js";
import { runConfig } from "../shared/step-deps.js";
import { IntegrateEvent, integrate } from "./integrate.js";

export const handler = stepHandler({
  step: "integrate",
  event: IntegrateEvent,
  env: STEP_ENV.integrate,
  run: async (event, env) => {
    const { store, config } = await runConfig(env, event.run);
    const region = config.regions.recovery;
    return integrate(event, {
      config,
      store,
      now,
      cloudformation: cloudFormationFor(region),
      ec2: ec2For(region),
      rds: rdsFor(region),
      efs: efsFor(region),
      dynamodb: dynamoDbFor(region),
      ssm: ssmFor(region),
    });
  },
});
