/**
 * The world's entities. Every time is epoch milliseconds of virtual time; states are computed
 * from those times and the clock when asked (lazily), and `settle()` in the world removes what
 * has finished deleting and materializes what finished creating.
 */
import type { ResourceType } from "../../../functions/shared/config.js";
import type { Scenario, ScenarioResource } from "../scenario.js";
import type { SandboxOutput, ServiceName } from "../types.js";
import type { Stack } from "./cfn/stack.js";
import type {
  Command,
  DbCluster,
  DbInstance,
  DnsChange,
  FileSystem,
  Instance,
  MetricAlarm,
  MountTarget,
  OpsItem,
  Parameter,
  RecordSet,
  RecoveryPoint,
  RestoreJob,
  SecurityGroup,
  SnsMessage,
  Subnet,
  Table,
  Volume,
} from "./entities.js";
import type { FaultBook } from "./faults.js";
import type { NetworkShape } from "./naming.js";

export type Tags = Record<string, string>;

/** Simulated durations of the operations a scenario does not time itself (seconds). */
export const TIMINGS = {
  /** A restore job is PENDING this long before RUNNING for restoreSeconds (+ extraSeconds). */
  restorePendingSeconds: 30,
  /**
   * A backup job in the primary runs this long; its cross-region copy job then starts and the
   * copy is in the recovery vault, CREATING, until it completes.
   */
  backupJobSeconds: 60,
  /** From a backup's start until its copy is COMPLETED in the recovery vault (scenario `copyMinutes`). */
  copySeconds: 240,
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

export type { Stack, StackEvent, StackParameter, StackResource } from "./cfn/stack.js";
export type * from "./entities.js";

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
  /** CloudWatch metric alarms by name. */
  readonly alarms = new Map<string, MetricAlarm>();
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
