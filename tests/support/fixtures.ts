/**
 * Shared test fixtures: a valid app configuration, a run context factory, and an in-memory S3
 * (aws-sdk-client-mock over a real S3Client) so the real s3Api wrapper, `loadConfig` and
 * `ArtifactStore` work unchanged in unit tests.
 *
 * Exports are used by every step's tests: keep them stable (add, don't rename).
 */
import { Readable } from "node:stream";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { ArtifactStore } from "../../functions/shared/artifacts.js";
import { type S3Api, s3Api } from "../../functions/shared/aws/s3.js";
import { AppConfig, type AppConfigInput, configKey } from "../../functions/shared/config.js";
import {
  artifactsPrefixFor,
  compactUtc,
  parameterPrefixFor,
  runName,
  runSuffix,
  stackNameFor,
} from "../../functions/shared/naming.js";
import type { PlannedRestore, RestoreJobRecord, RunContext } from "../../functions/shared/types.js";

export const ACCOUNT = "111122223333";
export const PRIMARY_REGION = "us-east-1";
export const RECOVERY_REGION = "us-west-2";
export const BUCKET = "drctl-artifacts-test";
export const APP = "shop";
export const VAULT = "dr-vault";
export const RESTORE_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/drctl-restore`;
/** The DR stack's CloudFormation service role (config stack.roleArn). */
export const STACK_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/shop-dr-cloudformation`;
/** Execution start of the default run (2026-03-01T09:00:00Z). */
export const STARTED_AT = "2026-03-01T09:00:00.000Z";
/** The default run's execution (named as a person would start it) and its run name. */
export const EXECUTION_ARN = `arn:aws:states:${RECOVERY_REGION}:${ACCOUNT}:execution:drctl-recovery:drill-${APP}-${compactUtc(new Date(STARTED_AT))}`;
export const RUN_NAME = runName("drill", APP, new Date(STARTED_AT), EXECUTION_ARN);

/** Source ARNs (primary region) of the default config's resources. */
export const SOURCE_ARNS = {
  ordersDb: `arn:aws:rds:${PRIMARY_REGION}:${ACCOUNT}:db:orders-db`,
  webData: `arn:aws:ec2:${PRIMARY_REGION}:${ACCOUNT}:volume/vol-0123456789abcdef0`,
  sharedFiles: `arn:aws:elasticfilesystem:${PRIMARY_REGION}:${ACCOUNT}:file-system/fs-0123456789abcdef0`,
} as const;

/** A valid configuration document (the raw JSON form, as stored at config/<app>.json). */
export function appConfigInput(overrides: Partial<AppConfigInput> = {}): AppConfigInput {
  return {
    app: APP,
    regions: { primary: PRIMARY_REGION, recovery: RECOVERY_REGION },
    account: ACCOUNT,
    vault: VAULT,
    objectives: { rtoMinutes: 240, rpoMinutes: 60 },
    maxRestoreAttempts: 2,
    stack: {
      name: "shop-dr",
      templateUrl: "https://drctl-templates.s3.us-west-2.amazonaws.com/shop-dr.yaml",
      roleArn: STACK_ROLE_ARN,
      parameters: { InstanceType: "t3.medium" },
    },
    network: {
      vpcId: "vpc-0dr",
      subnetIds: ["subnet-0dra", "subnet-0drb"],
      securityGroupIds: ["sg-0drdb"],
      dbSubnetGroup: "dr-db-subnets",
    },
    dns: { hostedZoneId: "Z0EXAMPLE", record: "app.example.com." },
    detect: { alarmNames: [] },
    resources: [
      {
        name: "orders-db",
        type: "rds",
        sourceArn: SOURCE_ARNS.ordersDb,
        integrate: { ssmParameter: "/shop/db/endpoint" },
      },
      {
        name: "web-data",
        type: "ebs",
        sourceArn: SOURCE_ARNS.webData,
        integrate: { attachToTag: "role=web", device: "/dev/sdf" },
      },
      {
        name: "shared-files",
        type: "efs",
        sourceArn: SOURCE_ARNS.sharedFiles,
        dependsOn: ["orders-db"],
        integrate: { ssmParameter: "/shop/efs/id", mountPath: "/mnt/shared" },
      },
    ],
    ...overrides,
  };
}

/** The same configuration, parsed (defaults applied), as steps see it after loadConfig. */
export function appConfig(overrides: Partial<AppConfigInput> = {}): AppConfig {
  return AppConfig.parse(appConfigInput(overrides));
}

/**
 * A run context as validateInput builds it for the default config (drill unless `mode` says
 * otherwise); the derived names follow `mode`, and any field can be overridden.
 */
export function runContext(overrides: Partial<RunContext> = {}): RunContext {
  const mode = overrides.mode ?? "drill";
  const startedAt = overrides.startedAt ?? STARTED_AT;
  const executionArn =
    overrides.executionArn ??
    `arn:aws:states:${RECOVERY_REGION}:${ACCOUNT}:execution:drctl-recovery:${mode}-${APP}-${compactUtc(new Date(startedAt))}`;
  const name = runName(mode, APP, new Date(startedAt), executionArn);
  const suffix = runSuffix(executionArn);
  const base: RunContext = {
    name,
    executionArn,
    mode,
    trigger: "manual",
    app: APP,
    startedAt,
    restoreTo: startedAt,
    dryRun: false,
    force: false,
    local: false,
    artifactsPrefix: artifactsPrefixFor(name),
    parameterPrefix: parameterPrefixFor(mode, name),
    stackName: stackNameFor("shop-dr", mode, suffix),
    suffix,
  };
  return { ...base, ...overrides };
}

