import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { cloudFormationApi } from "../../../functions/shared/aws/cloudformation.js";
import { localContext } from "../../../functions/shared/middleware.js";
import { handler } from "../../../functions/validateHealth/handler.js";
import {
  fetchProbe,
  type ValidateHealthDeps,
  type ValidateHealthEvent,
  validateHealth,
} from "../../../functions/validateHealth/validateHealth.js";
import { type MemoryS3, memoryS3, runContext } from "../../support/fixtures.js";
import { at, drillState } from "../../support/fixtures-report.js";

const RUN = runContext();
const cfn = mockClient(new CloudFormationClient({ region: "us-west-2" }));
let s3: MemoryS3;
let server: Server;
let base = "";
/** What the fake app answers per path: a status, or "hang" (never answers). */
const answers: Record<string, number | "hang"> = { "/ok": 200, "/moved": 302, "/down": 503, "/slow": "hang" };

beforeAll(async () => {
  server = createServer((req, res) => {
    const answer = answers[req.url ?? ""] ?? 404;
    if (answer === "hang") return;
    res.writeHead(answer, answer === 302 ? { Location: "/ok" } : {}).end("x");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  cfn.reset();
  s3 = memoryS3();
  s3.putConfig();
});

function stackWithHealthUrl(url: string | undefined) {
  cfn.on(DescribeStacksCommand).resolves({
    Stacks: [
      {
        StackName: RUN.stackName,
        StackId: "arn:stack/1",
        StackStatus: "CREATE_COMPLETE",
        CreationTime: at(3),
        Outputs:
          url === undefined
            ? [{ OutputKey: "Other", OutputValue: "x" }]
            : [{ OutputKey: "HealthUrl", OutputValue: url }],
      },
    ],
  });
}

const deps = (): ValidateHealthDeps => ({
  config: s3.config(),
  cloudformation: cloudFormationApi(cfn as unknown as CloudFormationClient),
  probe: fetchProbe,
  timeoutMs: 300,
  now: () => at(2260),
});
const event = { run: RUN, stack: drillState(RUN).recovery.stack } as ValidateHealthEvent;

describe("validateHealth", () => {
  it("returns the URL and status when the app answers 200", async () => {
    // Prepare
    stackWithHealthUrl(`${base}/ok`);
    // Act
    const result = await validateHealth(event, deps());
    // Assess
    expect(result).toEqual({ url: `${base}/ok`, status: 200, checkedAt: at(2260).toISOString() });
    expect(cfn.commandCalls(DescribeStacksCommand)[0]?.args[0].input).toEqual({
      StackName: `arn:aws:cloudformation:us-west-2:111122223333:stack/${RUN.stackName}/1`,
    });
  });

  it("counts a redirect as healthy without following it", async () => {
    stackWithHealthUrl(`${base}/moved`);
    await expect(validateHealth(event, deps())).resolves.toMatchObject({ status: 302 });
  });

  it("throws AppUnhealthy with the URL and the status for a 503", async () => {
    // Prepare
    stackWithHealthUrl(`${base}/down`);
    // Act
    const err = await validateHealth(event, deps()).catch((e: unknown) => e);
    // Assess
    expect(err).toMatchObject({ name: "AppUnhealthy", message: `${base}/down answered HTTP 503` });
  });

  it("throws AppUnhealthy when the app does not answer in time", async () => {
    stackWithHealthUrl(`${base}/slow`);
    const err = await validateHealth(event, deps()).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "AppUnhealthy", message: `${base}/slow: no answer within 300 ms` });
  });

  it("throws AppUnhealthy when nothing listens", async () => {
    // Prepare: a port that was just free
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    stackWithHealthUrl(`http://127.0.0.1:${port}/health`);
    // Act
    const err = await validateHealth(event, deps()).catch((e: unknown) => e);
    // Assess
    expect(err).toMatchObject({
      name: "AppUnhealthy",
      message: `http://127.0.0.1:${port}/health: ECONNREFUSED`,
    });
  });

  it("names the missing stack output", async () => {
    stackWithHealthUrl(undefined);
    const err = await validateHealth(event, deps()).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "NotFound" });
    expect((err as Error).message).toContain(
      "has no output HealthUrl (config stack.healthUrlOutput); outputs: Other",
    );
  });
});

describe("validateHealth handler", () => {
  it("rejects a bad event with InputInvalid", async () => {
    vi.stubEnv("ARTIFACTS_BUCKET", "drctl-artifacts-test");
    const err = await handler({ run: RUN }, localContext("validateHealth")).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "InputInvalid" });
    expect((err as Error).message).toContain("validateHealth input: stack");
    vi.unstubAllEnvs();
  });
});
