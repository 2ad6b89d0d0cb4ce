/**
 * Request values that do not fit the model are refused by the wire layer, in every protocol,
 * before the backend sees them (the SDK's own readers do not check types: the sandbox does).
 */
import { describe, expect, it } from "vitest";
import type { ServiceName } from "../../../scripts/sandbox/types.js";
import { decodeRequest, WireFailure, type WireRequest } from "../../../scripts/sandbox/wire/dispatch.js";
import { modelFor, SERVICE_SPECS } from "../../../scripts/sandbox/wire/services.js";

async function decode(service: ServiceName, req: Omit<Partial<WireRequest>, "body"> & { body: string }) {
  const request: WireRequest = {
    method: "POST",
    path: "/",
    query: new URLSearchParams(),
    headers: {},
    ...req,
    body: Buffer.from(req.body),
  };
  return decodeRequest(SERVICE_SPECS[service], await modelFor(service), request);
}

async function refusal(service: ServiceName, req: Omit<Partial<WireRequest>, "body"> & { body: string }) {
  try {
    await decode(service, req);
  } catch (e) {
    if (e instanceof WireFailure) return e.error;
    throw e;
  }
  throw new Error("the request was accepted");
}

describe("request values of the wrong type are the service's validation error", () => {
  it("awsJson: a number for a string member, a string for a boolean", async () => {
    // Act
    const name = await refusal("ssm", {
      headers: { "x-amz-target": "AmazonSSM.GetParameter" },
      body: JSON.stringify({ Name: 5 }),
    });
    const decrypt = await refusal("ssm", {
      headers: { "x-amz-target": "AmazonSSM.GetParameter" },
      body: JSON.stringify({ Name: "/a", WithDecryption: "yes" }),
    });
    // Assess
    expect(name).toMatchObject({ code: "ValidationException", status: 400 });
    expect(name.message).toContain("GetParameter.Name: expected a string");
    expect(decrypt.message).toContain("GetParameter.WithDecryption: expected a boolean");
  });

  it("awsJson: a timestamp in the protocol's format (epoch seconds), not in another one", async () => {
    // Prepare
    const compliance = (executionTime: unknown) => ({
      headers: { "x-amz-target": "AmazonSSM.PutComplianceItems" },
      body: JSON.stringify({
        ResourceId: "i-1",
        ResourceType: "ManagedInstance",
        ComplianceType: "Custom:drctl",
        ExecutionSummary: { ExecutionTime: executionTime },
        Items: [],
      }),
    });
    // Act
    const epoch = await decode("ssm", compliance(1772355600));
    const iso = await refusal("ssm", compliance("2026-03-01T09:00:00Z"));
    // Assess
    expect(epoch.input.ExecutionSummary).toEqual({ ExecutionTime: new Date("2026-03-01T09:00:00Z") });
    expect(iso).toMatchObject({ code: "ValidationException", status: 400 });
  });

  it("restJson1: a number for a string body member", async () => {
    // Act
    const err = await refusal("backup", {
      method: "PUT",
      path: "/restore-jobs",
      body: JSON.stringify({ RecoveryPointArn: 7, Metadata: { a: "b" }, IamRoleArn: "arn:role" }),
    });
    // Assess
    expect(err).toMatchObject({ code: "MissingParameterValueException", status: 400 });
    expect(err.message).toContain("StartRestoreJob.RecoveryPointArn: expected a string");
  });

  it("awsQuery: a number member that is not a number", async () => {
    // Act
    const err = await refusal("rds", {
      body: "Action=DescribeDBInstances&Version=2014-10-31&MaxRecords=many",
    });
    // Assess
    expect(err.status).toBe(400);
    expect(err.message).toContain("Invalid number for MaxRecords: many");
  });

  it("restXml: a number element that is not a number", async () => {
    // Act
    const err = await refusal("route53", {
      path: "/2013-04-01/hostedzone/Z1/rrset/",
      body:
        '<?xml version="1.0" encoding="UTF-8"?><ChangeResourceRecordSetsRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/">' +
        "<ChangeBatch><Changes><Change><Action>UPSERT</Action><ResourceRecordSet><Name>a.example.com.</Name>" +
        "<Type>A</Type><TTL>soon</TTL><ResourceRecords><ResourceRecord><Value>10.0.0.1</Value></ResourceRecord>" +
        "</ResourceRecords></ResourceRecordSet></Change></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>",
    });
    // Assess
    expect(err).toMatchObject({ code: "InvalidInput", status: 400 });
    expect(err.message).toContain("ResourceRecordSet.TTL: not a number");
  });
});
