/**
 * Failover against the sandbox's World (tests/support/step-world.ts): the DR stack is created in
 * the World (its load balancer's outputs), the production record lives in the World's Route 53
 * zone (changes PENDING, INSYNC after the scenario's propagation time), the calls signed as the
 * failover function under its synthesized IAM (which allows changes to that one record only).
 */
import { Route53Client } from "@aws-sdk/client-route-53";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { type FailoverDeps, type FailoverEvent, failover } from "../../../functions/failover/failover.js";
import { handler } from "../../../functions/failover/handler.js";
import { route53Api } from "../../../functions/shared/aws/route53.js";
import type { AppConfig } from "../../../functions/shared/config.js";
import { localContext } from "../../../functions/shared/middleware.js";
import { type RunContext, runTags, type StackState } from "../../../functions/shared/types.js";
import { runContext } from "../../support/fixtures.js";
import { type StepWorld, stepClient, stepWorld } from "../../support/step-world.js";

let w: StepWorld;
let stack: StackState;
let stackName: string;
let drAlb: string;
let albZone: string;
let primary: string;
let record: string;
let runs = 0;

/** A failover run of its own (its submission document is per run). */
const failoverRun = (): RunContext =>
  runContext({
    mode: "failover",
    startedAt: new Date(Date.parse("2026-03-01T09:00:00Z") + ++runs * 60_000).toISOString(),
  });

/** The World (the step's IAM on or off) and the DR stack of the failover. */
async function open(iam: boolean) {
  w = await stepWorld("failover", { iam });
  primary = w.scenario.dns.primaryTarget;
  record = w.config.dns.record;
  const run = failoverRun();
  const stackId = await w.createStack(run.stackName, run.parameterPrefix, runTags(run));
  const described = await w.seed("cloudformation", "DescribeStacks", { StackName: stackId });
  const [created] = described.Stacks as {
    StackStatus: string;
    Outputs: { OutputKey: string; OutputValue: string }[];
  }[];
  const output = (key: string) => created?.Outputs.find((o) => o.OutputKey === key)?.OutputValue ?? "";
  drAlb = output("LoadBalancerDnsName");
  albZone = output("LoadBalancerHostedZoneId");
  stackName = run.stackName;
  // As CheckStack left it in $.recovery.stack.
  const startedAt = w.now().toISOString();
  stack = {
    stackId,
    status: created?.StackStatus ?? "",
    done: true,
    waitSeconds: 1,
    startedAt,
    completedAt: startedAt,
  };
}
beforeAll(() => open(true));
afterAll(async () => {
  await w.close();
});

/** The zone's production record back to the primary CNAME, whatever a case left there. */
beforeEach(async () => {
  const zone = w.config.dns.hostedZoneId;
  const listed = await w.seed("route53", "ListResourceRecordSets", { HostedZoneId: zone });
  const sets = (listed.ResourceRecordSets as { Name: string; Type: string }[]).filter(
    (r) => r.Name === record && (r.Type === "A" || r.Type === "CNAME"),
  );
  const changes = [
    ...sets.map((ResourceRecordSet) => ({ Action: "DELETE", ResourceRecordSet })),
    {
      Action: "CREATE",
      ResourceRecordSet: { Name: record, Type: "CNAME", TTL: 60, ResourceRecords: [{ Value: primary }] },
    },
  ];
  await w.seed("route53", "ChangeResourceRecordSets", {
    HostedZoneId: zone,
    ChangeBatch: { Changes: changes },
  });
});

const deps = (config: AppConfig = w.config): FailoverDeps => ({
  config,
  store: w.store,
  cloudformation: w.apis.cloudformation,
  route53: route53Api(stepClient(w, "failover", Route53Client, "ROUTE_53", "us-east-1")),
  now: w.now,
});
/** The config with an alias A record to the load balancer (its zone from the stack's output). */
const aliasConfig = (): AppConfig => ({
  ...w.config,
  dns: { ...w.config.dns, type: "A" },
  stack: { ...w.config.stack, loadBalancerZoneOutput: "LoadBalancerHostedZoneId" },
});
const submit = (run: RunContext): FailoverEvent => ({ action: "submit", run, stack });
const changes = (since: number) => w.requests("ChangeResourceRecordSets").slice(since);
/** The record's values in the World's zone now. */
const current = () => w.world.dnsRecord();

