import { backupFor } from "../shared/aws/backup.js";
import { cloudFormationFor } from "../shared/aws/cloudformation.js";
import { dynamoDbFor } from "../shared/aws/dynamodb.js";
import { ec2For } from "../shared/aws/ec2.js";
import { efsFor } from "../shared/aws/efs.js";
import { rdsFor } from "../shared/aws/rds.js";
import { ssmFor } from "../shared/aws/ssm.js";
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
      backup: backupFor(env.AWS_REGION),
      rds: rdsFor(env.AWS_REGION),
      ec2: ec2For(env.AWS_REGION),
      efs: efsFor(env.AWS_REGION),
      dynamodb: dynamoDbFor(env.AWS_REGION),
      ssm: ssmFor(env.AWS_REGION),
      cloudformation: cloudFormationFor(env.AWS_REGION),
    }),
});
