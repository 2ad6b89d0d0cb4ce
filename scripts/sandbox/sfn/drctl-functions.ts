/**
 * Binds the drctl Lambda functions (drctl-<fn>) to the real handlers in functions/<fn>/handler.ts,
 * called as Lambda would call them: (event, context), signing with the function's own role
 * credentials (iam/principals.ts). Modules load at their first invocation.
 */
import type { Context } from "aws-lambda";
import { FUNCTIONS, type FunctionKey } from "../../../state-machines/names.js";
import { functionName, runAsFunction } from "../iam/principals.js";
import type { LambdaRegistry, LocalHandler } from "./lambda-registry.js";

export { functionName };

export const functionArn = (region: string, account: string, fn: FunctionKey): string =>
  `arn:aws:lambda:${region}:${account}:function:${functionName(fn)}`;

type LambdaModule = { handler: (event: unknown, context: Context) => Promise<unknown> };

/** Static imports (bundlers and vitest resolve them; a template path would not be). */
const MODULES: Record<FunctionKey, () => Promise<LambdaModule>> = {
  validateInput: () => import("../../../functions/validateInput/handler.js"),
  detect: () => import("../../../functions/detect/handler.js"),
  deployStack: () => import("../../../functions/deployStack/handler.js"),
  checkStack: () => import("../../../functions/checkStack/handler.js"),
  planRestores: () => import("../../../functions/planRestores/handler.js"),
  startRestores: () => import("../../../functions/startRestores/handler.js"),
  pollRestores: () => import("../../../functions/pollRestores/handler.js"),
  integrate: () => import("../../../functions/integrate/handler.js"),
  validateHealth: () => import("../../../functions/validateHealth/handler.js"),
  failover: () => import("../../../functions/failover/handler.js"),
  writeReport: () => import("../../../functions/writeReport/handler.js"),
  cleanup: () => import("../../../functions/cleanup/handler.js"),
  notify: () => import("../../../functions/notify/handler.js"),
  aftermath: () => import("../../../functions/aftermath/handler.js"),
  resume: () => import("../../../functions/resume/handler.js"),
};

export function bindDrctlFunctions(registry: LambdaRegistry): LambdaRegistry {
  for (const fn of FUNCTIONS) {
    registry.registerLazy(functionName(fn), async (): Promise<LocalHandler> => {
      // Loaded on first use, after the runner set the handlers' environment (the logger reads
      // POWERTOOLS_LOG_LEVEL when its module loads).
      const { localContext } = await import("../../../functions/shared/middleware.js");
      const mod = await MODULES[fn]();
      if (typeof mod.handler !== "function") throw new Error(`functions/${fn}/handler.ts exports no handler`);
      // Each invocation runs with the function's own role credentials and clients, as on AWS.
      return (input) => runAsFunction(fn, () => mod.handler(input, localContext(functionName(fn))));
    });
  }
  return registry;
}
