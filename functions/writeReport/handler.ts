import { sfnFor } from "../shared/aws/sfn.js";
import { ssmFor } from "../shared/aws/ssm.js";
import { now } from "../shared/clock.js";
import { STEP_ENV } from "../shared/env.js";
import { stepHandler } from "../shared/middleware.js";
import { runConfig } from "../shared/step-deps.js";
import { WriteReportEvent, writeReport } from "./writeReport.js";

export const handler = stepHandler({
  step: "writeReport",
  event: WriteReportEvent,
  env: STEP_ENV.writeReport,
  run: async (event, env) => {
    const { store, config } = await runConfig(env, event.state.run);
    const region = env.AWS_REGION; // the lock and the executions are the orchestrator's own
    return writeReport(event, { config, store, now, sfn: sfnFor(region), ssm: ssmFor(region) });
  },
});
