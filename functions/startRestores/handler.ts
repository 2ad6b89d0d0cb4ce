import * as z from "zod";
import { backupFor } from "../shared/aws/backup.js";
import { now } from "../shared/clock.js";
import { STEP_ENV } from "../shared/env.js";
import { stepHandler } from "../shared/middleware.js";
import { runConfig } from "../shared/step-deps.js";
import { PlanSummary, RunContext } from "../shared/types.js";
import { startRestores } from "./startRestores.js";

export const handler = stepHandler({
  step: "startRestores",
  event: z.object({ run: RunContext, plan: PlanSummary }),
  env: STEP_ENV.startRestores,
  run: async ({ run, plan }, env) => {
    const { store, config } = await runConfig(env, run);
    return startRestores(run, plan, {
      backup: backupFor(config.regions.recovery),
      store,
      roleArn: env.RESTORE_ROLE_ARN,
      now,
    });
  },
});
