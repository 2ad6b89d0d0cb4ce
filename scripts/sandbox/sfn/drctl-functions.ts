/**
 * Binds the drctl Lambda functions (drctl-<fn>) to the real handlers in functions/<fn>/handler.ts,
 * called as Lambda would call them: (event, context). Modules load at their first invocation.
 */
import { localContext } from "../../../functions/shared/middleware.js";
import { FUNCTIONS, type FunctionKey } from "../../../state-machines/names.js";
import type { LambdaRegistry, LocalHandler } from "./lambda-registry.js";

/** Function name of a step on AWS and in the sandbox. */
export const functionName = (fn: FunctionKey): string => `drctl-${fn}`;

export const functionArn = (region: string, account: string, fn: FunctionKey): string =>
  `arn:aws:lambda:${region}:${account}:function:${functionName(fn)}`;

type LambdaModule = {
  handler: (event: unknown, context: ReturnType<typeof localContext>) => Promise<unknown>;
};

export function bindDrctlFunctions(registry: LambdaRegistry): LambdaRegistry {
  for (const fn of FUNCTIONS) {
    registry.registerLazy(functionName(fn), async (): Promise<LocalHandler> => {
      const mod = (await import(`../../../functions/${fn}/handler.js`)) as LambdaModule;
      if (typeof mod.handler !== "function") throw new Error(`functions/${fn}/handler.ts exports no handler`);
      return (input) => mod.handler(input, localContext(functionName(fn)));
    });
  }
  return registry;
}
