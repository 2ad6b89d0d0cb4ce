import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  InvalidChangeBatch,
  ListResourceRecordSetsCommand,
  Route53Client,
} from "@aws-sdk/client-route-53";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { route53Api } from "../../../functions/shared/aws/route53.js";
import { awsError } from "./helpers.js";

const r53 = mockClient(Route53Client);
const api = route53Api(new Route53Client({ region: "us-east-1" }));

beforeEach(() => r53.reset());

describe("route53Api.getRecord", () => {
  it("lists one record from name/type and maps it", async () => {
    r53.on(ListResourceRecordSetsCommand).resolves({
      ResourceRecordSets: [
        {
          Name: "app.example.com.",
          Type: "CNAME",
          TTL: 60,
          ResourceRecords: [{ Value: "lb-primary.example" }],
        },
      ],
      IsTruncated: false,
      MaxItems: 1,
    });
    await expect(api.getRecord("/hostedzone/Z123", "App.example.com", "CNAME")).resolves.toEqual({
      name: "app.example.com.",
      type: "CNAME",
      ttl: 60,
      values: ["lb-primary.example"],
    });
    expect(r53.commandCalls(ListResourceRecordSetsCommand)[0]?.args[0].input).toEqual({
      HostedZoneId: "Z123",
      StartRecordName: "App.example.com",
      StartRecordType: "CNAME",
      MaxItems: 1,
    });
  });

  it("returns undefined when Route 53 answers with the next record", async () => {
    r53.on(ListResourceRecordSetsCommand).resolves({
      ResourceRecordSets: [
        { Name: "b.example.com.", Type: "A", TTL: 60, ResourceRecords: [{ Value: "1.2.3.4" }] },
      ],
    });
    await expect(api.getRecord("Z123", "app.example.com.", "CNAME")).resolves.toBeUndefined();
  });

  it("returns undefined when the name matches but not the type", async () => {
    r53
      .on(ListResourceRecordSetsCommand)
      .resolves({ ResourceRecordSets: [{ Name: "app.example.com.", Type: "TXT" }] });
    await expect(api.getRecord("Z123", "app.example.com.", "CNAME")).resolves.toBeUndefined();
  });

  it("maps an alias target", async () => {
    r53.on(ListResourceRecordSetsCommand).resolves({
      ResourceRecordSets: [
        {
          Name: "\\052.example.com.",
          Type: "A",
          AliasTarget: { DNSName: "lb.elb.amazonaws.com.", HostedZoneId: "ZLB", EvaluateTargetHealth: true },
        },
      ],
    });
    await expect(api.getRecord("Z123", "*.example.com.", "A")).resolves.toEqual({
      name: "\\052.example.com.",
      type: "A",
      values: [],
      aliasTarget: { dnsName: "lb.elb.amazonaws.com.", hostedZoneId: "ZLB" },
    });
  });

  it("maps NoSuchHostedZone to AwsCallFailed naming the zone", async () => {
    r53
      .on(ListResourceRecordSetsCommand)
      .rejects(awsError("NoSuchHostedZone", "No hosted zone found with ID: Z404", 404));
    await expect(api.getRecord("Z404", "app.example.com.", "CNAME")).rejects.toMatchObject({
      name: "AwsCallFailed",
      message: expect.stringContaining("in Z404: NoSuchHostedZone"),
    });
  });
});

describe("route53Api.upsertRecord", () => {
  it("upserts a CNAME with TTL and normalises ids", async () => {
    r53
      .on(ChangeResourceRecordSetsCommand)
      .resolves({ ChangeInfo: { Id: "/change/C1", Status: "PENDING", SubmittedAt: new Date() } });
    const result = await api.upsertRecord({
      hostedZoneId: "/hostedzone/Z123",
      name: "app.example.com.",
      type: "CNAME",
      ttl: 60,
      target: "lb-dr.example",
      comment: "drctl failover",
    });
    expect(result).toEqual({ changeId: "C1", status: "PENDING" });
    expect(r53.commandCalls(ChangeResourceRecordSetsCommand)[0]?.args[0].input).toEqual({
      HostedZoneId: "Z123",
      ChangeBatch: {
        Comment: "drctl failover",
        Changes: [
          {
            Action: "UPSERT",
            ResourceRecordSet: {
              Name: "app.example.com.",
              Type: "CNAME",
              TTL: 60,
              ResourceRecords: [{ Value: "lb-dr.example" }],
            },
          },
        ],
      },
    });
  });

  it("upserts an A alias to the load balancer", async () => {
    r53
      .on(ChangeResourceRecordSetsCommand)
      .resolves({ ChangeInfo: { Id: "C2", Status: "INSYNC", SubmittedAt: new Date() } });
    await api.upsertRecord({
      hostedZoneId: "Z123",
      name: "app.example.com.",
      type: "A",
      ttl: 60,
      target: "lb.elb.amazonaws.com",
      aliasHostedZoneId: "ZLB",
      comment: "c",
    });
    expect(
      r53.commandCalls(ChangeResourceRecordSetsCommand)[0]?.args[0].input.ChangeBatch?.Changes?.[0]
        ?.ResourceRecordSet,
    ).toEqual({
      Name: "app.example.com.",
      Type: "A",
      AliasTarget: { DNSName: "lb.elb.amazonaws.com", HostedZoneId: "ZLB", EvaluateTargetHealth: true },
    });
  });

  it("maps InvalidChangeBatch to AwsCallFailed with the record and target", async () => {
    r53
      .on(ChangeResourceRecordSetsCommand)
      .rejects(new InvalidChangeBatch({ message: "RRSet of type CNAME conflicts", $metadata: {} }));
    await expect(
      api.upsertRecord({
        hostedZoneId: "Z1",
        name: "app.example.com.",
        type: "CNAME",
        ttl: 60,
        target: "lb",
        comment: "",
      }),
    ).rejects.toMatchObject({
      name: "AwsCallFailed",
      message:
        "route53:ChangeResourceRecordSets failed for app.example.com. CNAME -> lb in Z1: InvalidChangeBatch: RRSet of type CNAME conflicts",
    });
  });

  it("maps PriorRequestNotComplete to AwsTransient", async () => {
    r53
      .on(ChangeResourceRecordSetsCommand)
      .rejects(awsError("PriorRequestNotComplete", "The request was rejected"));
    await expect(
      api.upsertRecord({ hostedZoneId: "Z1", name: "a.", type: "CNAME", ttl: 60, target: "lb", comment: "" }),
    ).rejects.toMatchObject({ name: "AwsTransient" });
  });
});

describe("route53Api.getChange", () => {
  it("normalises the change id and returns the status", async () => {
    r53
      .on(GetChangeCommand, { Id: "C1" })
      .resolves({ ChangeInfo: { Id: "/change/C1", Status: "INSYNC", SubmittedAt: new Date() } });
    await expect(api.getChange("/change/C1")).resolves.toBe("INSYNC");
  });
});
