import type { Route53Client } from "@aws-sdk/client-route-53";

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

export function route53Api(_client: Route53Client): Route53Api {
  throw new Error("route53Api: not implemented yet");
}
