import { backupFor } from "../shared/aws/backup.js";
import { copyTagsFor } from "../shared/aws/copy-tags.js";
import { ec2For } from "../shared/aws/ec2.js";
import { now } from "../shared/clock.js";
import { STEP_ENV } from "../shared/env.js";
import { stepHandler } from "../shared/middleware.js";
import { runConfig } from "../shared/step-deps.js";
import { PlanRestoresEvent, planRestores } from "./planRestores.js";

export const handler = stepHandler({
  step: "planRestores",
  event: PlanRestoresEvent,
  env: STEP_ENV.planRestores,
  run: async (event, env) => {
    const { store, config } = await runConfig(env, event.run);
    const region = config.regions.recovery;
    return planRestores(event, {
      config,
      store,
      now,
      backup: backupFor(region),
      ec2: ec2For(region),
      copyTags: copyTagsFor(region),
    });
  },
});
