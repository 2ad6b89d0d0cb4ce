/**
 * A step's AWS, for unit tests: the sandbox's World (scripts/sandbox/world/) on a virtual clock,
 * behind the sandbox's strict HTTP endpoint in this process, and the product's own service
 * wrappers (functions/shared/aws/*) over real SDK v3 clients signed as the step's function, so the
 * World's IAM (the step role as the CDK app synthesizes it), its call faults and its call records
 * apply to the step's calls. Test setup ("seed" calls) goes to the World directly, as an
 * unsigned in-process client the step's IAM and faults do not touch.
 */
import { readFile } from "node:fs/promises";
import { BackupClient } from "@aws-sdk/client-backup";
import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EC2Client } from "@aws-sdk/client-ec2";
import { EFSClient } from "@aws-sdk/client-efs";
import { RDSClient } from "@aws-sdk/client-rds";
import { S3Client } from "@aws-sdk/client-s3";
import { SSMClient } from "@aws-sdk/client-ssm";
import { ArtifactStore } from "../../functions/shared/artifacts.js";
import { backupApi } from "../../functions/shared/aws/backup.js";
import { clientConfig, resetApis, type ServiceId } from "../../functions/shared/aws/clients.js";
import { cloudFormationApi } from "../../functions/shared/aws/cloudformation.js";
import { dynamoDbApi } from "../../functions/shared/aws/dynamodb.js";
import { ec2Api } from "../../functions/shared/aws/ec2.js";
import { efsApi } from "../../functions/shared/aws/efs.js";
import { rdsApi } from "../../functions/shared/aws/rds.js";
import { s3Api } from "../../functions/shared/aws/s3.js";
import { ssmApi } from "../../functions/shared/aws/ssm.js";
import { useClock } from "../../functions/shared/clock.js";
import { AppConfig, configKey } from "../../functions/shared/config.js";
import { AwsTransient } from "../../functions/shared/errors.js";
import type { PlanDocument, RestoreJobRecord, RunContext } from "../../functions/shared/types.js";
import { VirtualClock } from "../../scripts/sandbox/clock.js";
import { functionCredentials } from "../../scripts/sandbox/iam/principals.js";
import { DR_APP_TEMPLATE, deploymentNames, sandboxConfig } from "../../scripts/sandbox/runner.js";
import type { CallFault, Fault, Scenario, ScenarioInput } from "../../scripts/sandbox/scenario.js";
import { type SandboxServer, startServer } from "../../scripts/sandbox/server.js";
import type { SandboxBackend, SandboxOutput, ServiceName } from "../../scripts/sandbox/types.js";
import { createWorld, TIMINGS, type World } from "../../scripts/sandbox/world/index.js";
import type { FunctionKey } from "../../state-machines/names.js";
import { TRANSIENT_RETRY } from "../../state-machines/tasks.asl.js";
import { drMetadata, scenarioOf } from "../unit/sandbox/world-helpers.js";

export interface StepWorldOptions {
  /** Scenario overrides (scenarioOf: app shop, recovery us-west-2, start 2026-03-01T09:00Z). */
  scenario?: Partial<ScenarioInput>;
  /** The step roles' IAM enforced (default true). */
  iam?: boolean;
  /** Seconds before IAM conditions see a tag change (default: the sandbox's TAG_PROPAGATION_SECONDS). */
  tagPropagationSeconds?: number;
}

/** A restore started by the seed client. */
export interface SeededRestore {
  jobId: string;
  /** The created resource's ARN (once the job is COMPLETED). */
  arn?: string;
  /** The job as the jobs document records it. */
  record: RestoreJobRecord;
}

export interface RestoreOptions {
  /** Restore metadata over the DR-network defaults (drMetadata). */
  metadata?: Record<string, string>;
  /** CopySourceTagsToRestoredResource. */
  copyTags?: boolean;
}

