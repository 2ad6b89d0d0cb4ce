import * as z from "zod";
import { runKeys } from "../shared/artifacts.js";
import { cloudFormationFor } from "../shared/aws/cloudformation.js";
import { now } from "../shared/clock.js";
import { STEP_ENV } from "../shared/env.js";
import { stepHandler } from "../shared/middleware.js";
import { artifactsPrefixFor } from "../shared/naming.js";
import { runConfig } from "../shared/step-deps.js";
import { RunContext, StackState } from "../shared/types.js";
import { deployStack } from "./deployStack.js";

const ReportOutcome = z.object({ outcome: z.string() });

export const handler = stepHandler({
  step: "deployStack",
  // stack: present when ReplaceStack calls again while the replaced stack is being deleted.
  event: z.object({ run: RunContext, stack: StackState.optional() }),
  env: STEP_ENV.deployStack,
  run: async ({ run, stack }, env) => {
    const { config, store } = await runConfig(env, run);
    return deployStack(
      run,
      config,
      {
        cfn: cloudFormationFor(config.regions.recovery),
        now,
        outcomeOf: async (name) =>
          (await store.findJson(runKeys(artifactsPrefixFor(name)).report, ReportOutcome))?.outcome,
      },
      stack,
    );
  },
});