describe("failover submit", () => {
  it("UPSERTs the record to the DR load balancer with a comment naming the run", async () => {
    // Prepare
    const run = failoverRun();
    const mark = w.requests("ChangeResourceRecordSets").length;
    // Act
    const dns = await failover(submit(run), deps());
    // Assess
    expect(dns).toEqual({
      changed: true,
      record,
      from: primary,
      to: drAlb,
      changeId: expect.any(String),
      status: "PENDING",
      waitSeconds: dns.waitSeconds,
      submittedAt: w.now().toISOString(),
    });
    expect(dns.waitSeconds).toBeGreaterThanOrEqual(10);
    expect(dns.waitSeconds).toBeLessThanOrEqual(60);
    expect(changes(mark).map((r) => r.input)).toEqual([
      {
        HostedZoneId: w.config.dns.hostedZoneId,
        ChangeBatch: {
          Comment: `drctl ${run.name}: fail over ${record} to us-west-2`,
          Changes: [
            {
              Action: "UPSERT",
              ResourceRecordSet: {
                Name: record,
                Type: "CNAME",
                TTL: 60,
                ResourceRecords: [{ Value: drAlb }],
              },
            },
          ],
        },
      },
    ]);
    expect(current()).toMatchObject({ type: "CNAME", values: [drAlb] });
  });

  it("refuses in a drill without touching Route 53", async () => {
    // Prepare
    const mark = w.requests().length;
    // Act
    const err = await failover(submit(runContext()), deps()).catch((e: unknown) => e);
    // Assess
    expect(err).toMatchObject({ name: "DnsChangeFailed" });
    expect((err as Error).message).toContain("refusing to change DNS in a drill");
    expect(w.requests().slice(mark)).toEqual([]);
    expect(current()).toMatchObject({ values: [primary] });
  });

  it("IAM: a config changed to an alias A record without a redeploy is refused by the deployed policy", async () => {
    const err = await failover(submit(failoverRun()), deps(aliasConfig())).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "DnsChangeFailed" });
    expect(w.requests("ChangeResourceRecordSets").at(-1)?.error).toBe("AccessDenied");
    expect(current()).toMatchObject({ type: "CNAME", values: [primary] });
  });

  it("names a missing load balancer output, with the outputs the stack has", async () => {
    const config: AppConfig = {
      ...w.config,
      stack: { ...w.config.stack, loadBalancerOutput: "LoadBalancerDns" },
    };
    const err = await failover(submit(failoverRun()), deps(config)).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "DnsChangeFailed" });
    expect((err as Error).message).toMatch(
      new RegExp(
        `^stack ${stackName} has no output LoadBalancerDns \\(config stack.loadBalancerOutput\\); outputs: .*LoadBalancerDnsName`,
      ),
    );
  });

  it("IAM: a change to another record of the zone is refused by the step's policy", async () => {
    const other = record.replace(/^[^.]+/, "admin");
    const config: AppConfig = { ...w.config, dns: { ...w.config.dns, record: other } };
    const err = await failover(submit(failoverRun()), deps(config)).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "DnsChangeFailed" });
    expect(w.requests("ChangeResourceRecordSets").at(-1)?.error).toBe("AccessDenied");
  });
});

describe("failover submit, run again (Task retry or redrive)", () => {
  it("follows the change it submitted before instead of a second UPSERT, and keeps the record's previous value", async () => {
    // Prepare
    const run = failoverRun();
    const mark = w.requests("ChangeResourceRecordSets").length;
    const first = await failover(submit(run), deps());
    w.advance(30);
    // Act: the UPSERT landed, the record points at the DR load balancer already.
    const again = await failover(submit(run), deps());
    // Assess
    expect(changes(mark)).toHaveLength(1);
    expect(again).toMatchObject({
      changeId: first.changeId,
      from: primary,
      to: drAlb,
      submittedAt: first.submittedAt,
    });
  });

  it("submits again when the first run stopped before Route 53 answered, still reporting the original value", async () => {
    // Prepare: the first UPSERT refused; the record changed meanwhile (as if a lost answer's change landed).
    const run = failoverRun();
    w.fault({ call: "route53:ChangeResourceRecordSets", error: "AccessDenied", times: 1 });
    await failover(submit(run), deps()).catch(() => undefined);
    await w.seed("route53", "ChangeResourceRecordSets", {
      HostedZoneId: w.config.dns.hostedZoneId,
      ChangeBatch: {
        Changes: [
          {
            Action: "UPSERT",
            ResourceRecordSet: { Name: record, Type: "CNAME", TTL: 60, ResourceRecords: [{ Value: drAlb }] },
          },
        ],
      },
    });
    w.advance(30);
    // Act
    const again = await failover(submit(run), deps());
    // Assess
    expect(again).toMatchObject({
      changeId: expect.any(String),
      from: primary,
      to: drAlb,
      status: "PENDING",
    });
    expect(current()).toMatchObject({ values: [drAlb] });
  });
});

