/**
 * Error responses in each protocol's own format. Hand-written: the SDK has only the readers of
 * these bodies (loadRestJsonErrorCode, AwsQueryProtocol.handleError, …), and they are small
 * fixed envelopes (`__type` + message; `<ErrorResponse><Error>`; EC2's `<Response><Errors>`).
 */
import { SandboxError, type ServiceName } from "../types.js";
import { WireFailure } from "./dispatch.js";
import { memberNames, type ServiceModel } from "./schema.js";
import { type Protocol, SERVICE_SPECS } from "./services.js";
import { escapeXml } from "./xml.js";

export interface WireError {
  code: string;
  message: string;
  status: number;
  fault: "client" | "server";
  /** Modeled members beside the message (JSON protocols). */
  members?: Record<string, string> | undefined;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export function requestIdHeaders(
  service: ServiceName | undefined,
  requestId: string,
): Record<string, string> {
  if (service === "s3") {
    return { "x-amz-request-id": requestId, "x-amz-id-2": Buffer.from(requestId).toString("base64") };
  }
  return { "x-amzn-requestid": requestId };
}

const xml = (s: string) => Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${s}`);

/**
 * Renders an error. `model` (when loaded) decides whether the JSON message member is spelled
 * `message` or `Message` for that error, as the service models it.
 */
export function errorResponse(
  protocol: Protocol,
  service: ServiceName | undefined,
  err: WireError,
  requestId: string,
  opts: { model?: ServiceModel | undefined; xmlns?: string | undefined; head?: boolean } = {},
): WireResponse {
  const headers = requestIdHeaders(service, requestId);
  const type = err.fault === "server" ? "Receiver" : "Sender";
  const code = escapeXml(err.code);
  const message = escapeXml(err.message);
  const rid = escapeXml(requestId);
  let body: Buffer;
  switch (protocol) {
    case "awsJson1_0":
    case "awsJson1_1":
    case "restJson1": {
      const schema = opts.model?.errors.get(err.code);
      const modeled = schema ? memberNames(schema) : new Set<string>();
      const messageKey = modeled.has("Message") && !modeled.has("message") ? "Message" : "message";
      headers["content-type"] =
        protocol === "restJson1"
          ? "application/json"
          : `application/x-amz-json-${protocol === "awsJson1_0" ? "1.0" : "1.1"}`;
      // An awsQueryCompatible service names the error's shape in __type and its awsQuery code
      // (the world's code) in x-amzn-query-error.
      const compatible = service !== undefined && SERVICE_SPECS[service].queryCompatible === true;
      if (compatible) headers["x-amzn-query-error"] = `${err.code};${type}`;
      const typeName = compatible ? (schema?.getName() ?? err.code) : err.code;
      headers["x-amzn-errortype"] = typeName;
      const payload: Record<string, string> =
        protocol === "restJson1"
          ? { [messageKey]: err.message }
          : { __type: typeName, [messageKey]: err.message };
      // Some services model the code as a member too (EFS `ErrorCode`, Backup `Code`).
      if (modeled.has("ErrorCode")) payload.ErrorCode = err.code;
      if (modeled.has("Code")) payload.Code = err.code;
      for (const [k, v] of Object.entries(err.members ?? {})) if (modeled.has(k)) payload[k] = v;
      body = Buffer.from(JSON.stringify(payload));
      break;
    }
    case "awsQuery":
      headers["content-type"] = "text/xml";
      body = xml(
        `<ErrorResponse xmlns="${escapeXml(opts.xmlns ?? "")}"><Error><Type>${type}</Type><Code>${code}</Code>` +
          `<Message>${message}</Message></Error><RequestId>${rid}</RequestId></ErrorResponse>`,
      );
      break;
    case "ec2Query":
      headers["content-type"] = "text/xml;charset=UTF-8";
      body = xml(
        `<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors>` +
          `<RequestID>${rid}</RequestID></Response>`,
      );
      break;
    case "restXml":
      headers["content-type"] = "application/xml";
      if (service === "s3") {
        body = xml(
          `<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${rid}</RequestId></Error>`,
        );
      } else {
        body = xml(
          `<ErrorResponse xmlns="${escapeXml(opts.xmlns ?? "")}"><Error><Type>${type}</Type><Code>${code}</Code>` +
            `<Message>${message}</Message></Error><RequestId>${rid}</RequestId></ErrorResponse>`,
        );
      }
      break;
  }
  if (opts.head) body = Buffer.alloc(0);
  return { status: err.status, headers, body };
}

/** The wire error of anything a handler throws (a SandboxError, a WireFailure, or a bug: 500). */
export function toWireError(e: unknown): WireError {
  if (e instanceof WireFailure) return e.error;
  if (e instanceof SandboxError) {
    return { code: e.code, message: e.message, status: e.httpStatus, fault: e.fault, members: e.members };
  }
  const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return {
    code: "InternalFailure",
    message: `drctl sandbox internal error: ${message}`,
    status: 500,
    fault: "server",
  };
}
