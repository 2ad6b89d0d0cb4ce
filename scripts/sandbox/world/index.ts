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
import { HANDLERS } from "./dispatch-table.js";
import { FaultBook, stepOfCaller } from "./faults.js";
import { appHealth, type HealthAnswer } from "./health.js";
import { runLeftovers } from "./leftovers.js";
import { type Ctx, Region, type WorldCore } from "./model.js";
import { hashHex, hostedZoneId, primaryNetwork, uuidFrom } from "./naming.js";
import { resourcesIn } from "./resource-refs.js";
import { EventQueue } from "./schedule.js";
import { seedVault } from "./services/backup.js";
import { seedAlarms } from "./services/cloudwatch.js";
import { seedNetwork, seedPrimary } from "./services/ec2.js";
import { seedZone } from "./services/route53.js";
import { snapshotOf, type WorldSnapshot } from "./snapshot.js";

export { HANDLERS } from "./dispatch-table.js";
export { type HealthAnswer, healthForHost } from "./health.js";
export { TIMINGS } from "./model.js";
export * from "./naming.js";
export type { WorldSnapshot } from "./snapshot.js";

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
    seedAlarms(this, t0);
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
    return snapshotOf(this, now);
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
