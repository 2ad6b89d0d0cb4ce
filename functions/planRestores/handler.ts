import * as z from "zod";
import * as apis from "../shared/apis.js";
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
      backup: apis.backup(region),
      ec2: apis.ec2(region),
      store,
      now,
    });
  },
});
