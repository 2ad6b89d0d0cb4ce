/** A recording fake backend and a sandbox server around it, for the wire-layer tests. */
import { afterAll, beforeAll, beforeEach } from "vitest";
import { type SandboxServer, startServer } from "../../../scripts/sandbox/server.js";
import {
  type SandboxBackend,
  type SandboxCall,
  type SandboxOutput,
  type ServiceName,
  UnknownOperation,
} from "../../../scripts/sandbox/types.js";

type Handler = (call: SandboxCall) => SandboxOutput | Promise<SandboxOutput>;

export class FakeBackend implements SandboxBackend {
  readonly calls: SandboxCall[] = [];
  private readonly handlers = new Map<string, Handler>();

  /** Answers service.operation with a canned output, or a function of the call (may throw SandboxError). */
  on(service: ServiceName, operation: string, handler: Handler | SandboxOutput): this {
    this.handlers.set(`${service}.${operation}`, typeof handler === "function" ? handler : () => handler);
    return this;
  }

  async call(call: SandboxCall): Promise<SandboxOutput> {
    this.calls.push(call);
    const handler = this.handlers.get(`${call.service}.${call.operation}`);
    if (!handler) throw new UnknownOperation(call.service, call.operation);
    return handler(call);
  }

  /** The last call received (fails the test when there was none). */
  last(): SandboxCall {
    const call = this.calls[this.calls.length - 1];
    if (!call) throw new Error("the backend received no call");
    return call;
  }

  reset(): void {
    this.calls.length = 0;
    this.handlers.clear();
  }
}

export interface FakeSandbox {
  backend: FakeBackend;
  server: SandboxServer;
  /** SDK v3 client config pointing at the sandbox (one attempt: errors surface at once). */
  config(region?: string): {
    endpoint: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
    maxAttempts: number;
  };
}

export async function startFakeSandbox(): Promise<FakeSandbox> {
  const backend = new FakeBackend();
  const server = await startServer({ backend, port: 0, strict: true });
  return {
    backend,
    server,
    config: (region = "us-west-2") => ({
      endpoint: server.url,
      region,
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      maxAttempts: 1,
    }),
  };
}

/**
 * One fake sandbox for the whole test file: started before all tests, closed after them, and its
 * backend reset (calls and handlers) before each test. Use the returned object inside tests only.
 */
export function useFakeSandbox(): FakeSandbox {
  let sb: FakeSandbox | undefined;
  const current = (): FakeSandbox => {
    if (!sb) throw new Error("the fake sandbox is not started (use it inside a test)");
    return sb;
  };
  beforeAll(async () => {
    sb = await startFakeSandbox();
  });
  afterAll(async () => {
    await current().server.close();
  });
  beforeEach(() => current().backend.reset());
  return {
    get backend() {
      return current().backend;
    },
    get server() {
      return current().server;
    },
    config: (region) => current().config(region),
  };
}

/** An SDK output without its $metadata: what the backend answered, as the client parsed it. */
export function body<T extends { $metadata?: unknown }>(out: T): Omit<T, "$metadata"> {
  const { $metadata: _, ...rest } = out;
  return rest;
}
