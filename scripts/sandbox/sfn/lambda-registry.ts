/**
 * In-process "Lambda service" of the SFN emulation: function ARNs (or bare function names) bound
 * to handler functions. A Task whose Resource is a Lambda ARN runs the bound handler.
 */
import { lambdaFunctionName } from "./definition.js";

/** A Lambda handler as the emulation calls it: the Task's effective input in, its result out. */
export type LocalHandler = (input: unknown) => Promise<unknown> | unknown;

export class LambdaRegistry {
  private readonly byKey = new Map<string, () => Promise<LocalHandler>>();

  /** Binds a function ARN or a function name (any region/account) to a handler. */
  register(arnOrName: string, handler: LocalHandler): this {
    return this.registerLazy(arnOrName, async () => handler);
  }

  /** Like register, but the handler module is loaded at the first invocation. */
  registerLazy(arnOrName: string, load: () => Promise<LocalHandler>): this {
    let loaded: Promise<LocalHandler> | undefined;
    this.byKey.set(arnOrName, () => {
      loaded ??= load().catch((e: unknown) => {
        loaded = undefined;
        throw e;
      });
      return loaded;
    });
    return this;
  }

  /** The handler bound to a Task Resource: exact ARN first, then the function name in it. */
  resolve(resource: string): (() => Promise<LocalHandler>) | undefined {
    const exact = this.byKey.get(resource);
    if (exact) return exact;
    const name = lambdaFunctionName(resource);
    return name === undefined ? undefined : this.byKey.get(name);
  }

  has(resource: string): boolean {
    return this.resolve(resource) !== undefined;
  }

  names(): string[] {
    return [...this.byKey.keys()];
  }
}
