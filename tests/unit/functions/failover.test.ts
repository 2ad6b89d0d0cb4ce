import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from "@aws-sdk/client-route-53";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { type FailoverDeps, type FailoverEvent, failover } from "../../../functions/failover/failover.js";
import { handler } from "../../../functions/failover/handler.js";
import { cloudFormationApi } from "../../../functions/shared/aws/cloudformation.js";
import { route53Api } from "../../../functions/shared/aws/route53.js";
import { localContext } from "../../../functions/shared/middleware.js";
import type { DnsState } from "../../../functions/shared/types.js";
import { appConfigInput, type MemoryS3, memoryS3, runContext } from "../../support/fixtures.js";
import { at, awsError, drillState } from "../../support/fixtures-report.js";

const FAILOVER = runContext({ mode: "failover" });
const DR_ALB = "shop-dr-alb-123.us-west-2.elb.amazonaws.com";
const cfn = mockClient(new CloudFormationClient({ region: "us-west-2" }));
const r53 = mockClient(new Route53Client({ region: "us-east-1" }));
let s3: MemoryS3;

beforeEach(() => {
  cfn.reset();
  r53.reset();
  s3 = memoryS3();
  s3.putConfig();
  cfn.on(DescribeStacksCommand).resolves({
    Stacks: [
      {
        StackName: "shop-dr",
        StackId: "arn:stack/shop-dr/1",
        StackStatus: "CREATE_COMPLETE",
        CreationTime: at(3),
        Outputs: [
          { OutputKey: "LoadBalancerDnsName", OutputValue: DR_ALB },
          { OutputKey: "LoadBalancerZoneId", OutputValue: "Z1H1FL5HABSF5" },
        ],
      },
    ],
  });
  r53.on(ListResourceRecordSetsCommand).resolves({
    ResourceRecordSets: [
      {
        Name: "app.example.com.",
        Type: "CNAME",
        TTL: 60,
        ResourceRecords: [{ Value: "primary-alb-123.us-east-1.elb.amazonaws.com" }],
      },
    ],
  });
  r53.on(ChangeResourceRecordSetsCommand).resolves({
    ChangeInfo: { Id: "/change/C0123", Status: "PENDING", SubmittedAt: at(2261) },
  });
});

const deps = (now = at(2261)): FailoverDeps => ({
  config: s3.config(),
  store: s3.store,
  cloudformation: cloudFormationApi(cfn as unknown as CloudFormationClient),
  route53: route53Api(r53 as unknown as Route53Client),
  now: () => now,
});
const submit = (run = FAILOVER) =>
  ({ action: "submit", run, stack: drillState(run).recovery.stack }) as FailoverEvent;
const pending: DnsState = {
  changed: true,
  record: "app.example.com.",
  from: "primary-alb-123.us-east-1.elb.amazonaws.com",
  to: DR_ALB,
  changeId: "C0123",
  status: "PENDING",
  waitSeconds: 60,
  submittedAt: at(2261).toISOString(),
};

describe("failover submit", () => {
  it("UPSERTs the record to the DR load balancer with a comment naming the run", async () => {
    // Act
    const dns = await failover(submit(), deps());
    // Assess
    expect(dns).toEqual({ ...pending, waitSeconds: dns.waitSeconds });
    expect(dns.waitSeconds).toBeGreaterThanOrEqual(10);
    expect(dns.waitSeconds).toBeLessThanOrEqual(60);
    expect(r53.commandCalls(ChangeResourceRecordSetsCommand)[0]?.args[0].input).toEqual({
      HostedZoneId: "Z0EXAMPLE",
      ChangeBatch: {
        Comment: `drctl ${FAILOVER.name}: fail over app.example.com. to us-west-2`,
        Changes: [
          {
            Action: "UPSERT",
            ResourceRecordSet: {
              Name: "app.example.com.",
              Type: "CNAME",
              TTL: 60,
              ResourceRecords: [{ Value: DR_ALB }],
            },
          },
        ],
      },
    });
  });

  it("writes an alias A record with the load balancer's zone", async () => {
    // Prepare
    s3.putConfig(
      appConfigInput({
        dns: { hostedZoneId: "Z0EXAMPLE", record: "app.example.com.", type: "A" },
        stack: {
          name: "shop-dr",
          templateUrl: "https://t.s3.amazonaws.com/t.yaml",
          roleArn: "arn:aws:iam::111122223333:role/shop-dr-cloudformation",
          loadBalancerZoneOutput: "LoadBalancerZoneId",
        },
      }),
    );
    r53.on(ListResourceRecordSetsCommand).resolves({ ResourceRecordSets: [] });
    // Act
    const dns = await failover(submit(), deps());
    // Assess
    expect(dns.from).toBeNull();
    expect(
      r53.commandCalls(ChangeResourceRecordSetsCommand)[0]?.args[0].input.ChangeBatch?.Changes?.[0],
    ).toMatchObject({
      ResourceRecordSet: {
        Type: "A",
        AliasTarget: { DNSName: DR_ALB, HostedZoneId: "Z1H1FL5HABSF5", EvaluateTargetHealth: true },
      },
    });
  });

  it("refuses in a drill without touching Route 53", async () => {
    // Act
    const err = await failover(submit(runContext()), deps()).catch((e: unknown) => e);
    // Assess
    expect(err).toMatchObject({ name: "DnsChangeFailed" });
    expect((err as Error).message).toContain("refusing to change DNS in a drill");
    expect(r53.calls()).toHaveLength(0);
  });

  it("turns a rejected change into DnsChangeFailed", async () => {
    r53
      .on(ChangeResourceRecordSetsCommand)
      .rejects(awsError("InvalidChangeBatch", "RRSet of type CNAME conflicts"));
    const err = await failover(submit(), deps()).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "DnsChangeFailed" });
    expect((err as Error).message).toContain(
      "UPSERT of app.example.com.: route53:ChangeResourceRecordSets failed",
    );
  });

  it("names a missing load balancer output", async () => {
    cfn.on(DescribeStacksCommand).resolves({
      Stacks: [
        { StackName: "shop-dr", StackId: "arn:stack/1", StackStatus: "CREATE_COMPLETE", CreationTime: at(3) },
      ],
    });
    const err = await failover(submit(), deps()).catch((e: unknown) => e);
    expect((err as Error).message).toBe(
      "stack shop-dr has no output LoadBalancerDnsName (config stack.loadBalancerOutput); outputs: none",
    );
  });
});