describe("failover check", () => {
  it("returns INSYNC when the change has propagated", async () => {
    const run = failoverRun();
    const submitted = await failover(submit(run), deps());
    w.advance(w.scenario.dns.propagationSeconds);
    const dns = await failover({ action: "check", run, dns: submitted }, deps());
    expect(dns).toMatchObject({ status: "INSYNC", changeId: submitted.changeId, to: drAlb });
  });

  it("keeps waiting, shorter as the typical propagation time nears", async () => {
    const run = failoverRun();
    const submitted = await failover(submit(run), deps());
    w.advance(10);
    const early = await failover({ action: "check", run, dns: submitted }, deps());
    w.advance(40);
    const later = await failover({ action: "check", run, dns: submitted }, deps());
    expect(early).toMatchObject({ status: "PENDING" });
    expect(early.waitSeconds).toBe(50);
    expect(later).toMatchObject({ status: "PENDING" });
    expect(later.waitSeconds).toBe(10);
  });

  it("gives up with DnsChangeFailed 30 minutes after the change was submitted", async () => {
    // A change still PENDING (just submitted) whose state says it was submitted 30 minutes ago.
    const run = failoverRun();
    const submitted = await failover(submit(run), deps());
    const longAgo = new Date(w.now().getTime() - 1801 * 1000).toISOString();
    const err = await failover(
      { action: "check", run, dns: { ...submitted, submittedAt: longAgo } },
      deps(),
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "DnsChangeFailed" });
    expect((err as Error).message).toBe(
      `change ${submitted.changeId} of ${record} still PENDING 30 minutes after it was submitted`,
    );
  });
});

/*
 * The scenario format has no record type (its production record is a CNAME), so the synthesized
 * policy allows CNAME changes only: these cases run on a World of their own without IAM.
 */
describe("failover submit, alias A records (IAM off)", () => {
  beforeAll(async () => {
    await w.close();
    await open(false);
  });

  it("writes an alias A record with the load balancer's zone", async () => {
    // Prepare: the production record an alias A record (no CNAME at that name)
    const zone = w.config.dns.hostedZoneId;
    await w.seed("route53", "ChangeResourceRecordSets", {
      HostedZoneId: zone,
      ChangeBatch: {
        Changes: [
          {
            Action: "DELETE",
            ResourceRecordSet: {
              Name: record,
              Type: "CNAME",
              TTL: 60,
              ResourceRecords: [{ Value: primary }],
            },
          },
        ],
      },
    });
    const config = aliasConfig();
    const mark = w.requests("ChangeResourceRecordSets").length;
    // Act
    const dns = await failover(submit(failoverRun()), deps(config));
    // Assess
    expect(dns.from).toBeNull();
    expect(changes(mark)[0]?.input).toMatchObject({
      ChangeBatch: {
        Changes: [
          {
            ResourceRecordSet: {
              Type: "A",
              AliasTarget: { DNSName: drAlb, HostedZoneId: albZone, EvaluateTargetHealth: true },
            },
          },
        ],
      },
    });
    // Route 53 keeps an alias target's name lowercase and fully qualified.
    expect(current()).toMatchObject({
      type: "A",
      alias: { dnsName: `${drAlb.toLowerCase()}.`, hostedZoneId: albZone, evaluateTargetHealth: true },
    });
  });

  it("turns a rejected change into DnsChangeFailed (an A record where the CNAME is)", async () => {
    // Prepare: the config says A (alias) but the zone holds a CNAME at that name: Route 53 refuses.
    const config = aliasConfig();
    // Act
    const err = await failover(submit(failoverRun()), deps(config)).catch((e: unknown) => e);
    // Assess
    expect(err).toMatchObject({ name: "DnsChangeFailed" });
    expect((err as Error).message).toContain(`UPSERT of ${record}: route53:ChangeResourceRecordSets failed`);
    expect(w.requests("ChangeResourceRecordSets").at(-1)?.error).toBe("InvalidChangeBatch");
    expect(current()).toMatchObject({ type: "CNAME", values: [primary] });
  });
});

describe("failover handler", () => {
  it("rejects a bad event with InputInvalid", async () => {
    vi.stubEnv("ARTIFACTS_BUCKET", "drctl-artifacts-test");
    const err = await handler({ action: "flip", run: failoverRun() }, localContext("failover")).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ name: "InputInvalid" });
    vi.unstubAllEnvs();
  });
});
