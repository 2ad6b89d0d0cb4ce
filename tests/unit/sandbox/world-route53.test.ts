/**
 * Route 53 in the sandbox through the SDK v3 Route53Client: ChangeResourceRecordSets' actions and
 * errors, alias records, GetChange, ListResourceRecordSets order. Sources in docs/fidelity.md,
 * "Route 53, SNS, S3".
 */
import {
  type Change,
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  GetHostedZoneCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from "@aws-sdk/client-route-53";
import { afterAll, describe, expect, it } from "vitest";
import { hostedZoneId } from "../../../scripts/sandbox/world/index.js";
import { closeWorlds, rejection, worldWire } from "./world-wire.js";

afterAll(closeWorlds);

const ALB = "dr-alb-123.us-west-2.elb.amazonaws.com";

async function zone() {
  const w = await worldWire();
  const r53 = new Route53Client(w.config("us-east-1"));
  const HostedZoneId = hostedZoneId(w.scenario);
  const change = (...Changes: Change[]) =>
    r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId, ChangeBatch: { Changes } }));
  const names = async () =>
    ((await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId }))).ResourceRecordSets ?? []).map(
      (r) => `${r.Name} ${r.Type}`,
    );
  return { w, r53, HostedZoneId, change, names };
}

const cname = (Name: string, Value: string, Action: Change["Action"] = "UPSERT"): Change => ({
  Action,
  ResourceRecordSet: { Name, Type: "CNAME", TTL: 60, ResourceRecords: [{ Value }] },
});
const a = (Name: string, Value: string, Action: Change["Action"] = "CREATE"): Change => ({
  Action,
  ResourceRecordSet: { Name, Type: "A", TTL: 60, ResourceRecords: [{ Value }] },
});
const alias = (Name: string, HostedZoneId: string, Action: Change["Action"] = "UPSERT"): Change => ({
  Action,
  ResourceRecordSet: {
    Name,
    Type: "A",
    AliasTarget: { DNSName: ALB, HostedZoneId, EvaluateTargetHealth: true },
  },
});

describe("Route 53 ChangeResourceRecordSets", () => {
  it("answers InvalidChangeBatch with Route 53's messages for CREATE of an existing set, DELETE of a missing or different one, and CNAME conflicts", async () => {
    // Prepare
    const { change } = await zone();
    // Act
    const errors = await Promise.all([
      rejection(change(cname("app.example.com.", "primary-alb-123.us-east-1.elb.amazonaws.com", "CREATE"))),
      rejection(change(cname("nope.example.com.", "x.example.net", "DELETE"))),
      rejection(change(cname("app.example.com.", "x.example.net", "DELETE"))),
      rejection(change(a("app.example.com.", "192.0.2.1"))),
      rejection(change(a("www.example.com.", "192.0.2.1"), cname("www.example.com.", "x.example.net"))),
      rejection(change(cname("example.com.", "x.example.net"))),
    ]);
    // Assess
    expect(errors.map((e) => [e.name, e.message])).toEqual([
      [
        "InvalidChangeBatch",
        "[Tried to create resource record set [name='app.example.com.', type='CNAME'] but it already exists]",
      ],
      [
        "InvalidChangeBatch",
        "[Tried to delete resource record set [name='nope.example.com.', type='CNAME'] but it was not found]",
      ],
      [
        "InvalidChangeBatch",
        "[Tried to delete resource record set [name='app.example.com.', type='CNAME'] but the values provided do not match the current values]",
      ],
      [
        "InvalidChangeBatch",
        "[RRSet of type A with DNS name app.example.com. is not permitted because a conflicting RRSet of type CNAME with the same DNS name already exists in zone example.com.]",
      ],
      [
        "InvalidChangeBatch",
        "[RRSet of type CNAME with DNS name www.example.com. is not permitted as it conflicts with other records with the same DNS name in zone example.com.]",
      ],
      [
        "InvalidChangeBatch",
        "[RRSet of type CNAME with DNS name example.com. is not permitted at apex in zone example.com.]",
      ],
    ]);
  });

  it("applies a batch in order and all or nothing: DELETE of the CNAME then CREATE of an alias switches the type; a failing change leaves every record as it was", async () => {
    // Prepare
    const { change, names } = await zone();
    const before = await names();
    // Act
    const failed = await rejection(
      change(cname("new.example.com.", "x.example.net"), a("app.example.com.", "192.0.2.1")),
    );
    const unchanged = await names();
    await change(
      cname("app.example.com.", "primary-alb-123.us-east-1.elb.amazonaws.com", "DELETE"),
      alias("app.example.com.", "Z1H1FL5HABSF5", "CREATE"),
    );
    // Assess
    expect(failed.name).toBe("InvalidChangeBatch");
    expect(unchanged).toEqual(before);
    expect(await names()).toEqual(["example.com. NS", "example.com. SOA", "app.example.com. A"]);
  });

  it("refuses a name outside the zone, and a set without TTL or with both TTL and AliasTarget (InvalidInput)", async () => {
    // Prepare
    const { change } = await zone();
    const noTtl: Change = {
      Action: "CREATE",
      ResourceRecordSet: { Name: "api.example.com", Type: "A", ResourceRecords: [{ Value: "192.0.2.1" }] },
    };
    const both: Change = {
      Action: "UPSERT",
      ResourceRecordSet: {
        Name: "api.example.com.",
        Type: "A",
        TTL: 60,
        AliasTarget: { DNSName: ALB, HostedZoneId: "Z1H1FL5HABSF5", EvaluateTargetHealth: false },
      },
    };
    // Act
    const errors = await Promise.all([
      rejection(change(cname("app.badexample.com.", "x.example.net"))),
      rejection(change(noTtl)),
      rejection(change(both)),
    ]);
    // Assess
    expect(errors.map((e) => [e.name, e.message])).toEqual([
      [
        "InvalidChangeBatch",
        "[RRSet with DNS name app.badexample.com. is not permitted in zone example.com.]",
      ],
      [
        "InvalidInput",
        "Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found none in Change with [Action=CREATE, Name=api.example.com, Type=A, SetIdentifier=null]",
      ],
      [
        "InvalidInput",
        "Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found more than one in Change with [Action=UPSERT, Name=api.example.com., Type=A, SetIdentifier=null]",
      ],
    ]);
  });

  it("an alias to a load balancer must name the load balancers' hosted zone of its region", async () => {
    // Prepare
    const { change, HostedZoneId } = await zone();
    // Act
    const ownZone = await rejection(change(alias("api.example.com.", HostedZoneId)));
    const otherRegion = await rejection(change(alias("api.example.com.", "Z35SXDOTRQ7X7K")));
    const ok = await change(alias("api.example.com.", "Z1H1FL5HABSF5"));
    // Assess
    const target = `Tried to create an alias that targets ${ALB}., type A in zone`;
    expect(ownZone).toMatchObject({
      name: "InvalidChangeBatch",
      message: `[${target} ${HostedZoneId}, but the alias target name does not lie within the target zone, ${target} ${HostedZoneId}, but that target was not found]`,
    });
    expect(otherRegion.message).toContain("does not lie within the target zone");
    expect(ok.ChangeInfo?.Status).toBe("PENDING");
  });
});