export interface StepWorld {
  scenario: Scenario;
  clock: VirtualClock;
  world: World;
  server: SandboxServer;
  config: AppConfig;
  names: ReturnType<typeof deploymentNames>;
  /** The artifacts bucket (in the World's S3), as the step's ArtifactStore; config/<app>.json is in it. */
  store: ArtifactStore;
  /** The product's service wrappers, on clients signed as the step (recovery region). */
  apis: ReturnType<typeof wrappers>;
  /** The virtual clock's time (pass as the step's `now`). */
  now: () => Date;
  advance(seconds: number): void;
  /** A call of the seed client (not the step's: no IAM, no faults). */
  seed(service: ServiceName, operation: string, input?: Record<string, unknown>): Promise<SandboxOutput>;
  /** Writes a JSON document to the artifacts bucket with the seed client (as earlier steps did). */
  putJson(key: string, value: unknown): Promise<void>;
  /** Starts the restore of the newest recovery point of a scenario resource into the DR network. */
  startRestore(resource: string, target: string, opts?: RestoreOptions): Promise<SeededRestore>;
  /** startRestore, then the clock on until the job is COMPLETED. */
  restore(resource: string, target: string, opts?: RestoreOptions): Promise<Required<SeededRestore>>;
  /**
   * CreateStack of the DR app stack (templates/dr-app.yaml, as deployToSandbox uploads it) with the
   * config's parameters and `tags`; the clock on until CREATE_COMPLETE. Returns the stack id.
   */
  createStack(
    name: string,
    parameterPrefix: string,
    tags: Record<string, string>,
    parameters?: Record<string, string>,
  ): Promise<string>;
  /** The plan a run of the config makes: every resource restored to `<name>-<run suffix>`. */
  plan(run: RunContext, metadata?: Record<string, Record<string, string>>): PlanDocument;
  /**
   * One Task of the state machine: `invoke`, retried on AwsTransient as the recovery state
   * machine's TRANSIENT_RETRY does (its intervals on the virtual clock, no jitter).
   */
  task<T>(invoke: () => Promise<T>): Promise<T>;
  /** Call faults (as a scenario's `faults`) on the step's calls from now on. */
  fault(...faults: CallFault[]): void;
  /** The step's requests (every SDK attempt, refused ones included), optionally of one operation. */
  requests(operation?: string): StepRequest[];
  close(): Promise<void>;
}

export interface StepRequest {
  service: ServiceName;
  operation: string;
  input: Record<string, unknown>;
  /** The error code it was answered with. */
  error?: string;
}

function wrappers(client: <C>(Client: new (config: object) => C, id: ServiceId) => C) {
  return {
    backup: backupApi(client(BackupClient, "BACKUP")),
    rds: rdsApi(client(RDSClient, "RDS")),
    ec2: ec2Api(client(EC2Client, "EC2")),
    efs: efsApi(client(EFSClient, "EFS")),
    dynamodb: dynamoDbApi(client(DynamoDBClient, "DYNAMODB")),
    ssm: ssmApi(client(SSMClient, "SSM")),
    cloudformation: cloudFormationApi(client(CloudFormationClient, "CLOUDFORMATION")),
    s3: s3Api(client(S3Client, "S3")),
  };
}

