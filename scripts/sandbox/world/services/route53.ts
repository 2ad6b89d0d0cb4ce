/** Amazon Route 53: the scenario's hosted zone; changes go PENDING → INSYNC after dns.propagationSeconds. */
import type { ChangeInfo, ResourceRecordSet, RRType } from "@aws-sdk/client-route-53";
import { SandboxError } from "../../types.js";
import { optNumber, optString, requireString } from "../errors.js";
import { type Route53, serviceHandlers } from "../handlers.js";
import type { RecordSet, WorldCore } from "../model.js";

const fq = (name: string): string => {
  const n = name.toLowerCase();
  return n.endsWith(".") ? n : `${n}.`;
};

/** DNS order: compare labels from the right. */
const dnsKey = (name: string): string => fq(name).split(".").reverse().join(".");
const order = (a: RecordSet, b: RecordSet): number =>
  dnsKey(a.name).localeCompare(dnsKey(b.name)) || a.type.localeCompare(b.type);

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

const badBatch = (msg: string) => new SandboxError("InvalidChangeBatch", `[${msg}]`, 400);

function toRecord(rrs: ResourceRecordSet): RecordSet {
  const name = fq(rrs.Name ?? "");
  const type = rrs.Type ?? "";
  if (!rrs.Name || !type)
    throw new SandboxError("InvalidInput", "Invalid request: Name and Type are required", 400);
  if (rrs.AliasTarget) {
    return {
      name,
      type,
      values: [],
      alias: {
        hostedZoneId: rrs.AliasTarget.HostedZoneId ?? "",
        dnsName: fq(rrs.AliasTarget.DNSName ?? ""),
        evaluateTargetHealth: rrs.AliasTarget.EvaluateTargetHealth ?? false,
      },
    };
  }
  const values = (rrs.ResourceRecords ?? []).map((r) => r.Value ?? "");
  if (values.length === 0)
    throw badBatch(`Invalid Resource Record: FATAL problem: no ResourceRecords for ${name} ${type}`);
  if (type === "CNAME" && values.length > 1)
    throw badBatch(`RRSet of type CNAME with DNS name ${name} contains more than one value`);
  return { name, type, ...(rrs.TTL !== undefined ? { ttl: rrs.TTL } : {}), values };
}

const same = (a: RecordSet, b: RecordSet) =>
  a.ttl === b.ttl &&
  a.values.join("\n") === b.values.join("\n") &&
  JSON.stringify(a.alias) === JSON.stringify(b.alias);

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
    const next = world.dns.records.map((r) => ({ ...r }));
    for (const ch of changes) {
      if (!ch.ResourceRecordSet)
        throw new SandboxError("InvalidInput", "Invalid request: missing ResourceRecordSet", 400);
      const rec = toRecord(ch.ResourceRecordSet);
      if (!rec.name.endsWith(world.dns.zoneName)) {
        throw badBatch(`RRSet with DNS name ${rec.name} is not permitted in zone ${world.dns.zoneName}`);
      }
      const at = next.findIndex((r) => r.name === rec.name && r.type === rec.type);
      const conflict = next.find(
        (r) => r.name === rec.name && r.type !== rec.type && (r.type === "CNAME" || rec.type === "CNAME"),
      );
      switch (ch.Action) {
        case "CREATE":
          if (at >= 0) {
            throw badBatch(
              `Tried to create resource record set [name='${rec.name}', type='${rec.type}'] but it already exists`,
            );
          }
          if (conflict) {
            throw badBatch(
              `RRSet of type ${rec.type} with DNS name ${rec.name} is not permitted because a conflicting RRSet of type ${conflict.type} with the same DNS name already exists in zone ${world.dns.zoneName}`,
            );
          }
          next.push(rec);
          break;
        case "UPSERT":
          if (conflict) {
            throw badBatch(
              `RRSet of type ${rec.type} with DNS name ${rec.name} is not permitted because a conflicting RRSet of type ${conflict.type} with the same DNS name already exists in zone ${world.dns.zoneName}`,
            );
          }
          if (at >= 0) next[at] = rec;
          else next.push(rec);
          break;
        case "DELETE": {
          const cur = at >= 0 ? next[at] : undefined;
          if (!cur) {
            throw badBatch(
              `Tried to delete resource record set [name='${rec.name}', type='${rec.type}'] but it was not found`,
            );
          }
          if (!same(cur, rec)) {
            throw badBatch(
              `Tried to delete resource record set [name='${rec.name}', type='${rec.type}'] but the values provided do not match the current values`,
            );
          }
          next.splice(at, 1);
          break;
        }
        default:
          throw new SandboxError(
            "InvalidInput",
            `Invalid request: Action ${String(ch.Action)} is not CREATE, DELETE or UPSERT`,
            400,
          );
      }
    }
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
