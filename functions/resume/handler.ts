import { sfnFor } from "../shared/aws/sfn.js";
import { ssmFor } from "../shared/aws/ssm.js";
import { STEP_ENV } from "../shared/env.js";
import { stepHandler } from "../shared/middleware.js";
import { artifactStore } from "../shared/step-deps.js";
import { ResumeEvent, resume } from "./resume.js";

export const handler = stepHandler({
  step: "resume",
  event: ResumeEvent,
  env: STEP_ENV.resume,
  run: async (event, env) => {
    const region = env.AWS_REGION; // the lock and the executions are the orchestrator's own
    return resume(event, { store: artifactStore(env), ssm: ssmFor(region), sfn: sfnFor(region) });
  },
});