export async function stepWorld(step: FunctionKey, opts: StepWorldOptions = {}): Promise<StepWorld> {
  resetApis();
  const scenario = scenarioOf(opts.scenario);
  const clock = new VirtualClock(scenario.start);
  const world = createWorld(scenario, clock, { port: 0 });
  const names = deploymentNames(scenario);
  const config = AppConfig.parse(sandboxConfig(scenario));
  if (opts.iam !== false) {
    const [{ synthesized }, { sandboxIam }] = await Promise.all([
      import("../../scripts/sandbox/iam/synthesized.js"),
      import("../../scripts/sandbox/iam/setup.js"),
    ]);
    // Cached on disk by a hash of its inputs (iam/synthesized.ts): synthesized once per configuration.
    const { roles } = await synthesized(config, names);
    const delay = opts.tagPropagationSeconds;
    world.useIam(
      sandboxIam(config, delay === undefined ? names : { ...names, tagPropagationSeconds: delay }, roles),
    );
  }
  const stepKey = functionCredentials(step).accessKeyId;
  const requests: StepRequest[] = [];
  const backend: SandboxBackend = {
    async call(call, caller) {
      if (caller?.accessKeyId !== stepKey) return world.call(call, caller);
      const request: StepRequest = { service: call.service, operation: call.operation, input: call.input };
      requests.push(request);
      try {
        return await world.call(call, caller);
      } catch (error) {
        request.error = (error as { code?: string }).code ?? (error as Error).name;
        throw error;
      }
    },
  };
  const server = await startServer({ backend, strict: true });
  world.setPort(server.port);
  // As in the local sandbox: code that reads the shared clock (not a step's `now`) sees the World's.
  useClock(() => clock.now());
  const env = { AWS_ENDPOINT_URL: server.url };
  const credentials = functionCredentials(step);
  const region = scenario.regions.recovery;
  const apis = wrappers((Client, id) => new Client({ ...clientConfig(id, region, env), credentials }));
  const seed: StepWorld["seed"] = (service, operation, input = {}) =>
    world.call({ service, operation, region, input }, {});
  await seed("s3", "CreateBucket", {
    Bucket: names.bucket,
    CreateBucketConfiguration: { LocationConstraint: region },
  });
  await seed("s3", "PutObject", {
    Bucket: names.bucket,
    Key: configKey(names.app),
    Body: JSON.stringify(sandboxConfig(scenario)),
  });
  const template = /^https:\/\/s3\.[a-z0-9-]+\.amazonaws\.com\/[^/]+\/(.+)$/.exec(
    config.stack.templateUrl,
  )?.[1];
  await seed("s3", "PutObject", {
    Bucket: names.bucket,
    Key: template,
    Body: await readFile(DR_APP_TEMPLATE, "utf8"),
  });
  const startRestore: StepWorld["startRestore"] = async (name, target, opts = {}) => {
    const resource = scenario.resources.find((r) => r.name === name);
    if (!resource) throw new Error(`no resource ${name} in the scenario`);
    const points = await seed("backup", "ListRecoveryPointsByBackupVault", {
      BackupVaultName: scenario.vault,
    });
    const point = (
      points.RecoveryPoints as { ResourceName?: string; RecoveryPointArn: string; Status: string }[]
    ).find((p) => p.ResourceName === name && p.Status === "COMPLETED");
    if (!point) throw new Error(`no recovery point of ${name}`);
    const md = await seed("backup", "GetRecoveryPointRestoreMetadata", {
      BackupVaultName: scenario.vault,
      RecoveryPointArn: point.RecoveryPointArn,
    });
    const source = (md.RestoreMetadata ?? {}) as Record<string, string>;
    const started = await seed("backup", "StartRestoreJob", {
      RecoveryPointArn: point.RecoveryPointArn,
      IamRoleArn: names.restoreRoleArn,
      Metadata: { ...drMetadata(source, resource.type, target), ...opts.metadata },
      CopySourceTagsToRestoredResource: opts.copyTags ?? false,
    });
    const jobId = started.RestoreJobId as string;
    const startedAt = clock.now().toISOString();
    const record: RestoreJobRecord = {
      name,
      type: resource.type,
      restoreJobId: jobId,
      recoveryPointArn: point.RecoveryPointArn,
      status: "RUNNING",
      startedAt,
      attempt: 1,
      previousJobIds: [],
    };
    return { jobId, record };
  };
  return {
    scenario,
    clock,
    world,
    server,
    config,
    names,
    store: new ArtifactStore(apis.s3, names.bucket),
    apis,
    now: () => clock.now(),
    advance: (seconds) => clock.advanceBy(seconds),
    seed,
    startRestore,
    async putJson(key, value) {
      await seed("s3", "PutObject", { Bucket: names.bucket, Key: key, Body: JSON.stringify(value) });
    },
    async restore(name, target, opts) {
      const started = await startRestore(name, target, opts);
      const resource = scenario.resources.find((r) => r.name === name);
      clock.advanceBy(TIMINGS.restorePendingSeconds + (resource?.restoreSeconds ?? 0));
      const job = await seed("backup", "DescribeRestoreJob", { RestoreJobId: started.jobId });
      const arn = job.CreatedResourceArn as string | undefined;
      if (job.Status !== "COMPLETED" || !arn)
        throw new Error(`restore of ${name} ended ${String(job.Status)}`);
      const completedAt = clock.now().toISOString();
      return {
        jobId: started.jobId,
        arn,
        record: { ...started.record, status: "COMPLETED", createdResourceArn: arn, completedAt },
      };
    },
    plan(run, metadata = {}) {
      return {
        run: run.name,
        createdAt: run.startedAt,
        restores: config.resources.map((r) => ({
          name: r.name,
          type: r.type,
          sourceArn: r.sourceArn,
          recoveryPointArn: `arn:aws:backup:${region}:${scenario.account}:recovery-point:${r.name}`,
          recoveryPointCreatedAt: run.startedAt,
          rpoSeconds: 600,
          targetName: `${r.name}-${run.suffix}`,
          dependsOn: r.dependsOn,
          metadata: metadata[r.name] ?? {},
        })),
      };
    },
    async createStack(name, parameterPrefix, tags, overrides = {}) {
      const parameters = { ...config.stack.parameters, ...overrides, ParameterPrefix: parameterPrefix };
      const out = await seed("cloudformation", "CreateStack", {
        StackName: name,
        TemplateURL: config.stack.templateUrl,
        Parameters: Object.entries(parameters).map(([ParameterKey, ParameterValue]) => ({
          ParameterKey,
          ParameterValue,
        })),
        Capabilities: ["CAPABILITY_NAMED_IAM"],
        RoleARN: config.stack.roleArn,
        Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      });
      clock.advanceBy(scenario.app.deploySeconds);
      return out.StackId as string;
    },
    async task(invoke) {
      const retry = TRANSIENT_RETRY;
      for (let attempt = 0; ; attempt++) {
        try {
          return await invoke();
        } catch (error) {
          if (!(error instanceof AwsTransient) || attempt >= (retry.MaxAttempts ?? 3)) throw error;
          const interval = (retry.IntervalSeconds ?? 1) * (retry.BackoffRate ?? 2) ** attempt;
          clock.advanceBy(Math.min(interval, retry.MaxDelaySeconds ?? interval));
        }
      }
    },
    fault(...faults) {
      for (const fault of faults) world.faults.add(fault);
    },
    requests: (operation) => requests.filter((r) => operation === undefined || r.operation === operation),
    close: async () => {
      useClock(undefined);
      await server.close();
    },
  };
}