/** One plan entry (as planRestores writes it) for a resource of the given type. */
export function plannedRestore(name: string, type: PlannedRestore["type"] = "rds"): PlannedRestore {
  return {
    name,
    type,
    sourceArn: `arn:aws:rds:${PRIMARY_REGION}:${ACCOUNT}:db:${name}`,
    recoveryPointArn: `arn:aws:backup:${RECOVERY_REGION}:${ACCOUNT}:recovery-point:${name}`,
    recoveryPointCreatedAt: "2026-03-01T08:35:00.000Z",
    rpoSeconds: 1500,
    targetName: `${name}-abc123`,
    dependsOn: [],
    metadata: { DBInstanceIdentifier: `${name}-abc123` },
  };
}

/** One jobs-document entry (a restore job started for `name`); override any field. */
export function jobRecord(name: string, overrides: Partial<RestoreJobRecord> = {}): RestoreJobRecord {
  return {
    name,
    type: "rds",
    recoveryPointArn: `arn:aws:backup:${RECOVERY_REGION}:${ACCOUNT}:recovery-point:${name}`,
    restoreJobId: `job-${name}-1`,
    attempt: 1,
    status: "RUNNING",
    startedAt: "2026-03-01T09:02:00.000Z",
    previousJobIds: [],
    ...overrides,
  };
}

/** A GetObject body the SDK accepts: a Readable with the SDK's stream mixin methods. */
export function objectBody(text: string) {
  const bytes = Buffer.from(text, "utf8");
  return Object.assign(Readable.from([bytes]), {
    transformToString: async (encoding?: string) => bytes.toString((encoding ?? "utf8") as BufferEncoding),
    transformToByteArray: async () => new Uint8Array(bytes),
    transformToWebStream: () => {
      throw new Error("transformToWebStream is not supported by the test body");
    },
  });
}

export interface MemoryS3 {
  /** The real client whose `send` is mocked (only this instance). */
  client: S3Client;
  mock: ReturnType<typeof mockClient>;
  /** Objects by "bucket/key". */
  objects: Map<string, string>;
  /** The real s3Api wrapper over the mocked client. */
  api: S3Api;
  store: ArtifactStore;
  bucket: string;
  /** Stores a JSON document (pretty-printed like ArtifactStore does). */
  putJson(key: string, value: unknown): void;
  /** Parsed JSON at key, or undefined. */
  getJson<T = unknown>(key: string): T | undefined;
  /** Stores config/<app>.json. */
  putConfig(config?: AppConfigInput): void;
  /** The stored config/<app>.json as the handlers' runConfig loads it (for the steps' deps.config). */
  config(app?: string): AppConfig;
  /** Keys written with PutObject, in order (repeats included). */
  puts: string[];
}

/**
 * In-memory S3 behind aws-sdk-client-mock: GetObject answers from `objects` (NoSuchKey when
 * absent), PutObject stores the body. Mocks one client instance, so tests can run in parallel
 * with other mocks of S3Client.
 */
export function memoryS3(bucket = BUCKET): MemoryS3 {
  const client = new S3Client({ region: RECOVERY_REGION });
  const mock = mockClient(client);
  const objects = new Map<string, string>();
  const puts: string[] = [];
  mock.on(GetObjectCommand).callsFake((input: { Bucket?: string; Key?: string }) => {
    const text = objects.get(`${input.Bucket}/${input.Key}`);
    if (text === undefined) {
      throw new NoSuchKey({
        message: "The specified key does not exist.",
        $metadata: { httpStatusCode: 404 },
      });
    }
    return { Body: objectBody(text), ContentType: "application/json" };
  });
  mock.on(PutObjectCommand).callsFake(async (input: { Bucket?: string; Key?: string; Body?: unknown }) => {
    const body = input.Body;
    const text =
      typeof body === "string"
        ? body
        : body instanceof Uint8Array
          ? Buffer.from(body).toString("utf8")
          : String(body ?? "");
    objects.set(`${input.Bucket}/${input.Key}`, text);
    puts.push(String(input.Key));
    return { ETag: `"${puts.length}"` };
  });
  mock.on(DeleteObjectCommand).callsFake(async (input: { Bucket?: string; Key?: string }) => {
    objects.delete(`${input.Bucket}/${input.Key}`);
    return {};
  });
  const api = s3Api(client);
  const store = new ArtifactStore(api, bucket);
  return {
    client,
    mock: mock as unknown as ReturnType<typeof mockClient>,
    objects,
    api,
    store,
    bucket,
    puts,
    putJson(key, value) {
      objects.set(`${bucket}/${key}`, `${JSON.stringify(value, null, 2)}\n`);
    },
    getJson<T = unknown>(key: string): T | undefined {
      const text = objects.get(`${bucket}/${key}`);
      return text === undefined ? undefined : (JSON.parse(text) as T);
    },
    putConfig(config = appConfigInput()) {
      objects.set(`${bucket}/${configKey(config.app)}`, JSON.stringify(config));
    },
    config(app = APP) {
      return AppConfig.parse(JSON.parse(objects.get(`${bucket}/${configKey(app)}`) ?? "null"));
    },
  };
}
