/**
 * The world's entities. Every time is epoch milliseconds of virtual time; states are computed
 * from those times and the clock when asked (lazily), and `settle()` in the world removes what
 * has finished deleting and materializes what finished creating.
 */
import type { ResourceType } from "../../../functions/shared/config.js";
import type { Scenario, ScenarioResource } from "../scenario.js";
import type { SandboxOutput, ServiceName } from "../types.js";
import type { Stack } from "./cfn/stack.js";
import type { FaultBook } from "./faults.js";
import type { NetworkShape } from "./naming.js";

export type Tags = Record<string, string>;

/** Simulated durations of the operations a scenario does not time itself (seconds). */
export const TIMINGS = {
  /** A restore job is PENDING this long before RUNNING for restoreSeconds (+ extraSeconds). */
  restorePendingSeconds: 30,
  rdsCreateInstanceSeconds: 300,
  rdsDeleteSeconds: 120,
  ec2TerminateSeconds: 30,
  terminatedVisibleSeconds: 3600, // "visible … for approximately one hour" (TerminateInstances)
  volumeAttachSeconds: 5,
  volumeDetachSeconds: 10,
  volumeDeleteSeconds: 5,
  mountTargetCreateSeconds: 60,
  mountTargetDeleteSeconds: 30,
  efsDeleteSeconds: 20,
  tableDeleteSeconds: 20,
  stackRollbackSeconds: 60,
  stackDeleteSeconds: 120,
  commandSeconds: 5,
} as const;

interface Lifecycle {
  createdAt: number;
  /** When it became usable (available / ACTIVE / running). */
  readyAt: number;
  /** When deletion started. */
  deletingAt?: number;
  /** When it disappears from the API (removed by settle). */
  goneAt?: number;
  tags: Tags;
  /** Restore job that created it. */
  createdByJob?: string;
  deletionProtection?: boolean; // RDS DeletionProtection, DynamoDB …Enabled, EC2 DisableApiTermination
}

export interface DbInstance extends Lifecycle {
  id: string;
  arn: string;
  resourceId: string;
  instanceClass: string;
  engine: string;
  engineVersion: string;
  clusterId?: string;
  subnetGroup: string;
  sgIds: string[];
  az: string;
  multiAz: boolean;
  port: number;
  endpoint: string;
  storageGiB: number;
}

export interface DbCluster extends Lifecycle {
  id: string;
  arn: string;
  resourceId: string;
  engine: string;
  engineVersion: string;
  subnetGroup: string;
  sgIds: string[];
  azs: string[];
  port: number;
  endpoint: string;
  readerEndpoint: string;
}

export interface Attachment {
  instanceId: string;
  device: string;
  attachedAt: number;
  /** When the attachment is complete (state attached). */
  readyAt: number;
  detachingAt?: number;
  /** When the volume becomes available again. */
  detachedAt?: number;
}

export interface Instance extends Lifecycle {
  id: string;
  arn: string;
  instanceType: string;
  imageId: string;
  az: string;
  subnetId: string;
  vpcId: string;
  sgIds: string[];
  privateIp: string;
  /** Status checks: ok when true, impaired when false. */
  healthy: boolean;
  stackId?: string;
}

export interface Volume extends Lifecycle {
  id: string;
  arn: string;
  az: string;
  sizeGiB: number;
  volumeType: string;
  encrypted: boolean;
  iops: number;
  snapshotId?: string;
  attachment?: Attachment;
}

export interface FileSystem extends Lifecycle {
  id: string;
  arn: string;
  creationToken: string;
  encrypted: boolean;
  performanceMode: string;
  sizeBytes: number;
}

export interface MountTarget extends Lifecycle {
  id: string;
  fileSystemId: string;
  subnetId: string;
  az: string;
  vpcId: string;
  ip: string;
  sgIds: string[];
  eni: string;
}

export interface Table extends Lifecycle {
  name: string;
  arn: string;
  tableId: string;
  itemCount: number;
  sizeBytes: number;
}

export type { Stack, StackEvent, StackParameter, StackResource } from "./cfn/stack.js";

export interface Parameter {
  name: string;
  type: string;
  value: string;
  version: number;
  modifiedAt: number;
  description?: string;
  tags: Tags;
}

export interface CommandResult {
  status: "InProgress" | "Success" | "Failed";
  stdout: string;
  stderr: string;
}

export interface Command {
  id: string;
  document: string;
  comment: string;
  instanceIds: string[];
  commands: string[];
  requestedAt: number;
  doneAt: number;
  results: Record<string, { status: "Success" | "Failed"; stdout: string; stderr: string }>;
}

export interface RecoveryPoint {
  arn: string;
  resource: ScenarioResource;
  vault: string;
  createdAt: number;
  completedAt: number;
  sizeBytes: number;
  /** The copy's source: ARN of the resource in the primary region. */
  resourceArn: string;
  /** 0 = newest at t=0; older ones 1, 2, …; copies made after t=0 -1, -2, … */
  index: number;
  /** The copy's own tags (the source resource's, copied by AWS Backup). */
  tags: Tags;
}

