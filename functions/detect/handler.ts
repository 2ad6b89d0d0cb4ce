import * as z from "zod";
import { cloudWatchFor } from "../shared/aws/cloudwatch.js";
import { ec2For } from "../shared/aws/ec2.js";
import { STEP_ENV } from "../shared/env.js";
import { stepHandler } from "../shared/middleware.js";
import { runConfig } from "../shared/step-deps.js";
import { RunContext } from "../shared/types.js";
import { detect } from "./detect.js";

export const handler = stepHandler({
  step: "detect",
  event: z.object({ run: RunContext }),
  env: STEP_ENV.detect,
  run: async ({ run }, env) => {
    const { config } = await runConfig(env, run);
    const primary = config.regions.primary;
    return detect(run, config, { ec2: ec2For(primary), cloudwatch: cloudWatchFor(primary) });
  },
});
