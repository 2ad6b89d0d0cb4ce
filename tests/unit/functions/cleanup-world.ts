/**
 * A drill of scenarios/shop-drill.yaml run in the local sandbox with its cleanup stubbed out, so that
 * everything it created is still there (stack, DB instance, attached volume, file system with mount
 * targets, table, parameters, run documents); then the cleanup function, invoked as Lambda would
 * (the real handler, the cleanup role's credentials, IAM enforced), round by round on the virtual
 * clock. Faults are added to the world after the drill, so they hit cleanup's calls only.
 */
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { StartExecutionCommand } from "@aws-sdk/client-sfn";
import { runKeys } from "../../../functions/shared/artifacts.js";
import {
  CleanupDocument,
  type CleanupProgress,
  JobsDocument,
  type RunContext,
} from "../../../functions/shared/types.js";
import {
  clients,
  deploymentNames,
  deployToSandbox,
  handlerEnvironment,
  type LocalSandbox,
  startLocalSandbox,
  useHandlerEnvironment,
} from "../../../scripts/sandbox/runner.js";
import type { CallFault } from "../../../scripts/sandbox/scenario.js";
import { loadScenario } from "../../../scripts/sandbox/scenario.js";
import { functionName } from "../../../scripts/sandbox/sfn/drctl-functions.js";

export interface LeftDrill {
  sandbox: LocalSandbox;
  run: RunContext;
  /** Adds call faults (as a scenario's `faults`) from now on. */
  fault(...faults: CallFault[]): void;
  /** One cleanup invocation: its result, or the error it ended with. */
  round(): Promise<{ progress?: CleanupProgress; error?: Error }>;
  /** Invocations (advancing the clock by each waitSeconds) until done or an error; at most `limit`. */
  untilDone(limit?: number): Promise<{ rounds: number; last: { progress?: CleanupProgress; error?: Error } }>;
  /** The run's cleanup document (cleanup.json in the artifacts bucket). */
  document(): Promise<CleanupDocument>;
  /** Rewrites the run's jobs document, as a run that stopped before its poll saw what it now says. */
  editJobs(edit: (doc: JobsDocument) => JobsDocument): Promise<void>;
  close(): Promise<void>;
}

export async function leftDrill(): Promise<LeftDrill> {
  const scenario = await loadScenario("scenarios/shop-drill.yaml");
  const sandbox = await startLocalSandbox(scenario);
  const restoreEnv = useHandlerEnvironment(handlerEnvironment(scenario, sandbox.url));
  try {
    const stateMachineArn = await deployToSandbox(scenario, sandbox.url);
    const n = deploymentNames(scenario);
    // The drill's own cleanup does nothing: everything the drill created stays.
    const real = sandbox.registry.resolve(functionName("cleanup"));
    sandbox.registry.register(functionName("cleanup"), (input) => ({
      cleanupKey: runKeys((input as { run: RunContext }).run.artifactsPrefix).cleanup,
      deleted: 0,
      leftovers: 0,
      pending: 0,
      done: true,
      waitSeconds: 1,
      rounds: 0,
    }));
    const { executionArn } = await clients(scenario, sandbox.url).sfn.send(
      new StartExecutionCommand({ stateMachineArn, input: '{"mode":"drill","trigger":"manual"}' }),
    );
    const record = sandbox.sfn.executionRecords().find((r) => r.executionArn === executionArn);
    await record?.done;
    if (record?.status !== "SUCCEEDED") throw new Error(`drill ended ${record?.status}: ${record?.cause}`);
    const run = (JSON.parse(record.output ?? "{}") as { run: RunContext }).run;
    const handler = await real?.();
    if (!handler) throw new Error("no cleanup function in the sandbox");
    const round: LeftDrill["round"] = async () => {
      try {
        return { progress: (await handler({ run })) as CleanupProgress };
      } catch (error) {
        return { error: error as Error };
      }
    };
    return {
      sandbox,
      run,
      fault(...faults) {
        for (const fault of faults) sandbox.world.faults.add(fault);
      },
      round,
      async untilDone(limit = 1000) {
        for (let rounds = 1; ; rounds++) {
          const last = await round();
          if (!last.progress || last.progress.done || rounds >= limit) return { rounds, last };
          sandbox.clock.advanceBy(last.progress.waitSeconds);
        }
      },
      async document() {
        const out = await clients(scenario, sandbox.url).s3.send(
          new GetObjectCommand({ Bucket: n.bucket, Key: runKeys(run.artifactsPrefix).cleanup }),
        );
        return CleanupDocument.parse(JSON.parse((await out.Body?.transformToString()) ?? "{}"));
      },
      async editJobs(edit) {
        const { s3 } = clients(scenario, sandbox.url);
        const key = { Bucket: n.bucket, Key: runKeys(run.artifactsPrefix).jobs };
        const out = await s3.send(new GetObjectCommand(key));
        const doc = JobsDocument.parse(JSON.parse((await out.Body?.transformToString()) ?? "{}"));
        await s3.send(new PutObjectCommand({ ...key, Body: JSON.stringify(edit(doc)) }));
      },
      close: async () => {
        restoreEnv();
        await sandbox.close();
      },
    };
  } catch (e) {
    restoreEnv();
    await sandbox.close();
    throw e;
  }
}
