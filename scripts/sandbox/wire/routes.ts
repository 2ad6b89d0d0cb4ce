/**
 * REST protocols (restJson1: Backup, EFS; restXml: Route 53, S3): the route table built from each
 * operation's `http` trait, and the match of a request to its operation. Server-side routing has
 * no counterpart in the SDK (a client knows its operation), so this stays hand-written.
 */
import type { IncomingHttpHeaders } from "node:http";
import { memberNames, members, type Operation, requiredMembers, type ServiceModel } from "./schema.js";
import { DecodeError } from "./values.js";

type Segment = { literal: string } | { label: string; greedy: boolean };

interface Route {
  op: Operation;
  method: string;
  segments: Segment[];
  /** Literal query parameters of the URI template (value undefined = key only). */
  query: [string, string | undefined][];
  /** Query keys and header names of required members (S3: UploadPart vs PutObject vs CopyObject). */
  requiredQuery: string[];
  requiredHeaders: string[];
}

export interface RouteMatch {
  op: Operation;
  labels: Record<string, string>;
  /** Query keys the template itself uses (not part of httpQueryParams maps). */
  literalQueryKeys: Set<string>;
}

/** Builds the route table of a REST service. `s3PathStyle` prefixes `/{Bucket}` (path-style addressing). */
export function buildRoutes(model: ServiceModel, s3PathStyle: boolean): Route[] {
  const routes: Route[] = [];
  for (const op of model.operations.values()) {
    if (!op.http) continue;
    const [method, template] = op.http;
    let [path = "/", queryPart = ""] = template.split("?");
    const bucketLabel =
      memberNames(op.input).has("Bucket") && op.input.getMemberSchema("Bucket").getMergedTraits().httpLabel;
    if (s3PathStyle && bucketLabel && !path.includes("{Bucket}")) {
      path = `/{Bucket}${path === "/" ? "" : path}`;
    }
    const segments: Segment[] = path
      .split("/")
      .filter((s) => s.length > 0)
      .map((s) => {
        const m = /^\{(\w+)(\+?)\}$/.exec(s);
        return m ? { label: m[1] as string, greedy: m[2] === "+" } : { literal: s };
      });
    const query: [string, string | undefined][] = queryPart
      .split("&")
      .filter((q) => q.length > 0)
      .map((q) => {
        const i = q.indexOf("=");
        return i < 0 ? [q, undefined] : [q.slice(0, i), q.slice(i + 1)];
      });
    const required = requiredMembers(op.input);
    const requiredQuery: string[] = [];
    const requiredHeaders: string[] = [];
    for (const [name, member] of members(op.input)) {
      if (!required.has(name) || member.isIdempotencyToken()) continue;
      const t = member.getMergedTraits();
      if (t.httpQuery) requiredQuery.push(String(t.httpQuery));
      if (t.httpHeader) requiredHeaders.push(String(t.httpHeader).toLowerCase());
    }
    routes.push({
      op,
      method: method.toUpperCase(),
      segments,
      query,
      requiredQuery,
      requiredHeaders,
    });
  }
  return routes;
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new DecodeError(`Invalid percent-encoding in path segment ${s}`);
  }
}

/**
 * Finds the operation for a request. Routes whose required query/header members are absent do not
 * fit; among the rest the most specific wins: the SDK's `x-id`, literal segments, literal query
 * keys, then the number of required bound members present.
 */
export function matchRoute(
  routes: Route[],
  method: string,
  rawPath: string,
  query: URLSearchParams,
  headers: IncomingHttpHeaders = {},
): RouteMatch | undefined {
  const raw = rawPath.split("/").slice(1);
  while (raw.length > 0 && raw[raw.length - 1] === "") raw.pop();
  let best: { match: RouteMatch; score: number } | undefined;
  for (const route of routes) {
    if (route.method !== method) continue;
    const labels: Record<string, string> = {};
    let ok = true;
    let literals = 0;
    for (let i = 0; i < route.segments.length && ok; i++) {
      const seg = route.segments[i] as Segment;
      const part = raw[i];
      if (part === undefined) {
        ok = false;
      } else if ("literal" in seg) {
        ok = decodeSegment(part) === seg.literal;
        literals++;
      } else if (seg.greedy) {
        // Greedy labels (S3 keys) keep empty segments and a trailing slash.
        const rest = rawPath
          .split("/")
          .slice(1 + i)
          .map(decodeSegment)
          .join("/");
        ok = rest.length > 0;
        labels[seg.label] = rest;
        break;
      } else {
        ok = part.length > 0;
        labels[seg.label] = decodeSegment(part);
      }
    }
    const last = route.segments[route.segments.length - 1];
    const greedy = last !== undefined && "label" in last && last.greedy;
    if (!ok || (!greedy && raw.length !== route.segments.length)) continue;
    let queryScore = 0;
    let xId = 0;
    for (const [k, v] of route.query) {
      const actual = query.get(k);
      if (k === "x-id") {
        // The SDK adds x-id=Op to disambiguate; other clients (botocore) do not send it.
        if (actual !== null && actual !== v) ok = false;
        if (actual === v) xId = 1;
        continue;
      }
      if (actual === null || (v !== undefined && actual !== v)) ok = false;
      queryScore++;
    }
    if (!ok) continue;
    if (route.requiredQuery.some((k) => !query.has(k))) continue;
    if (route.requiredHeaders.some((h) => headers[h] === undefined)) continue;
    const bound = route.requiredQuery.length + route.requiredHeaders.length;
    const score = xId * 100_000 + literals * 1000 + queryScore * 100 + bound * 10 + route.segments.length;
    if (!best || score > best.score) {
      best = {
        match: { op: route.op, labels, literalQueryKeys: new Set(route.query.map(([k]) => k)) },
        score,
      };
    }
  }
  return best?.match;
}