export interface RestoreJob {
  id: string;
  recoveryPointArn: string;
  resource: ScenarioResource;
  resourceType: string;
  roleArn: string;
  metadata: Record<string, string>;
  token?: string;
  createdAt: number;
  /** RUNNING from here. */
  runningAt: number;
  /** COMPLETED / FAILED / ABORTED at this time. */
  endsAt: number;
  fate: "COMPLETED" | "FAILED" | "ABORTED";
  fateMessage?: string;
  /** Whole-job estimate (minutes, from restoreSeconds only): ExpectedCompletionTimeMinutes of the linear progress model. */
  expectedMinutes: number;
  sizeBytes: number;
  /** Set when the job completed and its resource exists. */
  createdResourceArn?: string;
  materialized: boolean;
  copyTags: boolean;
}

export interface OpsItem {
  id: string;
  arn: string;
  title: string;
  description: string;
  source: string;
  severity?: string;
  category?: string;
  operationalData: Record<string, string>;
  createdAt: number;
}

export interface SnsMessage {
  messageId: string;
  topicArn: string;
  subject?: string;
  message: string;
  at: number;
}

export interface DnsChange {
  id: string;
  submittedAt: number;
  insyncAt: number;
  comment?: string;
}

export interface RecordSet {
  name: string;
  type: string;
  ttl?: number;
  values: string[];
  alias?: { hostedZoneId: string; dnsName: string; evaluateTargetHealth: boolean };
}

export interface Subnet {
  id: string;
  vpcId: string;
  az: string;
  cidr: string;
  tags: Tags;
}

export interface SecurityGroup {
  id: string;
  name: string;
  vpcId: string;
  description: string;
  tags: Tags;
}

export class Region {
  readonly vpcs = new Map<string, { id: string; cidr: string; isDefault: boolean; tags: Tags }>();
  readonly subnets = new Map<string, Subnet>();
  readonly securityGroups = new Map<string, SecurityGroup>();
  readonly dbSubnetGroups = new Map<string, { name: string; vpcId: string; subnetIds: string[] }>();
  readonly dbInstances = new Map<string, DbInstance>();
  readonly dbClusters = new Map<string, DbCluster>();
  readonly instances = new Map<string, Instance>();
  readonly volumes = new Map<string, Volume>();
  readonly fileSystems = new Map<string, FileSystem>();
  readonly mountTargets = new Map<string, MountTarget>();
  readonly tables = new Map<string, Table>();
  readonly stacks: Stack[] = [];
  readonly parameters = new Map<string, Parameter>();
  readonly commands = new Map<string, Command>();
  readonly opsItems: OpsItem[] = [];
  readonly messages: SnsMessage[] = [];
  readonly topics = new Set<string>(); // SNS topic ARNs (CreateTopic)
  readonly vaults = new Map<string, { name: string; arn: string; createdAt: number }>();
  /** Newest first. */
  readonly recoveryPoints: RecoveryPoint[] = [];
  readonly restoreJobs = new Map<string, RestoreJob>();
  readonly restoreTokens = new Map<string, string>();
  /** Integration calls (PutParameter, AttachVolume, SendCommand): when called, when their effect is done. */
  readonly integrationMarks: { calledAt: number; doneAt: number; what: string }[] = [];

  constructor(
    readonly name: string,
    readonly network: NetworkShape | undefined,
  ) {}

  /** AZ names of the region's network subnets (the DR AZs for the recovery region). */
  get azs(): string[] {
    return [...new Set([...this.subnets.values()].map((s) => s.az))];
  }
}

/** What a service handler gets. */
export interface Ctx {
  world: WorldCore;
  region: Region;
  service: ServiceName;
  operation: string;
  input: Record<string, unknown>;
  /** Virtual time of the call (ms). */
  now: number;
}

export type Handler = (ctx: Ctx) => SandboxOutput;
export type Handlers = Record<string, Handler>;

/** The world as the service handlers see it. */
export interface WorldCore {
  readonly scenario: Scenario;
  readonly app: string;
  readonly account: string;
  readonly primary: Region;
  readonly recovery: Region;
  readonly faults: FaultBook;
  readonly port: number;
  /** A deterministic hex string, unique per call. */
  nextHex(kind: string, length?: number): string;
  nextUuid(kind: string): string;
  /** Runs `run(at)` when the virtual clock reaches `at` (the world's event queue, schedule.ts). */
  schedule(at: number, run: (at: number) => void): void;
  /** Index: id/ARN/job id → scenario resource name (for `resource` faults and leftovers). */
  remember(key: string, resourceName: string): void;
  resourceByName(name: string): ScenarioResource | undefined;
  typeOf(name: string): ResourceType | undefined;
  readonly s3: Map<
    string,
    Map<string, { body: string; contentType: string; modifiedAt: number; etag: string }>
  >;
  readonly dns: {
    zoneId: string;
    zoneName: string;
    records: RecordSet[];
    changes: Map<string, DnsChange>;
  };
}
