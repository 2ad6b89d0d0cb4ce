/**
 * Handlers take the region of what they act on from the app's config, not from the Lambda's own
 * AWS_REGION (docs/design.md, "Writing a step"): here the orchestrator runs in another region than
 * the config's recovery region, and the handler still reads the DR stack there.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { configKey } from "../../../functions/shared/config.js";
import { resetEnvCache } from "../../../functions/shared/env.js";
import { localContext } from "../../../functions/shared/middleware.js";
import { handler } from "../../../functions/validateHealth/handler.js";
import { appConfigInput, BUCKET, objectBody, RECOVERY_REGION, runContext } from "../../support/fixtures.js";
import { drillState } from "../../support/fixtures-report.js";

const ORCHESTRATOR_REGION = "eu-central-1";
const s3 = mockClient(S3Client);
const cfn = mockClient(CloudFormationClient);
let server: Server;

beforeAll(async () => {
  server = createServer((_req, res) => res.writeHead(200).end("ok"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
});

afterAll(async () => {
  s3.restore();
  cfn.restore();
  vi.unstubAllEnvs();
  resetEnvCache();
  await new Promise((resolve) => server.close(resolve));
});

describe("handler regions", () => {
  it("ValidateHealth reads the config in the orchestrator's region and the DR stack in the config's recovery region", async () => {
    // Prepare
    expect(RECOVERY_REGION).not.toBe(ORCHESTRATOR_REGION);
    vi.stubEnv("AWS_REGION", ORCHESTRATOR_REGION);
    vi.stubEnv("ARTIFACTS_BUCKET", BUCKET);
    vi.stubEnv("DRCTL_LOCAL", "false");
    resetEnvCache();
    const run = runContext();
    s3.on(GetObjectCommand, { Bucket: BUCKET, Key: configKey(run.app) }).callsFake(() => ({
      Body: objectBody(JSON.stringify(appConfigInput())),
    }));
    const { stack } = drillState(run).recovery;
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
    cfn.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackId: stack.stackId,
          StackName: run.stackName,
          StackStatus: "CREATE_COMPLETE",
          CreationTime: new Date(),
          Outputs: [{ OutputKey: "HealthUrl", OutputValue: url }],
        },
      ],
    });

    // Act
    const result = await handler({ run, stack }, localContext("validateHealth"));

    // Assess
    expect(result).toMatchObject({ url, status: 200 });
    const regionOf = async (client: unknown) =>
      (client as { config: { region: () => Promise<string> } }).config.region();
    expect(await regionOf(s3.call(0).thisValue)).toBe(ORCHESTRATOR_REGION);
    expect(cfn.calls()).toHaveLength(1);
    expect(await regionOf(cfn.call(0).thisValue)).toBe(RECOVERY_REGION);
  });
});
