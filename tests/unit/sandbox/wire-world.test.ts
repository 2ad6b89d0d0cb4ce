/**
 * The wire layer in front of the real in-memory world (scripts/sandbox/world/): SDK v3 clients →
 * HTTP → world → HTTP → SDK. The server runs lenient (off-model output members are dropped, as the
 * SDK would) and records them; the last test asserts the world's outputs fit the SDK models.
 */
import { fileURLToPath } from "node:url";
import {
  BackupClient,
  DescribeRestoreJobCommand,
  GetRecoveryPointRestoreMetadataCommand,
  paginateListRecoveryPointsByBackupVault,
  type RecoveryPointByBackupVault,
  StartRestoreJobCommand,
} from "@aws-sdk/client-backup";
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
  GetTemplateSummaryCommand,
} from "@aws-sdk/client-cloudformation";
import { DescribeDBInstancesCommand, RDSClient } from "@aws-sdk/client-rds";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { GetParameterCommand, PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probeVia } from "../../../functions/validateHealth/probe-via.js";
import { VirtualClock } from "../../../scripts/sandbox/clock.js";
import { sandboxRoutes } from "../../../scripts/sandbox/runner.js";
import { loadScenario, type Scenario } from "../../../scripts/sandbox/scenario.js";
import { type RequestLogEntry, type SandboxServer, startServer } from "../../../scripts/sandbox/server.js";
import { createWorld, type World } from "../../../scripts/sandbox/world/index.js";
import { DR_APP_TEMPLATE } from "./world-helpers.js";

const SCENARIO = fileURLToPath(new URL("../../../scenarios/shop-drill.yaml", import.meta.url));

let scenario: Scenario;
let clock: VirtualClock;
let world: World;
let server: SandboxServer;
const log: RequestLogEntry[] = [];

const creds = { accessKeyId: "test", secretAccessKey: "test" };
const config = (region: string) => ({ endpoint: server.url, region, credentials: creds, maxAttempts: 1 });

beforeAll(async () => {
  scenario = await loadScenario(SCENARIO);
  clock = new VirtualClock(scenario.start);
  world = createWorld(scenario, clock, { port: 0 });
  server = await startServer({
    backend: world,
    onRequest: (entry) => log.push(entry),
    extraRoutes: sandboxRoutes(world),
  });
  world.setPort(server.port);
});

afterAll(async () => {
  await server?.close();
});

