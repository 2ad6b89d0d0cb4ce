import { describe, expect, it } from "vitest";
import { hostedZoneId } from "../../../scripts/sandbox/world/index.js";
import { harness, modelProblems, scenarioOf } from "./world-helpers.js";

const upsert = (zone: string, target: string) => ({
  HostedZoneId: `/hostedzone/${zone}`,
  ChangeBatch: {
    Comment: "drctl failover",
    Changes: [
      {
        Action: "UPSERT",
        ResourceRecordSet: {
          Name: "app.example.com.",
          Type: "CNAME",
          TTL: 60,
          ResourceRecords: [{ Value: target }],
        },
      },
    ],
  },
});

describe("route53", () => {
  it("starts with the record on the primary target and moves a change PENDING → INSYNC after propagationSeconds", async () => {
    // Prepare
    const s = scenarioOf();
    const h = harness(s);
    const zone = hostedZoneId(s);
    // Act
    const before = await h.call(
      "route53",
      "ListResourceRecordSets",
      { HostedZoneId: zone, StartRecordName: "app.example.com.", StartRecordType: "CNAME", MaxItems: 1 },
      "us-east-1",
    );
    const change = await h.call(
      "route53",
      "ChangeResourceRecordSets",
      upsert(zone, "dr-alb.us-west-2.elb.amazonaws.com"),
      "us-east-1",
    );
    const id = (change.ChangeInfo as { Id: string }).Id;
    h.clock.advanceBy(59);
    const pending = await h.call("route53", "GetChange", { Id: id }, "us-east-1");
    h.clock.advanceBy(1);
    const insync = await h.call("route53", "GetChange", { Id: id.replace("/change/", "") }, "us-east-1");
    // Assess
    expect(zone).toMatch(/^Z[0-9A-F]{13}$/);
    expect(before.ResourceRecordSets).toEqual([
      {
        Name: "app.example.com.",
        Type: "CNAME",
        TTL: 60,
        ResourceRecords: [{ Value: "primary-alb-123.us-east-1.elb.amazonaws.com" }],
      },
    ]);
    expect((change.ChangeInfo as { Status: string }).Status).toBe("PENDING");
    expect((pending.ChangeInfo as { Status: string }).Status).toBe("PENDING");
    expect((insync.ChangeInfo as { Status: string }).Status).toBe("INSYNC");
    expect(h.world.inspect().dns).toMatchObject({
      values: ["dr-alb.us-west-2.elb.amazonaws.com"],
      changed: true,
    });
  });

  it("pages ListResourceRecordSets with MaxItems / NextRecordName", async () => {
    // Prepare
    const s = scenarioOf();
    const h = harness(s);
    const zone = hostedZoneId(s);
    const seen: string[] = [];
    let start: { StartRecordName?: string; StartRecordType?: string } = {};
    // Act
    for (let i = 0; i < 10; i++) {
      const page = await h.call("route53", "ListResourceRecordSets", {
        HostedZoneId: zone,
        MaxItems: 1,
        ...start,
      });
      seen.push(
        ...(page.ResourceRecordSets as { Name: string; Type: string }[]).map((r) => `${r.Name} ${r.Type}`),
      );
      if (!page.IsTruncated) break;
      start = {
        StartRecordName: page.NextRecordName as string,
        StartRecordType: page.NextRecordType as string,
      };
    }
    // Assess
    expect(seen).toEqual(["example.com. NS", "example.com. SOA", "app.example.com. CNAME"]);
  });

  it("rejects CREATE of an existing record and DELETE with other values as InvalidChangeBatch; unknown zones as NoSuchHostedZone", async () => {
    // Prepare
    const s = scenarioOf();
    const h = harness(s);
    const zone = hostedZoneId(s);
    const change = (Action: string, Value: string) => ({
      HostedZoneId: zone,
      ChangeBatch: {
        Changes: [
          {
            Action,
            ResourceRecordSet: {
              Name: "app.example.com",
              Type: "CNAME",
              TTL: 60,
              ResourceRecords: [{ Value }],
            },
          },
        ],
      },
    });
    // Act
    const created = await h.fail("route53", "ChangeResourceRecordSets", change("CREATE", "x.example.net"));
    const deleted = await h.fail("route53", "ChangeResourceRecordSets", change("DELETE", "x.example.net"));
    const noZone = await h.fail("route53", "ChangeResourceRecordSets", {
      ...change("UPSERT", "x"),
      HostedZoneId: "ZNOPE",
    });
    // Assess
    expect(created).toMatchObject({ code: "InvalidChangeBatch", httpStatus: 400 });
    expect(created.message).toContain("already exists");
    expect(deleted.message).toContain("do not match");
    expect(noZone).toMatchObject({ code: "NoSuchHostedZone", httpStatus: 404 });
  });

  it("a PriorRequestNotComplete fault fails the first change only, leaving the record untouched", async () => {
    // Prepare
    const s = scenarioOf({
      faults: [{ call: "route53:ChangeResourceRecordSets", error: "PriorRequestNotComplete", times: 1 }],
    });
    const h = harness(s, 4566, "failover");
    // Act
    const err = await h.fail(
      "route53",
      "ChangeResourceRecordSets",
      upsert(hostedZoneId(s), "dr.example.net"),
      "us-east-1",
    );
    const unchanged = h.world.inspect().dns;
    await h.call(
      "route53",
      "ChangeResourceRecordSets",
      upsert(hostedZoneId(s), "dr.example.net"),
      "us-east-1",
    );
    // Assess
    expect(err).toMatchObject({ code: "PriorRequestNotComplete", httpStatus: 400 });
    expect(unchanged).toMatchObject({
      changed: false,
      values: ["primary-alb-123.us-east-1.elb.amazonaws.com"],
    });
    expect(h.world.inspect().dns.values).toEqual(["dr.example.net"]);
  });
});

describe("outputs", () => {
  it("every output above fits the SDK v3 models (no member the SDK would drop, right types)", async () => {
    // Act
    const problems = await modelProblems();
    // Assess
    expect(problems).toEqual([]);
  });
});
