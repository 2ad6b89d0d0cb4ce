/**
 * The HTTP bindings of the REST protocols (httpLabel, httpQuery, httpQueryParams, httpHeader,
 * httpPrefixHeaders, httpPayload, httpResponseCode), both ways. Bodies go through the SDK's JSON
 * and XML codecs (json.ts, xml.ts) over the operation's body members, as the SDK's
 * HttpBindingProtocol does; response headers through its ToStringShapeSerializer.
 *
 * Hand-written: reading the bound request parts. The SDK reads bindings only from responses
 * (headers, status, payload) and parses text leniently (see values.ts); labels, query strings and
 * request headers are a server's concern.
 */
import type { IncomingHttpHeaders } from "node:http";
import { ToStringShapeSerializer } from "@smithy/core/protocols";
import { splitHeader } from "@smithy/core/serde";
import { fromJson, parseJson, toJson } from "./json.js";
import type { RouteMatch } from "./routes.js";
import { members, type Operation, type Schema, subStructure } from "./schema.js";
import { scalarFromText } from "./values.js";
import { structFromXml, structToXml, XML_DECLARATION } from "./xml.js";

type Format = "json" | "xml";

const BINDINGS = [
  "httpLabel",
  "httpQuery",
  "httpQueryParams",
  "httpHeader",
  "httpPayload",
  "httpResponseCode",
];

function isBound(member: Schema): boolean {
  const t = member.getMergedTraits();
  return BINDINGS.some((b) => t[b]) || t.httpPrefixHeaders !== undefined;
}

const bodySchemas = new WeakMap<Schema, Schema | null>();

/** The structure of the members carried in the body (none bound elsewhere), or null when there are none. */
function bodySchema(ns: Schema): Schema | null {
  let body = bodySchemas.get(ns);
  if (body === undefined) {
    const names = [...members(ns)].filter(([, m]) => !isBound(m)).map(([name]) => name);
    body = names.length > 0 ? subStructure(ns, (name) => names.includes(name)) : null;
    bodySchemas.set(ns, body);
  }
  return body;
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(", ") : v;
}

/** Decodes a REST request into the operation's SDK input. */
export function restInput(
  match: RouteMatch,
  format: Format,
  query: URLSearchParams,
  headers: IncomingHttpHeaders,
  body: Buffer,
): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const ns = match.op.input;
  if (!ns.isStructSchema()) return input;
  const boundQuery = new Set<string>(match.literalQueryKeys);
  for (const [, m] of members(ns)) {
    const q = m.getMergedTraits().httpQuery;
    if (q) boundQuery.add(String(q));
  }
  for (const [name, m] of members(ns)) {
    const t = m.getMergedTraits();
    if (t.httpLabel) {
      const v = match.labels[name];
      if (v !== undefined) input[name] = scalarFromText(m, v, name);
    } else if (t.httpQuery) {
      const key = String(t.httpQuery);
      if (m.isListSchema()) {
        const all = query.getAll(key);
        if (all.length > 0) input[name] = all.map((v) => scalarFromText(m.getValueSchema(), v, name));
      } else {
        const v = query.get(key);
        if (v !== null) input[name] = scalarFromText(m, v, name);
      }
    } else if (t.httpQueryParams) {
      const map: Record<string, unknown> = {};
      const listValues = m.getValueSchema().isListSchema();
      for (const key of new Set(query.keys())) {
        if (boundQuery.has(key)) continue;
        map[key] = listValues ? query.getAll(key) : query.get(key);
      }
      if (Object.keys(map).length > 0) input[name] = map;
    } else if (t.httpHeader) {
      const v = headerValue(headers, String(t.httpHeader));
      if (v === undefined) continue;
      input[name] = m.isListSchema()
        ? splitHeader(v).map((s) => scalarFromText(m.getValueSchema(), s.trim(), name))
        : scalarFromText(m, v, name);
    } else if (t.httpPrefixHeaders !== undefined) {
      const prefix = String(t.httpPrefixHeaders).toLowerCase();
      const map: Record<string, string> = {};
      for (const [k, v] of Object.entries(headers)) {
        if (k.startsWith(prefix) && v !== undefined)
          map[k.slice(prefix.length)] = Array.isArray(v) ? v.join(", ") : v;
      }
      if (Object.keys(map).length > 0) input[name] = map;
    } else if (t.httpPayload) {
      const v = payloadFromBody(m, format, body, name);
      if (v !== undefined) input[name] = v;
    }
  }
  const bodyNs = bodySchema(ns);
  if (bodyNs && body.length > 0) {
    const text = body.toString("utf8");
    if (text.trim() !== "") {
      const decoded =
        format === "xml"
          ? structFromXml(bodyNs, text, ns.getName() ?? "body")
          : fromJson("rest", bodyNs, parseJson(text), "body");
      Object.assign(input, decoded);
    }
  }
  return input;
}