describe("SDK → wire → world", () => {
  it("lists recovery points page by page and restores one on the virtual clock", async () => {
    // Prepare
    const backup = new BackupClient(config(scenario.regions.recovery));
    const points: RecoveryPointByBackupVault[] = [];
    for await (const page of paginateListRecoveryPointsByBackupVault(
      { client: backup },
      { BackupVaultName: scenario.vault, ByResourceType: "RDS", MaxResults: 7 },
    )) {
      points.push(...(page.RecoveryPoints ?? []));
    }
    const newest = points[0];
    if (!newest?.RecoveryPointArn) throw new Error("the world has no RDS recovery points");
    const md = await backup.send(
      new GetRecoveryPointRestoreMetadataCommand({
        BackupVaultName: scenario.vault,
        RecoveryPointArn: newest.RecoveryPointArn,
      }),
    );
    // Act
    const started = await backup.send(
      new StartRestoreJobCommand({
        RecoveryPointArn: newest.RecoveryPointArn,
        IamRoleArn: "arn:aws:iam::111122223333:role/drctl-restore",
        IdempotencyToken: "wire-world-1",
        ResourceType: md.ResourceType ?? "RDS",
        Metadata: {
          // The primary's parameter/option groups and KMS key do not exist in the recovery region.
          ...Object.fromEntries(
            Object.entries(md.RestoreMetadata ?? {}).filter(
              ([k]) => !["DBParameterGroupName", "OptionGroupName", "KmsKeyId"].includes(k),
            ),
          ),
          DBInstanceIdentifier: "orders-db-a1b2c3",
          DBSubnetGroupName: scenario.network.dbSubnetGroup,
          VpcSecurityGroupIds: JSON.stringify(scenario.network.securityGroupIds),
          AvailabilityZone: `${scenario.regions.recovery}a`,
        },
      }),
    );
    const running = await backup.send(new DescribeRestoreJobCommand({ RestoreJobId: started.RestoreJobId }));
    clock.advanceBy(6 * 3600);
    const done = await backup.send(new DescribeRestoreJobCommand({ RestoreJobId: started.RestoreJobId }));
    const restored = await new RDSClient(config(scenario.regions.recovery)).send(
      new DescribeDBInstancesCommand({ DBInstanceIdentifier: "orders-db-a1b2c3" }),
    );
    // Assess
    expect(points.length).toBeGreaterThan(7); // more than one page
    expect(new Set(points.map((p) => p.RecoveryPointArn)).size).toBe(points.length);
    expect(newest.CreationDate).toBeInstanceOf(Date);
    expect(points.every((p) => p.ResourceType === "RDS")).toBe(true);
    expect(md.RestoreMetadata).toBeTypeOf("object");
    expect(started.RestoreJobId).toBeTruthy();
    expect(running.CreationDate).toBeInstanceOf(Date);
    expect(["PENDING", "RUNNING"]).toContain(running.Status);
    expect(done.Status).toBe("COMPLETED");
    expect(done.CreatedResourceArn).toContain("orders-db-a1b2c3");
    expect(restored.DBInstances?.[0]?.DBInstanceIdentifier).toBe("orders-db-a1b2c3");
    expect(restored.DBInstances?.[0]?.DBInstanceArn).toBe(done.CreatedResourceArn);
  });

  it("answers RDS (awsQuery) and SSM (awsJson) calls, and their errors, in the SDK's shapes", async () => {
    // Prepare
    const rds = new RDSClient(config(scenario.regions.recovery));
    const ssm = new SSMClient(config(scenario.regions.recovery));
    // Act
    const missingDb = await rds
      .send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: "no-such-db" }))
      .catch((e) => e);
    await ssm.send(
      new PutParameterCommand({ Name: "/wire/test", Value: "v1", Type: "String", Overwrite: false }),
    );
    const conflict = await ssm
      .send(new PutParameterCommand({ Name: "/wire/test", Value: "v2", Type: "String", Overwrite: false }))
      .catch((e) => e);
    const got = await ssm.send(new GetParameterCommand({ Name: "/wire/test" }));
    const missing = await ssm.send(new GetParameterCommand({ Name: "/wire/none" })).catch((e) => e);
    // Assess
    expect(missingDb.name).toBe("DBInstanceNotFoundFault");
    expect(missingDb.$metadata.httpStatusCode).toBe(404);
    expect(conflict.name).toBe("ParameterAlreadyExists");
    expect(got.Parameter?.Value).toBe("v1");
    expect(missing.name).toBe("ParameterNotFound");
  });

  it("serves the DR app's health endpoint through the extra-routes hook", async () => {
    // Act
    const res = await fetch(`${server.url}/_sandbox/health/${scenario.regions.recovery}/no-such-stack`);
    const body = await res.json();
    // Assess
    expect(res.status).toBe(503);
    expect(body).toMatchObject({ healthy: false });
  });

  it("CloudFormation reads the template from S3: an undeclared parameter is a ValidationError, outputs and health come from the template", async () => {
    // Prepare
    const region = scenario.regions.recovery;
    const s3 = new S3Client({ ...config(region), forcePathStyle: true });
    const cfn = new CloudFormationClient(config(region));
    await s3.send(new CreateBucketCommand({ Bucket: "sdk-templates" }));
    await s3.send(
      new PutObjectCommand({ Bucket: "sdk-templates", Key: "dr-app.yaml", Body: DR_APP_TEMPLATE }),
    );
    const TemplateURL = `https://sdk-templates.s3.${region}.amazonaws.com/dr-app.yaml`;
    const network = [
      { ParameterKey: "VpcId", ParameterValue: "vpc-0dr" },
      { ParameterKey: "SubnetIds", ParameterValue: "subnet-0dra,subnet-0drb" },
    ];
    const create = (StackName: string, extra: { ParameterKey: string; ParameterValue: string }[]) =>
      cfn.send(
        new CreateStackCommand({
          StackName,
          TemplateURL,
          Parameters: [...network, ...extra],
          Capabilities: ["CAPABILITY_IAM"],
        }),
      );
    // Act
    const summary = await cfn.send(new GetTemplateSummaryCommand({ TemplateURL }));
    const undeclared = await create("sdk-nope", [{ ParameterKey: "Nope", ParameterValue: "x" }]).catch(
      (e: unknown) => e,
    );
    await create("sdk-app", []);
    clock.advanceBy(scenario.app.deploySeconds);
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: "sdk-app" }))).Stacks?.[0];
    const healthUrl = stack?.Outputs?.find((o) => o.OutputKey === "HealthUrl")?.OutputValue ?? "";
    const warming = await probeVia(server.url)(healthUrl, 2000);
    clock.advanceBy(scenario.app.healthyAfterSeconds);
    const healthy = await probeVia(server.url)(healthUrl, 2000);
    // Assess
    expect(summary.Parameters?.find((p) => p.ParameterKey === "HealthCheckPath")?.DefaultValue).toBe(
      "/health",
    );
    expect(undeclared).toMatchObject({
      name: "ValidationError",
      message: "Parameters: [Nope] do not exist in the template",
      $metadata: { httpStatusCode: 400 },
    });
    expect(stack?.StackStatus).toBe("CREATE_COMPLETE");
    expect(healthUrl).toMatch(
      /^http:\/\/sdk-app-LoadBalance-[\w-]+\.us-west-2\.elb\.amazonaws\.com\/health$/,
    );
    expect([warming, healthy]).toEqual([503, 200]);
  });

  it("every world output fit the SDK models (no member the SDK would drop)", () => {
    // Assess
    const problems = log.flatMap((e) => (e.problems ?? []).map((p) => `${e.service}.${e.operation}: ${p}`));
    expect(log.length).toBeGreaterThan(5);
    expect([...new Set(problems.map((p) => p.replace(/\[\d+\]/g, "[]")))]).toEqual([]);
  });
});
