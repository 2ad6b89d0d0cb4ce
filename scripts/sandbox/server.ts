/**
 * The sandbox's AWS endpoint: one loopback HTTP server for every emulated service and region.
 * Requests are routed by the SigV4 credential scope (`Credential=AKID/date/<region>/<service>/aws4_request`;
 * signatures are not verified), decoded from the service's real wire protocol into
 * {service, operation, region, input} shaped like the SDK v3 command input, handed to the backend,
 * and the output (or SandboxError) is encoded back as the protocol's real HTTP response.
 * Works for the AWS SDK v3 (`endpoint`, S3 with forcePathStyle), the AWS CLI and boto3 (`--endpoint-url`).
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type SandboxBackend, SandboxError, type ServiceName } from "./types.js";
import { decodeRequest, encodeOutput } from "./wire/dispatch.js";
import { errorResponse, toWireError, type WireError, type WireResponse } from "./wire/errors.js";
import { credentialScope, gunzipRequest, readBody } from "./wire/http.js";
import { modelFor, serviceForSigningName } from "./wire/services.js";
import { guessService, UNAUTHENTICATED } from "./wire/unsigned.js";
import type { EncodeContext } from "./wire/values.js";

/** Serves non-AWS paths (e.g. `/_sandbox/health/<region>/<stack>`); returns true when it handled the request. */
export type ExtraRoutes = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

export interface RequestLogEntry {
  service: ServiceName | undefined;
  operation: string | undefined;
  region: string | undefined;
  status: number;
  /** Error code, when the response is an error. */
  error?: string;
  /** Output members that do not fit the SDK model (dropped, or fatal with `strict`). */
  problems?: string[];
  ms: number;
}

export interface ServerOptions {
  backend: SandboxBackend;
  /** 0 (default) = an ephemeral port. */
  port?: number;
  extraRoutes?: ExtraRoutes;
  /**
   * Backend outputs that do not fit the SDK model (unknown members, wrong types) become a 500
   * InternalFailure naming them, instead of being dropped. Use in tests.
   */
  strict?: boolean;
  onRequest?: (entry: RequestLogEntry) => void;
}

export interface SandboxServer {
  /** `http://127.0.0.1:<port>`: the endpoint for every service. */
  url: string;
  port: number;
  /** Replaces the backend (e.g. once the world knows the server's port). */
  setBackend(backend: SandboxBackend): void;
  /** Installs or replaces the hook for non-AWS paths. */
  setExtraRoutes(extraRoutes: ExtraRoutes | undefined): void;
  close(): Promise<void>;
}

function send(req: IncomingMessage, res: ServerResponse, response: WireResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  if (req.method === "HEAD") {
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  headers["content-length"] = String(response.body.length);
  res.writeHead(response.status, headers);
  res.end(response.body);
}

export async function startServer(options: ServerOptions): Promise<SandboxServer> {
  let backend = options.backend;
  let extraRoutes = options.extraRoutes;
  const log = options.onRequest;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = Date.now();
    if (extraRoutes && (await extraRoutes(req, res))) return;
    const requestId = randomUUID();
    const rawUrl = req.url ?? "/";
    const q = rawUrl.indexOf("?");
    const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const query = new URLSearchParams(q < 0 ? "" : rawUrl.slice(q + 1));
    const method = (req.method ?? "GET").toUpperCase();
    const entry: RequestLogEntry = {
      service: undefined,
      operation: undefined,
      region: undefined,
      status: 0,
      ms: 0,
    };
    const finish = (response: WireResponse, error?: string) => {
      send(req, res, response);
      entry.status = response.status;
      if (error) entry.error = error;
      entry.ms = Date.now() - started;
      log?.(entry);
    };

    let body: Buffer;
    let headers: IncomingMessage["headers"];
    try {
      ({ body, headers } = await readBody(req));
    } catch (e) {
      const spec = guessService(path, req.headers, Buffer.alloc(0));
      const err: WireError =
        e instanceof SandboxError
          ? toWireError(e)
          : { code: "IncompleteBody", message: String(e), status: 400, fault: "client" };
      // A body refused while it is still arriving: answer, then close the connection.
      if (err.status === 413) res.setHeader("connection", "close");
      finish(errorResponse(spec.protocol, spec.name, err, requestId, { xmlns: spec.xmlns }), err.code);
      return;
    }

    const regionSet = req.headers["x-amz-region-set"];
    const scope = credentialScope(
      req.headers.authorization,
      query,
      Array.isArray(regionSet) ? regionSet[0] : regionSet,
    );
    if (!scope) {
      const spec = guessService(path, req.headers, body);
      const err: WireError =
        spec.name === "s3"
          ? { code: "AccessDenied", message: "Access Denied", status: 403, fault: "client" }
          : {
              ...UNAUTHENTICATED[spec.protocol],
              message: "Missing Authentication Token",
              fault: "client",
            };
      entry.service = spec.name;
      finish(
        errorResponse(spec.protocol, spec.name, err, requestId, {
          xmlns: spec.xmlns,
          head: method === "HEAD",
        }),
        err.code,
      );
      return;
    }
    entry.region = scope.region;
    const spec = serviceForSigningName(scope.service);
    if (!spec) {
      const err: WireError = {
        code: "UnrecognizedServiceException",
        message: `The drctl sandbox does not emulate the service signed as '${scope.service}'`,
        status: 400,
        fault: "client",
      };
      finish(errorResponse("awsJson1_1", undefined, err, requestId), err.code);
      return;
    }
    entry.service = spec.name;
    const model = await modelFor(spec.name);
    const head = method === "HEAD";
    try {
      if (spec.name !== "s3") body = gunzipRequest(body, headers);
      const { operation, input } = decodeRequest(spec, model, { method, path, query, headers, body });
      entry.operation = operation.name;
      // A client that gives up (request timeout) closes its connection: a hung call ends then.
      const gaveUp = new AbortController();
      res.once("close", () => {
        if (!res.writableEnded) gaveUp.abort();
      });
      const output = await backend.call(
        { service: spec.name, operation: operation.name, region: scope.region, input },
        { accessKeyId: scope.accessKeyId, signal: gaveUp.signal },
      );
      const ctx: EncodeContext = { problems: [] };
      const response = encodeOutput(spec, operation, output ?? {}, requestId, ctx);
      if (ctx.problems.length > 0) {
        const problems = [...new Set(ctx.problems)];
        entry.problems = problems;
        if (options.strict) {
          throw new SandboxError(
            "InternalFailure",
            `drctl sandbox: ${spec.name}.${operation.name} output does not fit the SDK model: ${problems.join("; ")}`,
            500,
          );
        }
      }
      finish(response);
    } catch (e) {
      const err = toWireError(e);
      finish(
        errorResponse(spec.protocol, spec.name, err, requestId, { model, xmlns: spec.xmlns, head }),
        err.code,
      );
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { "content-type": "text/plain" });
        res.end(`drctl sandbox: ${String(e)}`);
      } else {
        res.destroy();
      }
    });
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    setBackend(b) {
      backend = b;
    },
    setExtraRoutes(fn) {
      extraRoutes = fn;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}
