/**
 * The SFN emulation behind the sandbox server, driven through the SDK v3 SFNClient (strict output
 * check: an output member the model lacks is a 500). One server per `sfnWire` call; `closeAll`
 * stops them.
 */
import {
  CreateStateMachineCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SFNClient,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import { VirtualClock } from "../../../scripts/sandbox/clock.js";
import { type SandboxServer, startServer } from "../../../scripts/sandbox/server.js";
import { SfnBackend } from "../../../scripts/sandbox/sfn/backend.js";
import { LambdaRegistry, type LocalHandler } from "../../../scripts/sandbox/sfn/lambda-registry.js";
import { Scheduler, timeSourceOf } from "../../../scripts/sandbox/sfn/scheduler.js";

export const ACCOUNT = "111122223333";
export const REGION = "us-west-2";
export const ROLE = `arn:aws:iam::${ACCOUNT}:role/drctl-orchestrator`;
export const fn = (name: string): string => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
/** The function most tests call. */
export const FN = fn("work");

export interface SfnWire {
  sfn: SFNClient;
  backend: SfnBackend;
  clock: VirtualClock;
  /** Creates a state machine, runs one execution to its end, returns its whole history. */
  run(
    definition: object,
    input?: unknown,
    name?: string,
  ): Promise<{ executionArn: string; stateMachineArn: string; events: HistoryEvent[] }>;
  close(): Promise<void>;
}

const servers: SandboxServer[] = [];
let machines = 0;

export async function sfnWire(handlers: Record<string, LocalHandler>): Promise<SfnWire> {
  const clock = new VirtualClock("2026-03-01T09:00:00Z");
  const registry = new LambdaRegistry();
  for (const [name, h] of Object.entries(handlers)) registry.register(fn(name), h);
  const backend = new SfnBackend({
    account: ACCOUNT,
    scheduler: new Scheduler(timeSourceOf(clock)),
    registry,
  });
  const server = await startServer({ backend, strict: true });
  servers.push(server);
  const sfn = new SFNClient({
    region: REGION,
    endpoint: server.url,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
  return {
    sfn,
    backend,
    clock,
    async run(definition, input = {}, name) {
      const { stateMachineArn = "" } = await sfn.send(
        new CreateStateMachineCommand({
          name: `m${++machines}`,
          definition: JSON.stringify(definition),
          roleArn: ROLE,
        }),
      );
      const { executionArn = "" } = await sfn.send(
        new StartExecutionCommand({
          stateMachineArn,
          input: JSON.stringify(input),
          ...(name !== undefined && { name }),
        }),
      );
      await Promise.all(backend.executionRecords().map((r) => r.done));
      return { executionArn, stateMachineArn, events: await historyOf(sfn, executionArn) };
    },
    close: () => server.close(),
  };
}

export async function historyOf(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, ...(nextToken && { nextToken }) }),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

/** Stops every server `sfnWire` started. */
export async function closeAll(): Promise<void> {
  await Promise.all(servers.splice(0).map((s) => s.close()));
}

/** The `*EventDetails` members an event carries. */
export const detailKeys = (e: HistoryEvent | undefined): string[] =>
  Object.keys(e ?? {}).filter((k) => k.endsWith("EventDetails"));

/** A Task function that throws `error` on its first `failures` calls and records every input. */
export function flaky(failures: number, error = "Boom") {
  const inputs: unknown[] = [];
  const handler = async (input: unknown) => {
    inputs.push(input);
    if (inputs.length <= failures) throw Object.assign(new Error("transient trouble"), { name: error });
    return { ok: inputs.length };
  };
  return { handler, inputs };
}
