import { dynamoDbFor } from "../shared/aws/dynamodb.js";
import { ec2For } from "../shared/aws/ec2.js";
import { efsFor } from "../shared/aws/efs.js";
import { rdsFor } from "../shared/aws/rds.js";
import { ssmFor } from "../shared/aws/ssm.js";
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
      rds: rdsFor(env.AWS_REGION),
      ec2: ec2For(env.AWS_REGION),
      efs: efsFor(env.AWS_REGION),
      dynamodb: dynamoDbFor(env.AWS_REGION),
      ssm: ssmFor(env.AWS_REGION),
    }),
});
