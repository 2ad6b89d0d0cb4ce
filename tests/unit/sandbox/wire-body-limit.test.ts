/**
 * The sandbox server refuses request bodies over MAX_BODY_BYTES (32 MiB), as sent and once
 * decompressed: a 1 MB gzip body that inflates to 1 GiB is refused with 413 without being
 * inflated, and the backend never sees the call.
 */
import { request } from "node:http";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "../../../scripts/sandbox/wire/http.js";
import { useFakeSandbox } from "./wire-fake.js";

const sb = useFakeSandbox();

const SSM_HEADERS = {
  "content-type": "application/x-amz-json-1.1",
  "x-amz-target": "AmazonSSM.GetParameter",
  authorization:
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260301/us-west-2/ssm/aws4_request, SignedHeaders=host, Signature=0",
};

/** POSTs `body`; resolves with the answer even when the server closes before the body is sent. */
function post(
  headers: Record<string, string>,
  body: Buffer[],
): Promise<{ status: number; text: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const url = new URL(sb.server.url);
    const req = request({ host: url.hostname, port: url.port, method: "POST", path: "/", headers }, (res) => {
      const data: Buffer[] = [];
      res.on("data", (d: Buffer) => data.push(d));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(data).toString(), headers: res.headers }),
      );
    });
    req.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code !== "EPIPE" && e.code !== "ECONNRESET") reject(e);
    });
    for (const b of body) req.write(b);
    req.end();
  });
}

describe("request body limit", () => {
  it("refuses a 1 MB gzip body that inflates to 1 GiB with 413, without inflating it all", async () => {
    // Prepare: 64 gzip members of 16 MiB of zeros each (a gzip stream may hold several members).
    sb.backend.on("ssm", "GetParameter", { Parameter: { Name: "/x", Value: "v" } });
    const member = gzipSync(Buffer.alloc(16 * 1024 * 1024), { level: 9 });
    const body = Buffer.concat(Array.from({ length: 64 }, () => member));
    expect(body.length).toBeLessThan(2 * 1024 * 1024);
    const rssBefore = process.memoryUsage().rss;
    // Act
    const res = await post({ ...SSM_HEADERS, "content-encoding": "gzip" }, [body]);
    // Assess
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text)).toMatchObject({ __type: expect.stringContaining("RequestEntityTooLarge") });
    expect(res.text).toContain("once decompressed");
    expect(sb.backend.calls).toHaveLength(0);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(4 * MAX_BODY_BYTES);
  });

  it("refuses a body whose Content-Length is over the limit before reading it", async () => {
    // Prepare
    sb.backend.on("ssm", "GetParameter", { Parameter: { Name: "/x", Value: "v" } });
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    // Act
    const res = await post({ ...SSM_HEADERS, "content-length": String(MAX_BODY_BYTES + chunk.length) }, [
      ...Array.from({ length: MAX_BODY_BYTES / chunk.length + 1 }, () => chunk),
    ]);
    // Assess
    expect(res.status).toBe(413);
    expect(res.text).toContain("Content-Length");
    expect(res.headers.connection).toBe("close");
    expect(sb.backend.calls).toHaveLength(0);
  });

  it("still accepts a gzip body under the limit", async () => {
    // Prepare
    sb.backend.on("ssm", "GetParameter", { Parameter: { Name: "/app/db", Value: "v" } });
    const body = gzipSync(Buffer.from(JSON.stringify({ Name: "/app/db" })));
    // Act
    const res = await post({ ...SSM_HEADERS, "content-encoding": "gzip" }, [body]);
    // Assess
    expect(res.status).toBe(200);
    expect(sb.backend.last().input).toEqual({ Name: "/app/db" });
  });
});
