import * as z from "zod";
import { backupFor } from "../shared/aws/backup.js";
import { now } from "../shared/clock.js";
import { STEP_ENV } from "../shared/env.js";
import { stepHandler } from "../shared/middleware.js";
import { runConfig } from "../shared/step-deps.js";
import { RestoreProgress, RunContext } from "../shared/types.js";
import { pollRestores } from "./pollRestores.js";

export const handler = stepHandler({
  step: "pollRestores",
  event: z.object({ run: RunContext, restores: RestoreProgress }),
  env: STEP_ENV.pollRestores,
  run: async ({ run, restores }, env) => {
    const { store, config } = await runConfig(env, run);
    return pollRestores(run, config, restores, {
      backup: backupFor(config.regions.recovery),
      store,
      roleArn: env.RESTORE_ROLE_ARN,
      now,
    });
  },
});
