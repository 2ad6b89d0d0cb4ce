/**
 * The sandbox backend: an in-memory world of the scenario's two regions (primary and recovery)
 * that answers AWS API calls shaped like the SDK v3 inputs/outputs, on the virtual clock, with
 * the scenario's faults. Progress (restore jobs, stacks, DNS changes, deletions) is computed
 * lazily from the clock on each call.
 */
import type { Clock } from "../clock.js";
import type { SandboxIam } from "../iam/index.js";
import { appName, type Scenario } from "../scenario.js";
import {
  type Caller,
  type SandboxBackend,
  type SandboxCall,
  SandboxError,
  type SandboxOutput,
  type ServiceName,
  UnknownOperation,
} from "../types.js";
import { FaultBook, stepOfCaller } from "./faults.js";
import { dispatchTable } from "./handlers.js";
import { appHealth, type HealthAnswer } from "./health.js";
import { runLeftovers } from "./leftovers.js";
import { type Ctx, Region, type WorldCore } from "./model.js";
import { hashHex, hostedZoneId, primaryNetwork, uuidFrom } from "./naming.js";
import { resourcesIn } from "./resource-refs.js";
import { EventQueue } from "./schedule.js";
import { ec2CopyHandlers, withSnapshotTags } from "./services/backup/copies.js";
import { withDeletionProtection } from "./services/backup/protection.js";
import { backupHandlers, seedVault } from "./services/backup.js";
import { cloudFormationHandlers, stackStatus } from "./services/cloudformation.js";
import { dynamodbHandlers, tableStatus } from "./services/dynamodb.js";
import { ec2Handlers, instanceState, seedNetwork, seedPrimary, volumeState } from "./services/ec2.js";
import { efsHandlers, fsState } from "./services/efs.js";
import { dbClusterStatus, dbInstanceStatus, rdsHandlers } from "./services/rds.js";
import { route53Handlers, seedZone } from "./services/route53.js";
import { s3Handlers } from "./services/s3.js";
import { snsHandlers } from "./services/sns.js";
import { ssmHandlers } from "./services/ssm.js";

export { type HealthAnswer, healthForHost } from "./health.js";
export { TIMINGS } from "./model.js";
export * from "./naming.js";

export interface WorldOptions {
  /** Port of the sandbox HTTP server. Can be set later with setPort. */
  port: number;
}

export interface CallRecord {
  at: string;
  service: ServiceName;
  operation: string;
  region: string;
  step: ReturnType<typeof stepOfCaller> /* the drctl step that called (undefined: another client) */;
  error?: string;
}

export interface WorldSnapshot {
  now: string;
  region: string;
  dbInstances: {
    id: string;
    arn: string;
    status: string;
    endpoint: string;
    clusterId?: string;
    tags: Record<string, string>;
  }[];
  dbClusters: {
    id: string;
    arn: string;
    status: string;
    endpoint: string;
    members: string[];
    tags: Record<string, string>;
  }[];
  instances: {
    id: string;
    state: string;
    az: string;
    subnetId: string;
    stackId?: string;
    tags: Record<string, string>;
  }[];
  volumes: {
    id: string;
    state: string;
    az: string;
    attachedTo?: string;
    device?: string;
    tags: Record<string, string>;
  }[];
  fileSystems: {
    id: string;
    arn: string;
    state: string;
    mountTargets: string[];
    tags: Record<string, string>;
  }[];
  tables: { name: string; arn: string; status: string; tags: Record<string, string> }[];
  stacks: { id: string; name: string; status: string; tags: Record<string, string> }[];
  restoreJobs: { id: string; resource: string; status: string; createdResourceArn?: string }[];
  parameters: Record<string, string>;
  dns: { zoneId: string; record: string; type: string; values: string[]; changed: boolean; changes: number };
  messages: { topicArn: string; subject?: string; message: string; at: string }[];
  opsItems: { id: string; title: string; severity?: string; at: string }[];
  mounts: { commandId: string; instanceIds: string[]; commands: string[] }[];
}

const PROTECTED = withDeletionProtection({
  rds: withSnapshotTags(rdsHandlers),
  dynamodb: dynamodbHandlers,
  ec2: { ...ec2Handlers, ...ec2CopyHandlers },
});

/** The world's dispatch table: every operation it answers, per service. */
export const HANDLERS = dispatchTable({
  backup: backupHandlers,
  rds: PROTECTED.rds,
  ec2: PROTECTED.ec2,
  efs: efsHandlers,
  dynamodb: PROTECTED.dynamodb,
  cloudformation: cloudFormationHandlers,
  route53: route53Handlers,
  ssm: ssmHandlers,
  sns: snsHandlers,
  s3: s3Handlers,
});

