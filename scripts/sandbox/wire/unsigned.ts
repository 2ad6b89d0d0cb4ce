/** Requests without a credential scope: the service whose error format answers them, and the error. */
import type { IncomingMessage } from "node:http";
import { type Protocol, SERVICE_SPECS, type ServiceSpec } from "./services.js";

export const UNAUTHENTICATED: Record<Protocol, { code: string; status: number }> = {
  awsJson1_0: { code: "MissingAuthenticationTokenException", status: 403 },
  awsJson1_1: { code: "MissingAuthenticationTokenException", status: 403 },
  restJson1: { code: "MissingAuthenticationTokenException", status: 403 },
  awsQuery: { code: "MissingAuthenticationToken", status: 403 },
  ec2Query: { code: "MissingAuthenticationToken", status: 403 },
  restXml: { code: "MissingAuthenticationToken", status: 403 },
};

/** For requests without a credential scope: which service's error format to answer in. */
export function guessService(path: string, headers: IncomingMessage["headers"], body: Buffer): ServiceSpec {
  const target = String(headers["x-amz-target"] ?? "");
  if (target) {
    const byTarget = Object.values(SERVICE_SPECS).find((s) => s.target && target.startsWith(`${s.target}.`));
    if (byTarget) return byTarget;
  }
  if (String(headers["content-type"] ?? "").includes("x-www-form-urlencoded")) {
    const version = new URLSearchParams(body.toString("utf8")).get("Version");
    const byVersion = Object.values(SERVICE_SPECS).find(
      (s) => s.protocol.endsWith("Query") && s.version === version,
    );
    if (byVersion) return byVersion;
  }
  if (path.startsWith("/2015-02-01/")) return SERVICE_SPECS.efs;
  if (path.startsWith("/2013-04-01/")) return SERVICE_SPECS.route53;
  if (/^\/(backup-vaults|restore-jobs|backup-jobs|tags|backup\/)/.test(path)) return SERVICE_SPECS.backup;
  return SERVICE_SPECS.s3;
}
