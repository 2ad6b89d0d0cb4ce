import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  ListResourceRecordSetsCommand,
  type ResourceRecordSet,
  Route53Client,
} from "@aws-sdk/client-route-53";
import { ConfigInvalid } from "../errors.js";
import { clientConfig, memoClient } from "./clients.js";
import { callAws } from "./errors.js";

export interface RecordValue {
  name: string;
  type: string;
  ttl?: number;
  values: string[];
  aliasTarget?: { dnsName: string; hostedZoneId: string };
}

export interface UpsertInput {
  hostedZoneId: string;
  name: string;
  type: "CNAME" | "A";
  ttl: number;
  /** CNAME target, or for type A the alias target's DNS name. */
  target: string;
  /** Alias target's hosted zone id (type A only). */
  aliasHostedZoneId?: string;
  comment: string;
}

/** The Amazon Route 53 operations drctl uses. */
export interface Route53Api {
  /** ListResourceRecordSets starting at name/type; undefined when no such record. */
  getRecord(hostedZoneId: string, name: string, type: string): Promise<RecordValue | undefined>;
  /** ChangeResourceRecordSets with one UPSERT; returns the change id and status. */
  upsertRecord(input: UpsertInput): Promise<{ changeId: string; status: "PENDING" | "INSYNC" }>;
  /** GetChange. */
  getChange(changeId: string): Promise<"PENDING" | "INSYNC">;
}

const SERVICE = "route53";

/** "/hostedzone/Z123" → "Z123". */
export const normalizeZoneId = (id: string): string => id.replace(/^\/?hostedzone\//, "");
/** "/change/C123" → "C123". */
export const normalizeChangeId = (id: string): string => id.replace(/^\/?change\//, "");

/**
 * Record names compare case-insensitively, with or without the trailing dot; Route 53 returns
 * special characters as octal escapes ("\\052" for "*").
 */
export function normalizeRecordName(name: string): string {
  const decoded = name.replace(/\\([0-7]{3})/g, (_, oct: string) =>
    String.fromCharCode(Number.parseInt(oct, 8)),
  );
  return (decoded.endsWith(".") ? decoded : `${decoded}.`).toLowerCase();
}

const toStatus = (status: string | undefined): "PENDING" | "INSYNC" =>
  status === "INSYNC" ? "INSYNC" : "PENDING";

function toRecord(r: ResourceRecordSet): RecordValue {
  const out: RecordValue = {
    name: r.Name ?? "",
    type: r.Type ?? "",
    values: (r.ResourceRecords ?? []).flatMap((v) => (v.Value !== undefined ? [v.Value] : [])),
  };
  if (r.TTL !== undefined) out.ttl = r.TTL;
  if (r.AliasTarget) {
    out.aliasTarget = {
      dnsName: r.AliasTarget.DNSName ?? "",
      hostedZoneId: r.AliasTarget.HostedZoneId ?? "",
    };
  }
  return out;
}

export function route53Api(client: Route53Client): Route53Api {
  return {
    getRecord: (hostedZoneId, name, type) =>
      callAws(SERVICE, "ListResourceRecordSets", `${name} ${type} in ${hostedZoneId}`, async () => {
        const out = await client.send(
          new ListResourceRecordSetsCommand({
            HostedZoneId: normalizeZoneId(hostedZoneId),
            StartRecordName: name,
            StartRecordType: type as ResourceRecordSet["Type"],
            MaxItems: 1,
          }),
        );
        // Route 53 lists from the start name on: the first record is the next one when ours is absent.
        const first = out.ResourceRecordSets?.[0];
        if (
          !first ||
          normalizeRecordName(first.Name ?? "") !== normalizeRecordName(name) ||
          first.Type !== type
        ) {
          return undefined;
        }
        return toRecord(first);
      }),

    upsertRecord: async (input) => {
      let recordSet: ResourceRecordSet;
      if (input.type === "CNAME") {
        recordSet = {
          Name: input.name,
          Type: "CNAME",
          TTL: input.ttl,
          ResourceRecords: [{ Value: input.target }],
        };
      } else {
        if (!input.aliasHostedZoneId) {
          throw new ConfigInvalid(
            `route53: alias record ${input.name} needs the load balancer's hosted zone id (stack.loadBalancerZoneOutput)`,
          );
        }
        recordSet = {
          Name: input.name,
          Type: "A",
          AliasTarget: {
            DNSName: input.target,
            HostedZoneId: normalizeZoneId(input.aliasHostedZoneId),
            EvaluateTargetHealth: true,
          },
        };
      }
      return callAws(
        SERVICE,
        "ChangeResourceRecordSets",
        `${input.name} ${input.type} -> ${input.target} in ${input.hostedZoneId}`,
        async () => {
          const out = await client.send(
            new ChangeResourceRecordSetsCommand({
              HostedZoneId: normalizeZoneId(input.hostedZoneId),
              ChangeBatch: {
                Comment: input.comment,
                Changes: [{ Action: "UPSERT", ResourceRecordSet: recordSet }],
              },
            }),
          );
          const info = out.ChangeInfo;
          if (!info?.Id) throw new Error("ChangeResourceRecordSets returned no ChangeInfo");
          return { changeId: normalizeChangeId(info.Id), status: toStatus(info.Status) };
        },
      );
    },

    getChange: (changeId) =>
      callAws(SERVICE, "GetChange", changeId, async () => {
        const out = await client.send(new GetChangeCommand({ Id: normalizeChangeId(changeId) }));
        return toStatus(out.ChangeInfo?.Status);
      }),
  };
}

/** The route53 wrapper for this container (Route 53 is global, signed in us-east-1). */
export const route53Global = (): Route53Api =>
  memoClient("route53", () => route53Api(new Route53Client(clientConfig("ROUTE_53", "us-east-1"))));