/**
 * A client of a service `apis` does not wrap (SNS, Route 53...), signed as `step` against the
 * World's endpoint in the recovery region (or `region`: us-east-1 for Route 53, as the handlers
 * sign it), as `apis`' clients are: its calls are the step's (IAM, faults, requests).
 */
export function stepClient<C>(
  w: StepWorld,
  step: FunctionKey,
  Client: new (config: object) => C,
  id: ServiceId,
  region = w.scenario.regions.recovery,
): C {
  const env = { AWS_ENDPOINT_URL: w.server.url };
  return new Client({
    ...clientConfig(id, region, env),
    credentials: functionCredentials(step),
  });
}

/**
 * The plan of `names` (scenario resources) as planRestores makes it for a drill: each restore from
 * the resource's newest recovery point in the World, into the DR network, as `<name>-<run suffix>`.
 */
export async function worldPlan(w: StepWorld, run: RunContext, names: string[]): Promise<PlanDocument> {
  const { RecoveryPoints } = await w.seed("backup", "ListRecoveryPointsByBackupVault", {
    BackupVaultName: w.scenario.vault,
  });
  const points = RecoveryPoints as {
    ResourceName?: string;
    RecoveryPointArn: string;
    CreationDate: Date;
    Status: string;
  }[];
  const restores = await Promise.all(
    names.map(async (name) => {
      const resource = w.config.resources.find((r) => r.name === name);
      const point = points
        .filter((p) => p.ResourceName === name && p.Status === "COMPLETED")
        .sort((a, b) => +new Date(b.CreationDate) - +new Date(a.CreationDate))[0];
      if (!resource || !point) throw new Error(`no resource or recovery point ${name}`);
      const md = await w.seed("backup", "GetRecoveryPointRestoreMetadata", {
        BackupVaultName: w.scenario.vault,
        RecoveryPointArn: point.RecoveryPointArn,
      });
      const targetName = `${name}-${run.suffix}`;
      return {
        name,
        type: resource.type,
        sourceArn: resource.sourceArn,
        recoveryPointArn: point.RecoveryPointArn,
        recoveryPointCreatedAt: new Date(point.CreationDate).toISOString(),
        rpoSeconds: 600,
        targetName,
        dependsOn: resource.dependsOn,
        metadata: drMetadata((md.RestoreMetadata ?? {}) as Record<string, string>, resource.type, targetName),
      };
    }),
  );
  return { run: run.name, createdAt: run.startedAt, restores };
}

/** Faults of the World itself from now on (as a scenario's `faults`): e.g. a resource's next restore jobs end FAILED. */
export function worldFault(w: StepWorld, ...faults: Fault[]): void {
  for (const fault of faults) w.world.faults.add(fault);
}
