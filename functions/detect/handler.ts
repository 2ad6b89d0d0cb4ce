import { cloudWatchFor } from "../shared/aws/cloudwatch.js";
import { ec2For } from "../shared/aws/ec2.js";
import { STEP_ENV } from "../shared/env.js";
import { stepHandler } from "../shared/middleware.js";
import { runConfig } from "../shared/step-deps.js";
import { DetectEvent, detect, PRIMARY_HEALTH_TIMEOUT_MS } from "./detect.js";

export const handler = stepHandler({
  step: "detect",
  event: DetectEvent,
  env: STEP_ENV.detect,
  run: async (event, env) => {
    const { config } = await runConfig(env, event.run);
    const primary = config.regions.primary; // Detect looks at the primary region, nothing else does
    return detect(event, {
      config,
      ec2: ec2For(primary),
      cloudwatch: cloudWatchFor(primary),
      fetch,
      healthTimeoutMs: PRIMARY_HEALTH_TIMEOUT_MS,
    });
  },
});