export class World implements SandboxBackend, WorldCore {
  readonly app: string;
  readonly account: string;
  readonly primary: Region;
  readonly recovery: Region;
  readonly faults: FaultBook;
  readonly s3: WorldCore["s3"] = new Map();
  readonly dns: WorldCore["dns"];
  /** Every call the world answered, in order. */
  readonly calls: CallRecord[] = [];
  private readonly others = new Map<string, Region>();
  private readonly registered = new Map<ServiceName, SandboxBackend>();
  private readonly index = new Map<string, string>();
  private readonly resourceNames: ReadonlySet<string>;
  /** What finishes at a known virtual time (schedule.ts). */
  readonly events = new EventQueue();
  private seq = 0;
  private portValue: number;
  /** IAM enforcement (on in local runs; see useIam). */
  private iamValue: SandboxIam | undefined;

  constructor(
    readonly scenario: Scenario,
    readonly clock: Clock,
    opts: WorldOptions,
  ) {
    this.app = appName(scenario);
    this.account = scenario.account;
    this.portValue = opts.port;
    this.faults = new FaultBook(scenario);
    this.resourceNames = new Set(scenario.resources.map((r) => r.name));
    this.primary = new Region(scenario.regions.primary, primaryNetwork(scenario));
    this.recovery = new Region(scenario.regions.recovery, scenario.network);
    this.dns = {
      zoneId: hostedZoneId(scenario),
      zoneName: scenario.dns.hostedZone.toLowerCase(),
      records: [],
      changes: new Map(),
    };
    const t0 = clock.now().getTime();
    seedNetwork(this, this.primary, t0);
    seedNetwork(this, this.recovery, t0);
    seedPrimary(this, t0);
    seedVault(this, t0);
    seedZone(this);
    for (const r of scenario.resources) this.remember(r.name, r.name);
  }

  get port(): number {
    return this.portValue;
  }

  /** The sandbox server's port, once it listens (HealthUrl outputs use it). */
  setPort(port: number): void {
    this.portValue = port;
  }

  /** Authorizes every call with IAM from now on (undefined: off). */
  useIam(iam: SandboxIam | undefined): void {
    this.iamValue = iam;
  }

  get iam(): SandboxIam | undefined {
    return this.iamValue;
  }

  /** Plugs in another service's backend (the SFN emulation registers "sfn"). */
  register(service: ServiceName, backend: SandboxBackend): void {
    this.registered.set(service, backend);
  }

  async call(call: SandboxCall, caller: Caller = {}): Promise<SandboxOutput> {
    const now = this.clock.now().getTime();
    this.settle(now);
    const record: CallRecord = {
      at: new Date(now).toISOString(),
      service: call.service,
      operation: call.operation,
      region: call.region,
      step: stepOfCaller(caller),
    };
    this.calls.push(record);
    try {
      // IAM first: AWS authorizes a request before the service acts on it.
      const authorized = this.iamValue?.authorize(this, call, caller, now);
      await this.faults.apply(call.service, call.operation, () => this.resourcesIn(call.input), caller);
      const other = this.registered.get(call.service);
      if (other) return await other.call(call);
      const handler = HANDLERS[call.service]?.[call.operation];
      if (!handler) throw new UnknownOperation(call.service, call.operation);
      const ctx: Ctx = {
        world: this,
        region: this.regionFor(call),
        service: call.service,
        operation: call.operation,
        input: call.input ?? {},
        now,
      };
      const output = structuredClone(handler(ctx));
      authorized?.();
      return output;
    } catch (err) {
      record.error = err instanceof SandboxError ? err.code : String(err);
      throw err;
    }
  }

  nextHex(kind: string, length = 17): string {
    this.seq += 1;
    let out = "";
    for (let i = 0; out.length < length; i++)
      out += hashHex(this.scenario.name, kind, String(this.seq), String(i));
    return out.slice(0, length);
  }

  nextUuid(kind: string): string {
    this.seq += 1;
    return uuidFrom(this.scenario.name, kind, String(this.seq));
  }

  remember(key: string, resourceName: string): void {
    this.index.set(key, resourceName);
  }

  resourceByName(name: string) {
    return this.scenario.resources.find((r) => r.name === name);
  }

  typeOf(name: string) {
    return this.resourceByName(name)?.type;
  }

  /** Region state for a region name (regions outside the scenario exist, empty). */
  region(name: string): Region {
    if (name === this.primary.name) return this.primary;
    if (name === this.recovery.name) return this.recovery;
    let r = this.others.get(name);
    if (!r) {
      r = new Region(name, undefined);
      this.others.set(name, r);
    }
    return r;
  }

  private regionFor(call: SandboxCall): Region {
    return this.region(call.region);
  }

  /** Scenario resource names a request refers to: by id, ARN, restore job id or identifier prefix. */
  resourcesIn(input: unknown): Set<string> {
    return resourcesIn(input, this.index, this.resourceNames);
  }

  schedule(at: number, run: (at: number) => void): void {
    this.events.schedule(at, run);
  }

