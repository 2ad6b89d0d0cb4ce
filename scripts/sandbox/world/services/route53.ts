/** Amazon Route 53: the scenario's hosted zone; changes go PENDING → INSYNC after dns.propagationSeconds. */
import type { Change, ChangeInfo, ResourceRecordSet, RRType } from "@aws-sdk/client-route-53";
import { SandboxError } from "../../types.js";
import { optNumber, optString, requireString } from "../errors.js";
import { type Route53, serviceHandlers } from "../handlers.js";
import type { RecordSet, WorldCore } from "../model.js";
import {
  badBatch,
  checkAlias,
  checkPlacement,
  fq,
  order,
  recordOf,
  same,
  type Zone,
} from "./route53-records.js";

export function seedZone(w: WorldCore): void {
  const zone = w.dns.zoneName;
  w.dns.records.push(
    {
      name: zone,
      type: "NS",
      ttl: 172800,
      values: [
        "ns-101.awsdns-12.com.",
        "ns-902.awsdns-48.net.",
        "ns-1320.awsdns-37.org.",
        "ns-1777.awsdns-30.co.uk.",
      ],
    },
    {
      name: zone,
      type: "SOA",
      ttl: 900,
      values: ["ns-101.awsdns-12.com. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"],
    },
    { name: fq(w.scenario.dns.record), type: "CNAME", ttl: 60, values: [w.scenario.dns.primaryTarget] },
  );
  w.dns.records.sort(order);
}

function zoneOf(w: WorldCore, id: string): void {
  const bare = id.replace(/^\/?hostedzone\//, "");
  if (bare !== w.dns.zoneId)
    throw new SandboxError("NoSuchHostedZone", `No hosted zone found with ID: ${bare}`, 404);
}

/** One change applied to the zone's records (a new list); InvalidChangeBatch/InvalidInput as Route 53. */
function applyChange(zone: Zone, ch: Change): RecordSet[] {
  const rec = recordOf(ch);
  const at = zone.records.findIndex((r) => r.name === rec.name && r.type === rec.type);
  const set = `resource record set [name='${rec.name}', type='${rec.type}']`;
  const next = [...zone.records];
  switch (ch.Action) {
    case "CREATE":
    case "UPSERT":
      if (ch.Action === "CREATE" && at >= 0) throw badBatch(`Tried to create ${set} but it already exists`);
      checkPlacement(zone, rec);
      checkAlias(zone, rec);
      if (at >= 0) next[at] = rec;
      else next.push(rec);
      return next;
    case "DELETE": {
      const cur = next[at];
      if (!cur) throw badBatch(`Tried to delete ${set} but it was not found`);
      if (!same(cur, rec))
        throw badBatch(`Tried to delete ${set} but the values provided do not match the current values`);
      next.splice(at, 1);
      return next;
    }
    default:
      throw new SandboxError(
        "InvalidInput",
        `Invalid request: Action ${String(ch.Action)} is not CREATE, DELETE or UPSERT`,
        400,
      );
  }
}

/** A record's type: one ChangeResourceRecordSets was given (an RRType), or a seeded NS, SOA or CNAME. */
const rrType = (r: RecordSet) => r.type as RRType;

function recordOut(r: RecordSet): ResourceRecordSet {
  return {
    Name: r.name,
    Type: rrType(r),
    ...(r.alias
      ? {
          AliasTarget: {
            HostedZoneId: r.alias.hostedZoneId,
            DNSName: r.alias.dnsName,
            EvaluateTargetHealth: r.alias.evaluateTargetHealth,
          },
        }
      : { TTL: r.ttl, ResourceRecords: r.values.map((Value) => ({ Value })) }),
  };
}

function changeInfo(w: WorldCore, id: string, now: number): ChangeInfo {
  const c = w.dns.changes.get(id);
  if (!c)
    throw new SandboxError(
      "NoSuchChange",
      `A change with the specified change ID does not exist: ${id}`,
      404,
    );
  return {
    Id: `/change/${c.id}`,
    Status: now >= c.insyncAt ? "INSYNC" : "PENDING",
    SubmittedAt: new Date(c.submittedAt),
    ...(c.comment !== undefined ? { Comment: c.comment } : {}),
  };
}

export const route53Handlers = serviceHandlers<Route53>()({
  ChangeResourceRecordSets({ world, input, now }) {
    zoneOf(world, requireString("route53", input, "HostedZoneId"));
    const batch = input.ChangeBatch;
    const changes = batch?.Changes ?? [];
    if (changes.length === 0)
      throw new SandboxError("InvalidInput", "Invalid request: Expected at least one change", 400);
    const zone: Zone = {
      id: world.dns.zoneId,
      name: world.dns.zoneName,
      records: world.dns.records.map((r) => ({ ...r })),
    };
    // In order, on a copy: all changes or none (a DELETE then a CREATE may switch a name's type).
    for (const ch of changes) zone.records = applyChange(zone, ch);
    const next = zone.records;
    world.dns.records.splice(0, world.dns.records.length, ...next.sort(order));
    const id = `C${world.nextHex("change", 13).toUpperCase()}`;
    world.dns.changes.set(id, {
      id,
      submittedAt: now,
      insyncAt: now + world.scenario.dns.propagationSeconds * 1000,
      ...(batch?.Comment !== undefined ? { comment: batch.Comment } : {}),
    });
    return { ChangeInfo: changeInfo(world, id, now) };
  },

  GetChange({ world, input, now }) {
    const id = requireString("route53", input, "Id").replace(/^\/?change\//, "");
    return { ChangeInfo: changeInfo(world, id, now) };
  },

  ListResourceRecordSets({ world, input }) {
    zoneOf(world, requireString("route53", input, "HostedZoneId"));
    const startName = optString(input, "StartRecordName");
    const startType = optString(input, "StartRecordType");
    if (startType !== undefined && startName === undefined) {
      throw new SandboxError(
        "InvalidInput",
        "The input is not valid: StartRecordType requires StartRecordName",
        400,
      );
    }
    const max = Math.min(optNumber(input, "MaxItems") ?? 300, 300);
    const all = world.dns.records;
    let from = 0;
    if (startName !== undefined) {
      const probe: RecordSet = { name: fq(startName), type: startType ?? "", values: [] };
      from = all.findIndex((r) => order(r, probe) >= 0);
      if (from < 0) from = all.length;
    }
    const page = all.slice(from, from + max);
    const next = all[from + max];
    return {
      ResourceRecordSets: page.map(recordOut),
      IsTruncated: next !== undefined,
      MaxItems: max,
      ...(next ? { NextRecordName: next.name, NextRecordType: rrType(next) } : {}),
    };
  },

  GetHostedZone({ world, input }) {
    zoneOf(world, requireString("route53", input, "Id"));
    return {
      HostedZone: {
        Id: `/hostedzone/${world.dns.zoneId}`,
        Name: world.dns.zoneName,
        CallerReference: `drctl-sandbox-${world.dns.zoneId}`,
        Config: { PrivateZone: false },
        ResourceRecordSetCount: world.dns.records.length,
      },
      DelegationSet: { NameServers: world.dns.records.find((r) => r.type === "NS")?.values ?? [] },
    };
  },
});
