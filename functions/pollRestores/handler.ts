import { backupFor } from "../shared/aws/backup.js";
import { now } from "../shared/clock.js";
import { STEP_ENV } from "../shared/env.js";
import { stepHandler } from "../shared/middleware.js";
import { runConfig } from "../shared/step-deps.js";
import { PollRestoresEvent, pollRestores } from "./pollRestores.js";

export const handler = stepHandler({
  step: "pollRestores",
  event: PollRestoresEvent,
  env: STEP_ENV.pollRestores,
  run: async (event, env) => {
    const { store, config } = await runConfig(env, event.run);
    return pollRestores(event, {
      config,
      store,
      now,
      backup: backupFor(config.regions.recovery),
      roleArn: env.RESTORE_ROLE_ARN,
    });
  },
});
