import * as apis from "../shared/apis.js";
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
      sfn: apis.sfn(env.AWS_REGION),
      ssm: apis.ssm(env.AWS_REGION),
    }),
});