function payloadFromBody(m: Schema, format: Format, body: Buffer, where: string): unknown {
  if (m.isBlobSchema()) {
    // The contract carries S3 object bodies as strings.
    return m.isStreaming() ? body.toString("utf8") : body.length > 0 ? new Uint8Array(body) : undefined;
  }
  if (m.isStringSchema()) return body.length > 0 ? body.toString("utf8") : undefined;
  if (body.length === 0) return undefined;
  const text = body.toString("utf8");
  if (format === "xml" && m.isStructSchema()) return structFromXml(m, text, where);
  return fromJson("rest", m, parseJson(text), where);
}

export interface RestResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Response headers as the SDK writes bound members (HTTP dates, quoted list items, base64 JSON). */
const headerSerializer = new ToStringShapeSerializer({
  timestampFormat: { useTrait: true, default: 7 },
  httpBindings: true,
});

function headerText(m: Schema, v: unknown): string {
  headerSerializer.write(m, v);
  return headerSerializer.flush();
}

/** Encodes an SDK output (already checked against the model) into the REST response. */
export function restOutput(
  op: Operation,
  format: Format,
  value: Record<string, unknown>,
  xmlns: string | undefined,
): RestResponse {
  let status = op.http?.[2] ?? 200;
  const headers: Record<string, string> = {};
  const ns = op.output;
  if (!ns.isStructSchema()) {
    return { status, headers, body: Buffer.from(format === "json" && status !== 204 ? "{}" : "") };
  }
  let payload: Buffer | undefined;
  for (const [name, m] of members(ns)) {
    const t = m.getMergedTraits();
    const v = value[name];
    if (t.httpResponseCode) {
      if (typeof v === "number") status = v;
    }
    if (v === undefined || v === null) continue;
    if (t.httpHeader) {
      headers[String(t.httpHeader).toLowerCase()] = headerText(m, v);
    } else if (t.httpPrefixHeaders !== undefined) {
      for (const [k, x] of Object.entries(v as Record<string, unknown>))
        headers[`${String(t.httpPrefixHeaders)}${k}`.toLowerCase()] = String(x);
    } else if (t.httpPayload) {
      payload = payloadToBody(m, format, v, xmlns, headers);
    }
  }
  if (payload !== undefined) return { status, headers, body: payload };
  const bodyNs = bodySchema(ns);
  if (format === "json") {
    if (status === 204) return { status, headers, body: Buffer.alloc(0) };
    headers["content-type"] = "application/json";
    return { status, headers, body: bodyNs ? toJson("rest", bodyNs, value) : Buffer.from("{}") };
  }
  if (!bodyNs) return { status, headers, body: Buffer.alloc(0) };
  headers["content-type"] = "application/xml";
  return { status, headers, body: Buffer.from(XML_DECLARATION + structToXml(bodyNs, value, xmlns)) };
}

function payloadToBody(
  m: Schema,
  format: Format,
  v: unknown,
  xmlns: string | undefined,
  headers: Record<string, string>,
): Buffer {
  if (m.isBlobSchema() || m.isStringSchema()) {
    return typeof v === "string" ? Buffer.from(v, "utf8") : Buffer.from(v as Uint8Array);
  }
  if (format === "json") {
    headers["content-type"] = "application/json";
    return toJson("rest", m, v);
  }
  headers["content-type"] = "application/xml";
  return Buffer.from(XML_DECLARATION + structToXml(m, v, xmlns));
}
