/**
 * REST protocols (restJson1: Backup, EFS; restXml: Route 53, S3): the route table built from each
 * operation's `http` trait, and the HTTP bindings (httpLabel, httpQuery, httpQueryParams,
 * httpHeader, httpPrefixHeaders, httpPayload, httpResponseCode) both ways.
 */
import type { IncomingHttpHeaders } from "node:http";
import { fromJson, parseJson, toJson } from "./json.js";
import { type Operation, type Schema, type ServiceModel, subStructure } from "./schema.js";
import { HTTP_DATE, type Member, type Shape, shapeOf } from "./shape.js";
import { checkNoOutput, DecodeError, type EncodeContext, scalarFromText, scalarToText } from "./values.js";
import { escapeXml, parseXml, structBodyToXml, structFromXml, valueToXml } from "./xml.js";

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
    const input = shapeOf(op.input);
    if (s3PathStyle && input.member_("Bucket")?.shape.traits.httpLabel && !path.includes("{Bucket}")) {
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
    const required = input.members.filter((m) => m.required && !m.shape.traits.idempotencyToken);
    routes.push({
      op,
      method: method.toUpperCase(),
      segments,
      query,
      requiredQuery: required
        .filter((m) => m.shape.traits.httpQuery)
        .map((m) => String(m.shape.traits.httpQuery)),
      requiredHeaders: required
        .filter((m) => m.shape.traits.httpHeader)
        .map((m) => String(m.shape.traits.httpHeader).toLowerCase()),
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

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(", ") : v;
}

/** Decodes a REST request into the operation's SDK input. */
export function restInput(
  match: RouteMatch,
  format: "json" | "xml",
  query: URLSearchParams,
  headers: IncomingHttpHeaders,
  body: Buffer,
): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const shape = shapeOf(match.op.input);
  if (shape.kind !== "structure") return input;
  const boundQuery = new Set<string>(match.literalQueryKeys);
  const bodyMembers: Member[] = [];
  for (const m of shape.members) {
    const t = m.shape.traits;
    if (t.httpQuery) boundQuery.add(String(t.httpQuery));
  }
  for (const m of shape.members) {
    const t = m.shape.traits;
    const where = m.name;
    if (t.httpLabel) {
      const v = match.labels[m.name];
      if (v !== undefined) input[m.name] = scalarFromText(m.shape, v, where);
    } else if (t.httpQuery) {
      const key = String(t.httpQuery);
      if (m.shape.kind === "list") {
        const all = query.getAll(key);
        if (all.length > 0) input[m.name] = all.map((v) => scalarFromText(m.shape.member, v, where));
      } else {
        const v = query.get(key);
        if (v !== null) input[m.name] = scalarFromText(m.shape, v, where);
      }
    } else if (t.httpQueryParams) {
      const map: Record<string, unknown> = {};
      const listValues = m.shape.member.kind === "list";
      for (const key of new Set(query.keys())) {
        if (boundQuery.has(key)) continue;
        map[key] = listValues ? query.getAll(key) : query.get(key);
      }
      if (Object.keys(map).length > 0) input[m.name] = map;
    } else if (t.httpHeader) {
      const v = headerValue(headers, String(t.httpHeader));
      if (v === undefined) continue;
      if (m.shape.kind === "list") {
        input[m.name] = v.split(",").map((s) => scalarFromText(m.shape.member, s.trim(), where));
      } else {
        input[m.name] = scalarFromText(m.shape, v, where);
      }
    } else if (t.httpPrefixHeaders !== undefined) {
      const prefix = String(t.httpPrefixHeaders).toLowerCase();
      const map: Record<string, string> = {};
      for (const [k, v] of Object.entries(headers)) {
        if (k.startsWith(prefix) && v !== undefined)
          map[k.slice(prefix.length)] = Array.isArray(v) ? v.join(", ") : v;
      }
      if (Object.keys(map).length > 0) input[m.name] = map;
    } else if (t.httpPayload) {
      const v = payloadFromBody(m.shape, format, body, where);
      if (v !== undefined) input[m.name] = v;
    } else {
      bodyMembers.push(m);
    }
  }
  if (bodyMembers.length > 0 && body.length > 0) {
    Object.assign(input, bodyFromRequest(shape, bodyMembers, format, body));
  }
  return input;
}

function bodyFromRequest(
  shape: Shape,
  members: Member[],
  format: "json" | "xml",
  body: Buffer,
): Record<string, unknown> {
  const text = body.toString("utf8");
  if (text.trim() === "") return {};
  if (format === "xml") return structFromXml(shape, parseXml(text), shape.name, members);
  return fromJson("rest", bodySchema(shape.ns, members), parseJson(text), "body") as Record<string, unknown>;
}

const bodySchemas = new WeakMap<Schema, Schema>();

/** The structure of the members carried in the body, as the SDK's HttpBindingProtocol builds it. */
function bodySchema(ns: Schema, members: Member[]): Schema {
  let body = bodySchemas.get(ns);
  if (!body) {
    const names = new Set(members.map((m) => m.name));
    body = subStructure(ns, (name) => names.has(name));
    bodySchemas.set(ns, body);
  }
  return body;
}

function payloadFromBody(shape: Shape, format: "json" | "xml", body: Buffer, where: string): unknown {
  switch (shape.kind) {
    case "blob":
      // The contract carries S3 object bodies as strings.
      return shape.streaming ? body.toString("utf8") : body.length > 0 ? new Uint8Array(body) : undefined;
    case "string":
      return body.length > 0 ? body.toString("utf8") : undefined;
    case "structure":
    case "union": {
      if (body.length === 0) return undefined;
      const text = body.toString("utf8");
      if (format === "xml") return structFromXml(shape, parseXml(text), where);
      return fromJson("rest", shape.ns, parseJson(text), where);
    }
    default:
      return body.length > 0
        ? fromJson("rest", shape.ns, parseJson(body.toString("utf8")), where)
        : undefined;
  }
}

export interface RestResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Encodes an SDK output into the REST response (status, bound headers, JSON/XML body or payload). */
export function restOutput(
  op: Operation,
  format: "json" | "xml",
  value: Record<string, unknown>,
  xmlns: string | undefined,
  ctx: EncodeContext,
): RestResponse {
  let status = op.http?.[2] ?? 200;
  const headers: Record<string, string> = {};
  const shape = shapeOf(op.output);
  if (shape.kind !== "structure") {
    checkNoOutput(op.name, value, ctx);
    return { status, headers, body: Buffer.from(format === "json" && status !== 204 ? "{}" : "") };
  }
  const bodyMembers: Member[] = [];
  let payload: Buffer | undefined;
  for (const m of shape.members) {
    const t = m.shape.traits;
    const v = value[m.name];
    if (t.httpHeader) {
      if (v === undefined || v === null) continue;
      const items = m.shape.kind === "list" && Array.isArray(v) ? v : [v];
      const shapeOf = m.shape.kind === "list" ? m.shape.member : m.shape;
      const texts = items
        .map((x) => scalarToText(shapeOf, x, m.name, HTTP_DATE, ctx))
        .filter((x) => x !== undefined);
      headers[String(t.httpHeader).toLowerCase()] = texts.join(", ");
    } else if (t.httpPrefixHeaders !== undefined) {
      if (v && typeof v === "object") {
        for (const [k, x] of Object.entries(v))
          headers[`${String(t.httpPrefixHeaders)}${k}`.toLowerCase()] = String(x);
      }
    } else if (t.httpResponseCode) {
      if (typeof v === "number") status = v;
    } else if (t.httpPayload) {
      payload = payloadToBody(m, format, v, xmlns, ctx, headers);
    } else {
      bodyMembers.push(m);
    }
  }
  const known = new Set(shape.members.map((m) => m.name));
  for (const k of Object.keys(value)) {
    if (!known.has(k) && k !== "$metadata" && value[k] !== undefined) {
      ctx.problems.push(`${op.name}.${k}: not a member of ${shape.name}`);
    }
  }
  if (payload !== undefined) return { status, headers, body: payload };
  if (format === "json") {
    if (status === 204) return { status, headers, body: Buffer.alloc(0) };
    headers["content-type"] = "application/json";
    const body =
      bodyMembers.length > 0 ? toJson("rest", bodySchema(shape.ns, bodyMembers), value) : undefined;
    return { status, headers, body: body ?? Buffer.from("{}") };
  }
  const bodyNames = new Set(bodyMembers.map((m) => m.name));
  if (bodyMembers.length === 0) return { status, headers, body: Buffer.alloc(0) };
  const root = String(shape.traits.xmlName ?? shape.name);
  const { attributes, body } = structBodyToXml(shape, value, op.name, ctx, (name) => !bodyNames.has(name));
  headers["content-type"] = "application/xml";
  const ns = xmlns ? ` xmlns="${escapeXml(xmlns)}"` : "";
  return {
    status,
    headers,
    body: Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n<${root}${ns}${attributes}>${body}</${root}>`),
  };
}

function payloadToBody(
  m: Member,
  format: "json" | "xml",
  v: unknown,
  xmlns: string | undefined,
  ctx: EncodeContext,
  headers: Record<string, string>,
): Buffer | undefined {
  if (v === undefined || v === null) return undefined;
  const shape = m.shape;
  if (shape.kind === "blob" || shape.kind === "string") {
    if (typeof v === "string") return Buffer.from(v, "utf8");
    if (v instanceof Uint8Array) return Buffer.from(v);
    ctx.problems.push(`${m.name}: payload must be a string or Uint8Array`);
    return Buffer.from(String(v));
  }
  if (format === "json") {
    headers["content-type"] = "application/json";
    return toJson("rest", shape.ns, v);
  }
  headers["content-type"] = "application/xml";
  const name = String(shape.traits.xmlName ?? shape.name);
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?>\n${valueToXml(shape, v, name, m.name, ctx, xmlns)}`,
  );
}
