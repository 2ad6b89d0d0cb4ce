/**
 * `drctl cleanup`: the cleanup step run in this process with the caller's credentials, for an
 * execution that is no longer running. A drill's resources are deleted; a failed failover's
 * restores and DR stack only after an explicit confirmation (--confirm, or "yes" typed at a
 * terminal), because a failover's resources may be all that serves the application. Then the
 * app's lock is released when it still names that run (its run name or its execution ARN).
 */
import { createInterface } from "node:readline/promises";
import { lockParameter } from "../../functions/shared/naming.js";

type Code = 0 | 1 | 2;

export interface CleanupFacts {
  region: string;
  run: { name: string; artifactsPrefix: string } & Record<string, unknown>;
  status: string;
  bucket: string;
}

export interface CleanupOptions {
  executionArn: string;
  confirm: boolean;
  /** Asks a yes/no question (default: the terminal, when there is one). */
  ask?: (question: string) => Promise<string>;
  print?: (line: string) => void;
  sleep?: (seconds: number) => Promise<void>;
}

type Progress = { done: boolean; waitSeconds: number; deleted: number; leftovers: number; pending: number };

export async function cleanupRun(facts: CleanupFacts, opts: CleanupOptions): Promise<Code> {
  const print = opts.print ?? ((line: string) => console.log(line));
  const { run } = facts;
  if (facts.status === "RUNNING") {
    print(`${run.name} is still RUNNING: it cleans up after itself; stop it first to clean up by hand`);
    return 1;
  }
  const failover = run.mode === "failover";
  if (failover && facts.status === "SUCCEEDED") {
    print(
      `${run.name} is a failover that SUCCEEDED: its resources serve the application; nothing is deleted`,
    );
    return 1;
  }
  if (failover && !opts.confirm) {
    const question = `${run.name} is a failed failover (${facts.status}): delete its restored resources and its DR stack ${String(run.stackName)}? Type yes: `;
    const ask = opts.ask ?? (process.stdin.isTTY ? terminalQuestion : undefined);
    const answer = ask ? (await ask(question)).trim().toLowerCase() : "";
    if (answer !== "yes") {
      print(`${run.name}: not confirmed; nothing deleted (pass --confirm to delete a failover's resources)`);
      return 1;
    }
  }
  // The cleanup step itself, in this process, with the caller's credentials.
  process.env.AWS_REGION = facts.region;
  process.env.ARTIFACTS_BUCKET = facts.bucket;
  process.env.DRCTL_LOCAL ??= "false";
  const { handler } = (await import("../../functions/cleanup/handler.js")) as {
    handler: (event: unknown, context: unknown) => Promise<Progress>;
  };
  const { localContext } = await import("../../functions/shared/middleware.js");
  const sleep = opts.sleep ?? ((s: number) => new Promise<void>((done) => setTimeout(done, s * 1000)));
  let result: Progress | undefined;
  let failed: string | undefined;
  for (let round = 1; !result?.done; round++) {
    try {
      result = await handler(
        { run, ...(failover && { confirmFailover: true }) },
        localContext("drctl-cleanup"),
      );
    } catch (e) {
      // CleanupIncomplete: done, with leftovers (listed in the run's cleanup document).
      failed = `${(e as Error).name}: ${(e as Error).message}`;
      break;
    }
    print(
      `round ${round}: deleted ${result.deleted}, pending ${result.pending}, leftovers ${result.leftovers}`,
    );
    if (!result.done) await sleep(result.waitSeconds);
  }
  if (failed) print(failed);
  await releaseLock(facts, opts.executionArn, print);
  return failed === undefined && result?.leftovers === 0 ? 0 : 1;
}

async function terminalQuestion(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

/** Deletes /drctl/lock/<app> when it names this run's execution; leaves another holder's. */
async function releaseLock(
  facts: CleanupFacts,
  executionArn: string,
  print: (line: string) => void,
): Promise<void> {
  const { ssmFor } = await import("../../functions/shared/aws/ssm.js");
  const lock = await import("../../functions/shared/lock.js");
  const parameter = lockParameter(String(facts.run.app));
  const released = await lock.releaseLock(ssmFor(facts.region), String(facts.run.app), executionArn);
  print(released ? `lock ${parameter} released` : `lock ${parameter}: not held by this run, left in place`);
}
