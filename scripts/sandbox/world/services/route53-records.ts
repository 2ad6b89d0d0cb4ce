/**
 * Route 53 record sets: the order ListResourceRecordSets lists them in, and how
 * ChangeResourceRecordSets reads and checks one change (docs/fidelity.md, "Route 53, SNS, S3").
 */
import type { Change, ResourceRecordSet } from "@aws-sdk/client-route-53";
import { SandboxError } from "../../types.js";
import { ALB_ZONES } from "../cfn/resources.js";
import type { RecordSet } from "../model.js";

/** Lowercase, with the trailing dot. */
export const fq = (name: string): string => {
  const n = name.toLowerCase();
  return n.endsWith(".") ? n : `${n}.`;
};

/** The sort key Route 53 documents: the labels reversed, trailing dot kept ("com.example.www."). */
const dnsKey = (name: string): string => `${fq(name).slice(0, -1).split(".").reverse().join(".")}.`;
const ascii = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** ListResourceRecordSets order: the reversed-label name in ASCII order, then the type. */
export const order = (a: RecordSet, b: RecordSet): number =>
  ascii(dnsKey(a.name), dnsKey(b.name)) || ascii(a.type, b.type);

export const badBatch = (...messages: string[]) =>
  new SandboxError("InvalidChangeBatch", `[${messages.join(", ")}]`, 400);

/**
 * The record set a change names. A set has exactly one of AliasTarget, TTL with ResourceRecords,
 * or TrafficPolicyInstanceId, else InvalidInput naming the change as Route 53 does.
 */
export function recordOf(ch: Change): RecordSet {
  const rrs: ResourceRecordSet | undefined = ch.ResourceRecordSet;
  if (!rrs?.Name || !rrs.Type) throw new SandboxError("InvalidInput", "Invalid request", 400);
  const records = (rrs.ResourceRecords ?? []).length > 0;
  const basic = rrs.TTL !== undefined || records;
  const found = (rrs.AliasTarget ? 1 : 0) + (basic ? 1 : 0) + (rrs.TrafficPolicyInstanceId ? 1 : 0);
  const complete = rrs.AliasTarget || rrs.TrafficPolicyInstanceId || (rrs.TTL !== undefined && records);
  if (found !== 1 || !complete) {
    throw new SandboxError(
      "InvalidInput",
      `Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found ${found > 1 ? "more than one" : "none"} in Change with [Action=${ch.Action}, Name=${rrs.Name}, Type=${rrs.Type}, SetIdentifier=${rrs.SetIdentifier ?? "null"}]`,
      400,
    );
  }
  const name = fq(rrs.Name);
  if (rrs.AliasTarget) {
    return {
      name,
      type: rrs.Type,
      values: [],
      alias: {
        hostedZoneId: rrs.AliasTarget.HostedZoneId ?? "",
        dnsName: fq(rrs.AliasTarget.DNSName ?? ""),
        evaluateTargetHealth: rrs.AliasTarget.EvaluateTargetHealth ?? false,
      },
    };
  }
  const values = (rrs.ResourceRecords ?? []).map((r) => r.Value ?? "");
  if (rrs.Type === "CNAME" && values.length > 1)
    throw badBatch(`RRSet of type CNAME with DNS name ${name} contains more than one value`);
  return { name, type: rrs.Type, ...(rrs.TTL !== undefined ? { ttl: rrs.TTL } : {}), values };
}

export interface Zone {
  id: string;
  name: string;
  records: RecordSet[];
}

/** Where a record set may go: inside the zone, no CNAME at the apex or beside other types. */
export function checkPlacement(zone: Zone, rec: RecordSet): void {
  if (rec.name !== zone.name && !rec.name.endsWith(`.${zone.name}`))
    throw badBatch(`RRSet with DNS name ${rec.name} is not permitted in zone ${zone.name}`);
  if (rec.type === "CNAME" && rec.name === zone.name)
    throw badBatch(
      `RRSet of type CNAME with DNS name ${rec.name} is not permitted at apex in zone ${zone.name}`,
    );
  const other = zone.records.find((r) => r.name === rec.name && r.type !== rec.type);
  if (other && rec.type === "CNAME") {
    throw badBatch(
      `RRSet of type CNAME with DNS name ${rec.name} is not permitted as it conflicts with other records with the same DNS name in zone ${zone.name}`,
    );
  }
  if (other?.type === "CNAME") {
    throw badBatch(
      `RRSet of type ${rec.type} with DNS name ${rec.name} is not permitted because a conflicting RRSet of type CNAME with the same DNS name already exists in zone ${zone.name}`,
    );
  }
}

/**
 * An alias target must lie in the hosted zone it names: a load balancer
 * (`[dualstack.]<name>.<region>.elb.amazonaws.com`) in that region's Elastic Load Balancing zone,
 * a record of this zone in this zone. Targets of other services are not checked.
 */
export function checkAlias(zone: Zone, rec: RecordSet): void {
  if (!rec.alias) return;
  const { dnsName, hostedZoneId } = rec.alias;
  const elbRegion = /\.([a-z]{2}(?:-[a-z]+)+-\d)\.elb\.amazonaws\.com\.$/.exec(dnsName)?.[1];
  const inZone = hostedZoneId === zone.id && (dnsName === zone.name || dnsName.endsWith(`.${zone.name}`));
  const target = `Tried to create an alias that targets ${dnsName}, type ${rec.type} in zone ${hostedZoneId}`;
  if (elbRegion !== undefined ? ALB_ZONES[elbRegion] === hostedZoneId : hostedZoneId !== zone.id || inZone) {
    if (!inZone || zone.records.some((r) => r.name === dnsName && r.type === rec.type)) return;
    throw badBatch(`${target}, but that target was not found`);
  }
  throw badBatch(
    `${target}, but the alias target name does not lie within the target zone`,
    `${target}, but that target was not found`,
  );
}

/** DELETE needs the set as it is: same TTL, values and alias target. */
export const same = (a: RecordSet, b: RecordSet): boolean =>
  a.ttl === b.ttl &&
  a.values.join("\n") === b.values.join("\n") &&
  JSON.stringify(a.alias) === JSON.stringify(b.alias);
