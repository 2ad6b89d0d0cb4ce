/**
 * A world behind the strict wire layer, driven through the real SDK v3 clients (an output member
 * the model does not know is a 500 there): for the service tests that pin the behaviours listed in
 * docs/fidelity.md, section "EC2, EFS, RDS, DynamoDB: lifecycles, errors and limits".
 */
import {
  BackupClient,
  DescribeRestoreJobCommand,
  GetRecoveryPointRestoreMetadataCommand,
  ListRecoveryPointsByBackupVaultCommand,
  StartRestoreJobCommand,
} from "@aws-sdk/client-backup";
import { VirtualClock } from "../../../scripts/sandbox/clock.js";
import type { Scenario, ScenarioInput } from "../../../scripts/sandbox/scenario.js";
import { type SandboxServer, startServer } from "../../../scripts/sandbox/server.js";
import { createWorld, TIMINGS, type World } from "../../../scripts/sandbox/world/index.js";
import { drMetadata, ROLE, scenarioOf } from "./world-helpers.js";

/** One resource of each type the sandbox restores, restored in seconds. */
export const ALL_TYPES: ScenarioInput["resources"] = [
  { name: "orders-db", type: "rds", tags: { app: "shop" }, restoreSeconds: 60 },
  { name: "ledger", type: "aurora", restoreSeconds: 60 },
  { name: "web-1", type: "ec2", restoreSeconds: 60 },
  { name: "web-data", type: "ebs", restoreSeconds: 60 },
  { name: "shared-files", type: "efs", restoreSeconds: 60 },
  { name: "carts", type: "dynamodb", restoreSeconds: 60 },
];

export interface SdkWorld {
  scenario: Scenario;
  clock: VirtualClock;
  world: World;
  server: SandboxServer;
  /** A client of the sandbox endpoint (recovery region unless named). */
  client<C>(Client: new (config: object) => C, region?: string): C;
  /** Restores the newest copy of a scenario resource into the DR network; returns the created ARN. */
  restore(
    resource: string,
    target: string,
    metadata?: Record<string, string>,
    copyTags?: boolean,
  ): Promise<string>;
  close(): Promise<void>;
}

export async function sdkWorld(
  overrides: Partial<ScenarioInput> = { resources: ALL_TYPES },
): Promise<SdkWorld> {
  const scenario = scenarioOf(overrides);
  const clock = new VirtualClock(scenario.start);
  const world = createWorld(scenario, clock, { port: 0 });
  const server = await startServer({ backend: world, strict: true });
  world.setPort(server.port);
  const client = <C>(Client: new (config: object) => C, region = scenario.regions.recovery): C =>
    new Client({
      endpoint: server.url,
      region,
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      maxAttempts: 1,
    });
  const backup = client(BackupClient);
  return {
    scenario,
    clock,
    world,
    server,
    client,
    async restore(name, target, metadata = {}, copyTags = false) {
      const resource = scenario.resources.find((r) => r.name === name);
      if (!resource) throw new Error(`no resource ${name} in the scenario`);
      const points = await backup.send(
        new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: scenario.vault }),
      );
      const rp = points.RecoveryPoints?.find(
        (p) => p.ResourceName === name && p.Status === "COMPLETED",
      )?.RecoveryPointArn;
      const md = await backup.send(
        new GetRecoveryPointRestoreMetadataCommand({ BackupVaultName: scenario.vault, RecoveryPointArn: rp }),
      );
      const started = await backup.send(
        new StartRestoreJobCommand({
          RecoveryPointArn: rp,
          IamRoleArn: ROLE,
          Metadata: { ...drMetadata(md.RestoreMetadata ?? {}, resource.type, target), ...metadata },
          CopySourceTagsToRestoredResource: copyTags,
        }),
      );
      clock.advanceBy(TIMINGS.restorePendingSeconds + resource.restoreSeconds);
      const job = await backup.send(new DescribeRestoreJobCommand({ RestoreJobId: started.RestoreJobId }));
      if (job.Status !== "COMPLETED" || !job.CreatedResourceArn) {
        throw new Error(`restore of ${name} ended ${job.Status}: ${job.StatusMessage}`);
      }
      return job.CreatedResourceArn;
    },
    close: () => server.close(),
  };
}

/** The error a call rejects with (fails the test when it succeeds). */
export async function rejection(
  p: Promise<unknown>,
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await p;
  } catch (err) {
    return err as Error & { $metadata?: { httpStatusCode?: number } };
  }
  throw new Error("the call succeeded but was expected to fail");
}

/** name, message and HTTP status of an SDK error, for one toMatchObject. */
export const shape = (e: Error & { $metadata?: { httpStatusCode?: number } }) => ({
  name: e.name,
  message: e.message,
  status: e.$metadata?.httpStatusCode,
});
