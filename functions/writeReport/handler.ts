import { sfnFor } from "../shared/aws/sfn.js";
import { ssmFor } from "../shared/aws/ssm.js";
import { STEP_ENV } from "../shared/env.js";
import { stepHandler } from "../shared/middleware.js";
import { artifactStore } from "../shared/step-deps.js";
import { WriteReportEvent, writeReport } from "./writeReport.js";

export const handler = stepHandler({
  step: "writeReport",
  event: WriteReportEvent,
  env: STEP_ENV.writeReport,
  run: (event, env) =>
    writeReport(event, {
      store: artifactStore(env),
      sfn: sfnFor(env.AWS_REGION),
      ssm: ssmFor(env.AWS_REGION),
    }),
});
