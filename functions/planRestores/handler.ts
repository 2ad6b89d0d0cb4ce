import * as z from "zod";
import { backupFor } from "../shared/aws/backup.js";
import { copyTagsFor } from "../shared/aws/copy-tags.js";
import { ec2For } from "../shared/aws/ec2.js";
import { now } from "../shared/clock.js";
import { STEP_ENV } from "../shared/env.js";
import { stepHandler } from "../shared/middleware.js";
import { runConfig } from "../shared/step-deps.js";
import { RunContext } from "../shared/types.js";
import { planRestores } from "./planRestores.js";

export const handler = stepHandler({
  step: "planRestores",
  event: z.object({ run: RunContext }),
  env: STEP_ENV.planRestores,
  run: async ({ run }, env) => {
    const { store, config } = await runConfig(env, run);
    const region = config.regions.recovery;
    return planRestores(run, config, {
      backup: backupFor(region),
      ec2: ec2For(region),
      copyTags: copyTagsFor(region),
      store,
      now,
    });
  },
});
