/**
 * Every operation of every emulated service, both ways, against the SDK clients' own protocol
 * implementations: a request the client serializes decodes to the input it was given, and a
 * response the sandbox encodes parses, in the client, to the output the backend returned.
 */
import { Readable } from "node:stream";
import { HttpResponse } from "@smithy/core/protocols";
import { describe, expect, it } from "vitest";
import { SERVICES, type ServiceName } from "../../../scripts/sandbox/types.js";
import { decodeRequest, encodeOutput } from "../../../scripts/sandbox/wire/dispatch.js";
import { modelFromModule } from "../../../scripts/sandbox/wire/schema.js";
import { SERVICE_SPECS } from "../../../scripts/sandbox/wire/services.js";
import type { EncodeContext } from "../../../scripts/sandbox/wire/values.js";
import { comparable, difference, operationSchema, sample } from "./wire-samples.js";

interface Protocol {
  serializeRequest(
    op: unknown,
    input: unknown,
    context: unknown,
  ): Promise<{
    method: string;
    path: string;
    query: Record<string, string | string[] | null>;
    headers: Record<string, string>;
    body: unknown;
  }>;
  deserializeResponse(
    op: unknown,
    context: unknown,
    response: HttpResponse,
  ): Promise<Record<string, unknown>>;
}

/** The SDK client's resolved configuration: its protocol and serde functions. */
function clientConfig(mod: Record<string, unknown>): { protocol: Protocol } {
  const [, Client] =
    Object.entries(mod).find(([k, v]) => k.endsWith("Client") && typeof v === "function") ?? [];
  const client = new (Client as new (c: unknown) => { config: { protocol: Protocol } })({
    region: "us-west-2",
    endpoint: "http://127.0.0.1:1",
    credentials: { accessKeyId: "AKID", secretAccessKey: "secret" },
  });
  return client.config;
}

function bodyBuffer(body: unknown): Buffer {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === "string") return Buffer.from(body);
  // The bytes themselves: Buffer.from(object) would call the SDK body's valueOf() (a string view).
  const bytes = body as Uint8Array;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

describe.each(SERVICES)(
  "%s: every operation round-trips with the SDK client's protocol",
  (service: ServiceName) => {
    it("requests decode to the client's input; responses parse to the backend's output", async () => {
      // Prepare
      const spec = SERVICE_SPECS[service];
      const mod = (await spec.load()) as Record<string, unknown>;
      const model = modelFromModule(mod);
      const config = clientConfig(mod);
      const mismatches: string[] = [];

      for (const op of model.operations.values()) {
        const { schema, input: inputNs, output: outputNs } = operationSchema(mod, op.name);
        // Event streams (S3 SelectObjectContent) are a binary framing the sandbox does not speak.
        if (inputNs.getEventStreamMember() || outputNs.getEventStreamMember()) continue;
        // Act: request
        const input = inputNs.isStructSchema() ? (sample(inputNs, "input") as Record<string, unknown>) : {};
        const bucket =
          service === "s3" && typeof input.Bucket === "string" ? `/${encodeURIComponent(input.Bucket)}` : "";
        const req = await config.protocol.serializeRequest(schema, input, {
          ...config,
          endpoint: async () => ({ protocol: "http:", hostname: "127.0.0.1", port: 1, path: bucket || "/" }),
        });
        const query = new URLSearchParams();
        for (const [k, v] of Object.entries(req.query)) {
          for (const x of Array.isArray(v) ? v : [v]) query.append(k, x ?? "");
        }
        let decoded: unknown;
        try {
          ({ input: decoded } = decodeRequest(spec, model, {
            method: req.method,
            path: req.path,
            query,
            headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), v])),
            body: bodyBuffer(req.body),
          }));
        } catch (e) {
          decoded = `${(e as Error).name}: ${(e as Error).message}`;
        }
        // Act: response
        const output = outputNs.isStructSchema()
          ? (sample(outputNs, "output", 0, op.http?.[2] ?? 200) as Record<string, unknown>)
          : {};
        const ctx: EncodeContext = { problems: [] };
        const res = encodeOutput(spec, op, output, "req-1", ctx);
        const parsed = await config.protocol.deserializeResponse(
          schema,
          config,
          new HttpResponse({
            statusCode: res.status,
            headers: res.headers,
            body: Readable.from([res.body]),
          }),
        );
        // Assert (collected, so one run lists every mismatch)
        const request = difference(await comparable(decoded), await comparable(input));
        if (request) mismatches.push(`${op.name} request ${request}`);
        if (ctx.problems.length > 0)
          mismatches.push(`${op.name} response problems: ${ctx.problems.join("; ")}`);
        const response = difference(await comparable(parsed), await comparable(output));
        if (response) mismatches.push(`${op.name} response ${response}`);
      }

      // Assert
      expect(mismatches).toEqual([]);
    });
  },
);
