import { backupFor } from "../shared/aws/backup.js";
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
import { CleanupEvent, cleanup } from "./cleanup.js";

export const handler = stepHandler({
  step: "cleanup",
  event: CleanupEvent,
  env: STEP_ENV.cleanup,
  run: async (event, env) => {
    const { store, config } = await runConfig(env, event.run);
    const region = config.regions.recovery;
    return cleanup(event, {
      config,
      store,
      now,
      backup: backupFor(region),
      rds: rdsFor(region),
      ec2: ec2For(region),
      efs: efsFor(region),
      dynamodb: dynamoDbFor(region),
      ssm: ssmFor(region),
      cloudformation: cloudFormationFor(region),
    });
  },
});