  /**
   * Applies everything that finished by `now`, from the time-ordered event queue: new backups
   * arrive, restores create resources, stacks launch their instances, deletions and detachments end.
   */
  settle(now = this.clock.now().getTime()): void {
    this.events.runDue(now);
  }

  /** What exists in the recovery region now, plus DNS, messages and OpsItems. */
  inspect(): WorldSnapshot {
    const now = this.clock.now().getTime();
    this.settle(now);
    const r = this.recovery;
    const params: Record<string, string> = {};
    for (const p of [...r.parameters.values()].sort((a, b) => a.name.localeCompare(b.name)))
      params[p.name] = p.value;
    const record = this.dnsRecord();
    return {
      now: new Date(now).toISOString(),
      region: r.name,
      dbInstances: [...r.dbInstances.values()].map((d) => ({
        id: d.id,
        arn: d.arn,
        status: dbInstanceStatus(d, now),
        endpoint: d.endpoint,
        ...(d.clusterId ? { clusterId: d.clusterId } : {}),
        tags: { ...d.tags },
      })),
      dbClusters: [...r.dbClusters.values()].map((c) => ({
        id: c.id,
        arn: c.arn,
        status: dbClusterStatus(c, now),
        endpoint: c.endpoint,
        members: [...r.dbInstances.values()].filter((i) => i.clusterId === c.id).map((i) => i.id),
        tags: { ...c.tags },
      })),
      instances: [...r.instances.values()].map((i) => ({
        id: i.id,
        state: instanceState(i, now).Name,
        az: i.az,
        subnetId: i.subnetId,
        ...(i.stackId ? { stackId: i.stackId } : {}),
        tags: { ...i.tags },
      })),
      volumes: [...r.volumes.values()].map((v) => ({
        id: v.id,
        state: volumeState(v, now),
        az: v.az,
        ...(v.attachment ? { attachedTo: v.attachment.instanceId, device: v.attachment.device } : {}),
        tags: { ...v.tags },
      })),
      fileSystems: [...r.fileSystems.values()].map((f) => ({
        id: f.id,
        arn: f.arn,
        state: fsState(f, now),
        mountTargets: [...r.mountTargets.values()].filter((m) => m.fileSystemId === f.id).map((m) => m.id),
        tags: { ...f.tags },
      })),
      tables: [...r.tables.values()].map((t) => ({
        name: t.name,
        arn: t.arn,
        status: tableStatus(t, now),
        tags: { ...t.tags },
      })),
      stacks: r.stacks.map((s) => ({
        id: s.id,
        name: s.name,
        status: stackStatus(s, now),
        tags: { ...s.tags },
      })),
      restoreJobs: [...r.restoreJobs.values()].map((j) => ({
        id: j.id,
        resource: j.resource.name,
        status: j.endsAt <= now ? j.fate : j.runningAt <= now ? "RUNNING" : "PENDING",
        ...(j.createdResourceArn ? { createdResourceArn: j.createdResourceArn } : {}),
      })),
      parameters: params,
      dns: {
        zoneId: this.dns.zoneId,
        record: this.scenario.dns.record,
        type: record?.type ?? "CNAME",
        values: record ? (record.alias ? [record.alias.dnsName] : [...record.values]) : [],
        changed:
          !record ||
          record.alias !== undefined ||
          record.values.join(",") !== this.scenario.dns.primaryTarget,
        changes: this.dns.changes.size,
      },
      messages: [...this.primary.messages, ...r.messages].map((m) => ({
        topicArn: m.topicArn,
        ...(m.subject !== undefined ? { subject: m.subject } : {}),
        message: m.message,
        at: new Date(m.at).toISOString(),
      })),
      opsItems: [...this.primary.opsItems, ...r.opsItems].map((o) => ({
        id: o.id,
        title: o.title,
        ...(o.severity !== undefined ? { severity: o.severity } : {}),
        at: new Date(o.createdAt).toISOString(),
      })),
      mounts: [...r.commands.values()].map((c) => ({
        commandId: c.id,
        instanceIds: [...c.instanceIds],
        commands: [...c.commands],
      })),
    };
  }

  /** The production record's current value set (CNAME or alias). */
  dnsRecord() {
    const name = this.scenario.dns.record.toLowerCase();
    return this.dns.records.find((r) => r.name === name && (r.type === "CNAME" || r.type === "A"));
  }

  /** What a run left behind (ARNs): see runLeftovers (./leftovers.ts). */
  leftovers(runName: string, extraJobIds: string[] = []): string[] {
    this.settle();
    const regions = [this.primary, this.recovery, ...this.others.values()];
    return runLeftovers(this, regions, runName, this.clock.now().getTime(), extraJobIds);
  }

  /** The DR app's health (see ./health.ts). */
  health(regionName: string, stackName: string): HealthAnswer {
    return appHealth(this, regionName, stackName);
  }
}

export function createWorld(scenario: Scenario, clock: Clock, opts: WorldOptions): World {
  return new World(scenario, clock, opts);
}