describe("failover submit, run again (Task retry or redrive)", () => {
  it("follows the change it submitted before instead of a second UPSERT, and keeps the record's previous value", async () => {
    // Prepare
    await failover(submit(), deps());
    // The UPSERT landed: the record now points at the DR load balancer.
    r53.on(ListResourceRecordSetsCommand).resolves({
      ResourceRecordSets: [
        { Name: "app.example.com.", Type: "CNAME", TTL: 60, ResourceRecords: [{ Value: DR_ALB }] },
      ],
    });
    // Act
    const again = await failover(submit(), deps(at(2291)));
    // Assess
    expect(r53.commandCalls(ChangeResourceRecordSetsCommand)).toHaveLength(1);
    expect(again).toMatchObject({
      changeId: "C0123",
      from: pending.from,
      to: DR_ALB,
      submittedAt: pending.submittedAt,
    });
  });

  it("submits again when the first run stopped before Route 53 answered, still reporting the original value", async () => {
    // Prepare
    r53
      .on(ChangeResourceRecordSetsCommand)
      .rejectsOnce(awsError("AccessDenied", "denied", 403))
      .resolves({ ChangeInfo: { Id: "/change/C0123", Status: "PENDING", SubmittedAt: at(2261) } });
    await failover(submit(), deps()).catch(() => undefined);
    r53.on(ListResourceRecordSetsCommand).resolves({
      ResourceRecordSets: [
        { Name: "app.example.com.", Type: "CNAME", TTL: 60, ResourceRecords: [{ Value: DR_ALB }] },
      ],
    });
    // Act
    const again = await failover(submit(), deps(at(2291)));
    // Assess
    expect(again).toMatchObject({ changeId: "C0123", from: pending.from, to: DR_ALB });
  });
});

describe("failover check", () => {
  it("returns INSYNC when the change has propagated", async () => {
    r53
      .on(GetChangeCommand)
      .resolves({ ChangeInfo: { Id: "C0123", Status: "INSYNC", SubmittedAt: at(2261) } });
    const dns = await failover({ action: "check", run: FAILOVER, dns: pending }, deps(at(2321)));
    expect(dns).toMatchObject({ status: "INSYNC", changeId: "C0123", to: DR_ALB });
  });

  it("keeps waiting, shorter as the typical propagation time nears", async () => {
    r53
      .on(GetChangeCommand)
      .resolves({ ChangeInfo: { Id: "C0123", Status: "PENDING", SubmittedAt: at(2261) } });
    const early = await failover({ action: "check", run: FAILOVER, dns: pending }, deps(at(2271)));
    const later = await failover({ action: "check", run: FAILOVER, dns: pending }, deps(at(2311)));
    expect(early).toMatchObject({ status: "PENDING" });
    expect(early.waitSeconds).toBe(50);
    expect(later.waitSeconds).toBe(10);
  });

  it("gives up with DnsChangeFailed 30 minutes after the change was submitted", async () => {
    r53
      .on(GetChangeCommand)
      .resolves({ ChangeInfo: { Id: "C0123", Status: "PENDING", SubmittedAt: at(2261) } });
    const err = await failover({ action: "check", run: FAILOVER, dns: pending }, deps(at(2261 + 1801))).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ name: "DnsChangeFailed" });
    expect((err as Error).message).toBe(
      "change C0123 of app.example.com. still PENDING 30 minutes after it was submitted",
    );
  });
});

describe("failover handler", () => {
  it("rejects a bad event with InputInvalid", async () => {
    vi.stubEnv("ARTIFACTS_BUCKET", "drctl-artifacts-test");
    const err = await handler({ action: "flip", run: FAILOVER }, localContext("failover")).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ name: "InputInvalid" });
    vi.unstubAllEnvs();
  });
});
