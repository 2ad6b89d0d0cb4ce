/**
 * An HttpProbe that sends the request to another address with the URL's own Host header (what
 * `curl --connect-to` does): for a load balancer name that does not resolve where the probe runs,
 * e.g. the local sandbox, which answers for the load balancer named in the Host header.
 */
import { request } from "node:http";
import type { HttpProbe } from "./validateHealth.js";

export function probeVia(endpoint: string): HttpProbe {
  const target = new URL(endpoint);
  return (url, timeoutMs) =>
    new Promise<number>((resolve, reject) => {
      const wanted = new URL(url);
      const req = request(
        {
          host: target.hostname,
          port: target.port || 80,
          method: "GET",
          path: `${wanted.pathname}${wanted.search}`,
          headers: { host: wanted.host },
          signal: AbortSignal.timeout(timeoutMs),
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.end();
    });
}