describe("Route 53 GetHostedZone, GetChange and ListResourceRecordSets", () => {
  it("describes the scenario's public zone with its four name servers; another id is NoSuchHostedZone", async () => {
    // Prepare
    const { r53, HostedZoneId } = await zone();
    // Act
    const got = await r53.send(new GetHostedZoneCommand({ Id: HostedZoneId }));
    const other = await rejection(r53.send(new GetHostedZoneCommand({ Id: "Z0000000000000" })));
    // Assess
    expect(got.HostedZone).toMatchObject({
      Id: `/hostedzone/${HostedZoneId}`,
      Name: "example.com.",
      Config: { PrivateZone: false },
      ResourceRecordSetCount: 3,
    });
    expect(got.DelegationSet?.NameServers).toHaveLength(4);
    expect([other.name, other.message]).toEqual([
      "NoSuchHostedZone",
      "No hosted zone found with ID: Z0000000000000",
    ]);
  });

  it("a change is PENDING until the scenario's propagation time has passed, then INSYNC; an unknown change is NoSuchChange", async () => {
    // Prepare
    const { w, r53, change } = await zone();
    // Act
    const { ChangeInfo } = await change(cname("app.example.com.", ALB));
    const id = ChangeInfo?.Id ?? "";
    w.clock.advanceBy(w.scenario.dns.propagationSeconds - 1);
    const pending = await r53.send(new GetChangeCommand({ Id: id }));
    w.clock.advanceBy(1);
    const insync = await r53.send(new GetChangeCommand({ Id: id }));
    const unknown = await rejection(r53.send(new GetChangeCommand({ Id: "C0000000000000" })));
    // Assess
    expect(id).toMatch(/^\/change\/C[0-9A-Z]+$/);
    expect([ChangeInfo?.Status, pending.ChangeInfo?.Status, insync.ChangeInfo?.Status]).toEqual([
      "PENDING",
      "PENDING",
      "INSYNC",
    ]);
    expect(unknown.name).toBe("NoSuchChange");
  });

  it("lists in ASCII order of the name with its labels reversed (trailing dot included), then by type; StartRecordType needs StartRecordName", async () => {
    // Prepare
    const { r53, HostedZoneId, change, names } = await zone();
    await change(
      a("a.example.com.", "192.0.2.1"),
      a("a-b.example.com.", "192.0.2.2"),
      a("b.a.example.com.", "192.0.2.3"),
      {
        ...a("a.example.com.", "192.0.2.4"),
        ResourceRecordSet: {
          Name: "a.example.com.",
          Type: "AAAA",
          TTL: 60,
          ResourceRecords: [{ Value: "2001:db8::1" }],
        },
      },
    );
    // Act
    const listed = await names();
    const typeOnly = await rejection(
      r53.send(new ListResourceRecordSetsCommand({ HostedZoneId, StartRecordType: "A" })),
    );
    // Assess
    expect(listed).toEqual([
      "example.com. NS",
      "example.com. SOA",
      "a-b.example.com. A",
      "a.example.com. A",
      "a.example.com. AAAA",
      "b.a.example.com. A",
      "app.example.com. CNAME",
    ]);
    expect(typeOnly.name).toBe("InvalidInput");
  });
});
