/**
 * Protocol dispatch: an HTTP request of a known service → {operation, SDK-shaped input}, and an
 * SDK-shaped output → the protocol's HTTP response. Pure (no sockets), so it is easy to test.
 */
import type { IncomingHttpHeaders } from "node:http";
import { missingCode } from "../world/errors.js";
import { conform, missingRequired } from "./conform.js";
import type { WireError, WireResponse } from "./errors.js";
import { requestIdHeaders } from "./errors.js";
import { fromJson, parseJson, toJson } from "./json.js";
import { inputFromQuery, parseForm, queryResponse } from "./query.js";
import { restInput, restOutput } from "./rest.js";
import { buildRoutes, matchRoute } from "./routes.js";
import type { Operation, ServiceModel } from "./schema.js";
import type { ServiceSpec } from "./services.js";
import { checkNoOutput, DecodeError, type EncodeContext } from "./values.js";

export interface WireRequest {
  method: string;
  /** Raw (still percent-encoded) path, without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A request the wire layer rejects itself (unroutable, undecodable, invalid). */
export class WireFailure extends Error {
  constructor(readonly error: WireError) {
    super(error.message);
    this.name = error.code;
  }
}

const clientError = (code: string, message: string, status = 400) =>
  new WireFailure({ code, message, status, fault: "client" });

const routeCache = new WeakMap<ServiceModel, ReturnType<typeof buildRoutes>>();

function routesFor(spec: ServiceSpec, model: ServiceModel) {
  let routes = routeCache.get(model);
  if (!routes) {
    routes = buildRoutes(model, spec.name === "s3");
    routeCache.set(model, routes);
  }
  return routes;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export interface DecodedRequest {
  operation: Operation;
  input: Record<string, unknown>;
}

/** Finds the operation and decodes its input; throws WireFailure for unknown operations and invalid input. */
export function decodeRequest(spec: ServiceSpec, model: ServiceModel, req: WireRequest): DecodedRequest {
  const { op, input: decoded } = decodeByProtocol(spec, model, req);
  const problems: string[] = [];
  const input = conform(op.input, decoded, op.name, problems, true) as Record<string, unknown>;
  if (problems.length > 0) throw clientError(missingCode(spec.name), `Invalid request: ${problems[0]}`);
  const missing = missingRequired(op.input, input, "");
  if (missing) {
    throw clientError(
      missingCode(spec.name),
      `1 validation error detected: Value null at '${missing}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return { operation: op, input };
}

function decodeByProtocol(
  spec: ServiceSpec,
  model: ServiceModel,
  req: WireRequest,
): { op: Operation; input: Record<string, unknown> } {
  try {
    switch (spec.protocol) {
      case "awsJson1_0":
      case "awsJson1_1": {
        const target = header(req.headers, "x-amz-target") ?? "";
        const dot = target.lastIndexOf(".");
        const prefix = target.slice(0, dot);
        const name = target.slice(dot + 1);
        const op = prefix === spec.target ? model.operations.get(name) : undefined;
        if (!op)
          throw clientError(
            "UnknownOperationException",
            `Unknown operation ${target || "(no X-Amz-Target)"}`,
          );
        let parsed: unknown;
        try {
          parsed = parseJson(req.body.toString("utf8"));
        } catch {
          throw clientError("SerializationException", "Request body is not valid JSON");
        }
        const input = op.input.isStructSchema() ? fromJson("rpc", op.input, parsed, name) : {};
        return { op, input: (input ?? {}) as Record<string, unknown> };
      }
      case "awsQuery":
      case "ec2Query": {
        const params = parseForm(req.body.toString("utf8"));
        for (const [k, v] of req.query) if (!params.has(k)) params.set(k, v);
        const action = params.get("Action");
        if (!action) throw clientError("MissingAction", "Missing Action parameter");
        const op = model.operations.get(action);
        if (!op) {
          throw clientError("InvalidAction", `The action ${action} is not valid for this web service.`);
        }
        params.delete("Action");
        params.delete("Version");
        const input = op.input.isStructSchema()
          ? inputFromQuery(op.input, params, spec.protocol === "ec2Query")
          : {};
        return { op, input };
      }
      case "restJson1":
      case "restXml": {
        const match = matchRoute(routesFor(spec, model), req.method, req.path, req.query, req.headers);
        if (!match) {
          if (spec.name === "s3") {
            throw clientError("MethodNotAllowed", `No S3 operation for ${req.method} ${req.path}`, 405);
          }
          throw clientError(
            "UnknownOperationException",
            `No ${spec.name} operation for ${req.method} ${req.path}`,
            404,
          );
        }
        const format = spec.protocol === "restJson1" ? "json" : "xml";
        return { op: match.op, input: restInput(match, format, req.query, req.headers, req.body) };
      }
    }
  } catch (e) {
    if (e instanceof DecodeError) throw clientError(missingCode(spec.name), e.message);
    if (e instanceof SyntaxError)
      throw clientError("SerializationException", `Malformed request body: ${e.message}`);
    throw e;
  }
}

/**
 * Encodes an SDK-shaped output as the protocol's success response. Members that do not fit the
 * model are reported in `ctx` and left out.
 */
export function encodeOutput(
  spec: ServiceSpec,
  op: Operation,
  output: Record<string, unknown>,
  requestId: string,
  ctx: EncodeContext,
): WireResponse {
  const headers = requestIdHeaders(spec.name, requestId);
  let value: Record<string, unknown> = {};
  if (op.output.isStructSchema())
    value = (conform(op.output, output, op.name, ctx.problems) ?? {}) as typeof value;
  else checkNoOutput(op.name, output, ctx);
  switch (spec.protocol) {
    case "awsJson1_0":
    case "awsJson1_1": {
      const body = op.output.isStructSchema() ? toJson("rpc", op.output, value) : Buffer.from("{}");
      headers["content-type"] = `application/x-amz-json-${spec.protocol === "awsJson1_0" ? "1.0" : "1.1"}`;
      return { status: 200, headers, body };
    }
    case "awsQuery":
    case "ec2Query": {
      const ec2 = spec.protocol === "ec2Query";
      headers["content-type"] = ec2 ? "text/xml;charset=UTF-8" : "text/xml";
      const xml = queryResponse(op, value, spec.xmlns ?? "", requestId, ec2);
      return { status: 200, headers, body: Buffer.from(xml) };
    }
    case "restJson1":
    case "restXml": {
      const res = restOutput(op, spec.protocol === "restJson1" ? "json" : "xml", value, spec.xmlns);
      return { status: res.status, headers: { ...headers, ...res.headers }, body: res.body };
    }
  }
}
