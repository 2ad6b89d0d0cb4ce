import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { probeVia } from "../../../functions/validateHealth/probe-via.js";

describe("probeVia (local runs: the load balancer's DNS name answered by the sandbox)", () => {
  it("sends GET <path> to the endpoint with the health URL's own Host header and resolves with the status", async () => {
    // Prepare: an endpoint that records what it is asked
    const seen: { url?: string | undefined; headers?: IncomingHttpHeaders } = {};
    const server = createServer((req, res) => {
      seen.url = req.url;
      seen.headers = req.headers;
      res.writeHead(503).end("warming up");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      // Act
      const status = await probeVia(endpoint)(
        "http://shop-dr-LoadB-1ABC-123.us-west-2.elb.amazonaws.com/health?full=1",
        2000,
      );
      // Assess
      expect(status).toBe(503);
      expect(seen.url).toBe("/health?full=1");
      expect(seen.headers?.host).toBe("shop-dr-loadb-1abc-123.us-west-2.elb.amazonaws.com");
    } finally {
      server.close();
    }
  });

  it("rejects when nothing answers at the endpoint", async () => {
    await expect(
      probeVia("http://127.0.0.1:1")("http://x.us-west-2.elb.amazonaws.com/health", 1000),
    ).rejects.toThrow();
  });
});
