import { backupFor } from "../shared/aws/backup.js";
import { now } from "../shared/clock.js";
import { STEP_ENV } from "../shared/env.js";
import { stepHandler } from "../shared/middleware.js";
import { runConfig } from "../shared/step-deps.js";
import { START_CONCURRENCY, StartRestoresEvent, startRestores } from "./startRestores.js";

export const handler = stepHandler({
  step: "startRestores",
  event: StartRestoresEvent,
  env: STEP_ENV.startRestores,
  run: async (event, env) => {
    const { store, config } = await runConfig(env, event.run);
    return startRestores(event, {
      store,
      now,
      backup: backupFor(config.regions.recovery),
      roleArn: env.RESTORE_ROLE_ARN,
      concurrency: START_CONCURRENCY,
    });
  },
});
