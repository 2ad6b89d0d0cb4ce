/**
 * Interop: the AWS CLI (botocore, v1 or v2) against the sandbox server with `--endpoint-url`.
 * Checks what botocore sends decodes into the SDK-shaped inputs, and that the CLI parses the
 * responses (and errors). Skipped, with a message, when `aws` is not installed
 * (`apt-get install -y awscli` or `pip install awscli`). Run with `npm run test:interop`.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { VirtualClock } from "../../scripts/sandbox/clock.js";
import { loadScenario } from "../../scripts/sandbox/scenario.js";
import { type SandboxServer, startServer } from "../../scripts/sandbox/server.js";
import { SandboxError } from "../../scripts/sandbox/types.js";
import { createWorld } from "../../scripts/sandbox/world/index.js";
import { FakeBackend } from "../unit/sandbox/wire-fake.js";
import { awsCli, type CliResult, cliVersion } from "./aws-cli.js";

const version = await cliVersion();
if (!version) {
  console.warn(
    "tests/interop/cli.test.ts: skipped, the AWS CLI (`aws`) is not installed (apt-get install -y awscli)",
  );
}

let workDir: string;

/** Runs `aws --endpoint-url <server> …args` (asynchronously: the server lives in this process). */
function aws(server: SandboxServer, args: string[], region = "us-west-2"): Promise<CliResult> {
  return awsCli({ url: server.url, workDir, region, timeoutMs: 60_000, maxAttempts: 1 }, args);
}

const T0 = new Date("2026-03-01T08:35:00.000Z");

describe.skipIf(!version)(`AWS CLI (${version ?? "not installed"}) against a fake backend`, () => {
  const backend = new FakeBackend();
  let server: SandboxServer;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), "drctl-interop-"));
    server = await startServer({ backend, strict: true });
  });
  afterAll(async () => {
    await server?.close();
    await rm(workDir, { recursive: true, force: true });
  });
  beforeEach(() => backend.reset());

  it("backup list-recovery-points-by-backup-vault --query … --output table", async () => {
    // Prepare
    backend.on("backup", "ListRecoveryPointsByBackupVault", {
      RecoveryPoints: [
        {
          RecoveryPointArn: "arn:rp:1",
          ResourceType: "RDS",
          Status: "COMPLETED",
          CreationDate: T0,
          BackupSizeInBytes: 5,
        },
        {
          RecoveryPointArn: "arn:rp:2",
          ResourceType: "RDS",
          Status: "PARTIAL",
          CreationDate: T0,
          BackupSizeInBytes: 7,
        },
      ],
    });
    // Act
    const res = await aws(server, [
      "backup",
      "list-recovery-points-by-backup-vault",
      "--backup-vault-name",
      "dr vault",
      "--by-resource-type",
      "RDS",
      "--by-created-after",
      "2026-01-01T00:00:00Z",
      "--query",
      "RecoveryPoints[].[RecoveryPointArn,Status,BackupSizeInBytes]",
      "--output",
      "table",
    ]);
    // Assess
    expect(res.code, res.stderr).toBe(0);
    expect(backend.last()).toEqual({
      service: "backup",
      operation: "ListRecoveryPointsByBackupVault",
      region: "us-west-2",
      input: {
        BackupVaultName: "dr vault",
        ByResourceType: "RDS",
        ByCreatedAfter: new Date("2026-01-01T00:00:00Z"),
      },
    });
    expect(res.stdout).toMatch(/ListRecoveryPointsByBackupVault/);
    expect(res.stdout).toMatch(/\|\s+arn:rp:1\s+\|\s+COMPLETED\s+\|\s+5\s+\|/);
    expect(res.stdout).toMatch(/\|\s+arn:rp:2\s+\|\s+PARTIAL\s+\|\s+7\s+\|/);
  });

  it("backup start-restore-job / describe-restore-job", async () => {
    // Prepare
    backend.on("backup", "StartRestoreJob", { RestoreJobId: "rj-1" });
    backend.on("backup", "DescribeRestoreJob", {
      RestoreJobId: "rj-1",
      Status: "RUNNING",
      PercentDone: "40.00%",
      CreationDate: T0,
    });
    // Act
    const started = await aws(server, [
      "backup",
      "start-restore-job",
      "--recovery-point-arn",
      "arn:aws:backup:us-west-2:1:recovery-point:abc",
      "--iam-role-arn",
      "arn:aws:iam::1:role/restore",
      "--metadata",
      "DBInstanceIdentifier=orders-a1b2c3,Port=5432",
      "--resource-type",
      "RDS",
      "--idempotency-token",
      "tok-1",
    ]);
    const described = await aws(server, ["backup", "describe-restore-job", "--restore-job-id", "rj-1"]);
    // Assess
    expect(started.code, started.stderr).toBe(0);
    expect(JSON.parse(started.stdout)).toEqual({ RestoreJobId: "rj-1" });
    expect(backend.calls[0]?.input).toEqual({
      RecoveryPointArn: "arn:aws:backup:us-west-2:1:recovery-point:abc",
      IamRoleArn: "arn:aws:iam::1:role/restore",
      Metadata: { DBInstanceIdentifier: "orders-a1b2c3", Port: "5432" },
      ResourceType: "RDS",
      IdempotencyToken: "tok-1",
    });
    expect(described.code, described.stderr).toBe(0);
    expect(backend.calls[1]?.input).toEqual({ RestoreJobId: "rj-1" });
    expect(JSON.parse(described.stdout)).toMatchObject({
      RestoreJobId: "rj-1",
      Status: "RUNNING",
      PercentDone: "40.00%",
    });
  });

  it("rds describe-db-instances (filters; XML lists back to JSON)", async () => {
    // Prepare
    backend.on("rds", "DescribeDBInstances", {
      DBInstances: [
        {
          DBInstanceIdentifier: "orders",
          DBInstanceStatus: "available",
          Endpoint: { Address: "orders.local", Port: 5432 },
          TagList: [{ Key: "app", Value: "shop" }],
        },
      ],
    });
    // Act
    const res = await aws(server, [
      "rds",
      "describe-db-instances",
      "--filters",
      "Name=engine,Values=postgres,mysql",
    ]);
    // Assess
    expect(res.code, res.stderr).toBe(0);
    expect(backend.last().input).toEqual({ Filters: [{ Name: "engine", Values: ["postgres", "mysql"] }] });
    expect(JSON.parse(res.stdout)).toEqual({
      DBInstances: [
        {
          DBInstanceIdentifier: "orders",
          DBInstanceStatus: "available",
          Endpoint: { Address: "orders.local", Port: 5432 },
          TagList: [{ Key: "app", Value: "shop" }],
        },
      ],
    });
  });

  it("cloudformation create-stack (member lists) and a ValidationError", async () => {
    // Prepare
    backend.on("cloudformation", "CreateStack", {
      StackId: "arn:aws:cloudformation:us-west-2:1:stack/shop-dr/1",
    });
    backend.on("cloudformation", "DescribeStacks", () => {
      throw new SandboxError("ValidationError", "Stack with id nope does not exist");
    });
    // Act
    const created = await aws(server, [
      "cloudformation",
      "create-stack",
      "--stack-name",
      "shop-dr",
      "--template-url",
      "https://b.s3.amazonaws.com/dr.yaml",
      "--parameters",
      "ParameterKey=ParameterPrefix,ParameterValue=/drctl-drill/run",
      "--capabilities",
      "CAPABILITY_IAM",
      "CAPABILITY_NAMED_IAM",
      "--tags",
      "Key=drctl:mode,Value=drill",
      "--on-failure",
      "ROLLBACK",
    ]);
    const missing = await aws(server, ["cloudformation", "describe-stacks", "--stack-name", "nope"]);
    // Assess
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toEqual({
      StackId: "arn:aws:cloudformation:us-west-2:1:stack/shop-dr/1",
    });
    expect(backend.calls[0]?.input).toEqual({
      StackName: "shop-dr",
      TemplateURL: "https://b.s3.amazonaws.com/dr.yaml",
      Parameters: [{ ParameterKey: "ParameterPrefix", ParameterValue: "/drctl-drill/run" }],
      Capabilities: ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"],
      Tags: [{ Key: "drctl:mode", Value: "drill" }],
      OnFailure: "ROLLBACK",
    });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("(ValidationError)");
    expect(missing.stderr).toContain("Stack with id nope does not exist");
  });

  it("ec2, ssm, dynamodb, sns, efs, sfn, route53", async () => {
    // Prepare
    backend.on("ec2", "DescribeInstances", {
      Reservations: [
        { ReservationId: "r-1", Instances: [{ InstanceId: "i-1", State: { Code: 16, Name: "running" } }] },
      ],
    });
    backend.on("ssm", "GetParameter", () => {
      throw new SandboxError("ParameterNotFound", "Parameter /nope not found.");
    });
    backend.on("dynamodb", "DescribeTable", {
      Table: { TableName: "carts", TableStatus: "ACTIVE", ItemCount: 3 },
    });
    backend.on("sns", "Publish", { MessageId: "m-1" });
    backend.on("efs", "DescribeFileSystems", { FileSystems: [] });
    backend.on("sfn", "GetExecutionHistory", {
      events: [{ id: 1, type: "ExecutionStarted", timestamp: T0 }],
    });
    backend.on("route53", "GetChange", {
      ChangeInfo: { Id: "/change/C1", Status: "INSYNC", SubmittedAt: T0 },
    });
    // Act
    const ec2 = await aws(server, [
      "ec2",
      "describe-instances",
      "--instance-ids",
      "i-1",
      "--filters",
      "Name=tag:app,Values=shop",
    ]);
    const ssm = await aws(server, ["ssm", "get-parameter", "--name", "/nope"]);
    const ddb = await aws(server, ["dynamodb", "describe-table", "--table-name", "carts"]);
    const sns = await aws(server, [
      "sns",
      "publish",
      "--topic-arn",
      "arn:aws:sns:us-west-2:1:t",
      "--message",
      "hi & <bye>",
    ]);
    const efs = await aws(server, ["efs", "describe-file-systems", "--file-system-id", "fs-1"]);
    const sfn = await aws(server, [
      "stepfunctions",
      "get-execution-history",
      "--execution-arn",
      "arn:exec:1",
      "--no-paginate",
    ]);
    const r53 = await aws(server, ["route53", "get-change", "--id", "/change/C1"], "us-east-1");
    // Assess
    expect(ec2.code, ec2.stderr).toBe(0);
    expect(JSON.parse(ec2.stdout).Reservations[0].Instances[0]).toEqual({
      InstanceId: "i-1",
      State: { Code: 16, Name: "running" },
    });
    expect(ssm.code).not.toBe(0);
    expect(ssm.stderr).toContain("(ParameterNotFound)");
    expect(JSON.parse(ddb.stdout)).toEqual({
      Table: { TableName: "carts", TableStatus: "ACTIVE", ItemCount: 3 },
    });
    expect(JSON.parse(sns.stdout)).toEqual({ MessageId: "m-1" });
    expect(JSON.parse(efs.stdout)).toEqual({ FileSystems: [] });
    expect(JSON.parse(sfn.stdout).events[0]).toMatchObject({ id: 1, type: "ExecutionStarted" });
    expect(JSON.parse(r53.stdout).ChangeInfo).toMatchObject({ Id: "/change/C1", Status: "INSYNC" });
    expect(backend.calls.map((c) => [c.service, c.operation, c.region, c.input])).toEqual([
      [
        "ec2",
        "DescribeInstances",
        "us-west-2",
        { InstanceIds: ["i-1"], Filters: [{ Name: "tag:app", Values: ["shop"] }] },
      ],
      ["ssm", "GetParameter", "us-west-2", { Name: "/nope" }],
      ["dynamodb", "DescribeTable", "us-west-2", { TableName: "carts" }],
      ["sns", "Publish", "us-west-2", { TopicArn: "arn:aws:sns:us-west-2:1:t", Message: "hi & <bye>" }],
      ["efs", "DescribeFileSystems", "us-west-2", { FileSystemId: "fs-1" }],
      ["sfn", "GetExecutionHistory", "us-west-2", { executionArn: "arn:exec:1" }],
      ["route53", "GetChange", "us-east-1", { Id: "C1" }],
    ]);
  });

  it("s3 cp up and down (PutObject / GetObject, path style)", async () => {
    // Prepare
    const objects = new Map<string, string>();
    backend.on("s3", "PutObject", (call) => {
      objects.set(`${call.input.Bucket}/${call.input.Key}`, String(call.input.Body));
      return { ETag: '"e"' };
    });
    backend.on("s3", "HeadObject", (call) => {
      const body = objects.get(`${call.input.Bucket}/${call.input.Key}`);
      if (body === undefined) throw new SandboxError("NotFound", "Not Found", 404);
      return { ContentLength: Buffer.byteLength(body), ETag: '"e"', LastModified: T0 };
    });
    backend.on("s3", "GetObject", (call) => {
      const body = objects.get(`${call.input.Bucket}/${call.input.Key}`);
      if (body === undefined) throw new SandboxError("NoSuchKey", "The specified key does not exist.", 404);
      return { Body: body, ContentLength: Buffer.byteLength(body), ETag: '"e"', LastModified: T0 };
    });
    const src = join(workDir, "report.md");
    const dst = join(workDir, "report.copy.md");
    await writeFile(src, "# drill report\nRTO 42 min\n");
    // Act
    const up = await aws(server, ["s3", "cp", src, "s3://drctl-artifacts/runs/r 1/report.md"]);
    const down = await aws(server, ["s3", "cp", "s3://drctl-artifacts/runs/r 1/report.md", dst]);
    const missing = await aws(server, [
      "s3api",
      "get-object",
      "--bucket",
      "drctl-artifacts",
      "--key",
      "nope",
      join(workDir, "x"),
    ]);
    // Assess
    expect(up.code, up.stderr).toBe(0);
    expect(down.code, down.stderr).toBe(0);
    expect(objects.get("drctl-artifacts/runs/r 1/report.md")).toBe("# drill report\nRTO 42 min\n");
    expect(await readFile(dst, "utf8")).toBe("# drill report\nRTO 42 min\n");
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("NoSuchKey");
  });
});

describe.skipIf(!version)("AWS CLI against the sandbox world", () => {
  let server: SandboxServer;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), "drctl-interop-"));
    const scenario = await loadScenario(
      fileURLToPath(new URL("../../scenarios/shop-drill.yaml", import.meta.url)),
    );
    const world = createWorld(scenario, new VirtualClock(scenario.start), { port: 0 });
    server = await startServer({ backend: world });
    world.setPort(server.port);
  });
  afterAll(async () => {
    await server?.close();
    await rm(workDir, { recursive: true, force: true });
  });

  it("lists the vault's recovery points (CLI pagination) and reads SSM parameters", async () => {
    // Act
    const all = await aws(server, [
      "backup",
      "list-recovery-points-by-backup-vault",
      "--backup-vault-name",
      "dr-vault",
      "--page-size",
      "5",
      "--query",
      "RecoveryPoints[].ResourceType",
    ]);
    const put = await aws(server, [
      "ssm",
      "put-parameter",
      "--name",
      "/cli/x",
      "--value",
      "1",
      "--type",
      "String",
    ]);
    const again = await aws(server, [
      "ssm",
      "put-parameter",
      "--name",
      "/cli/x",
      "--value",
      "2",
      "--type",
      "String",
    ]);
    // Assess
    expect(all.code, all.stderr).toBe(0);
    const types = JSON.parse(all.stdout) as string[];
    expect(types.length).toBeGreaterThan(5);
    expect(new Set(types)).toEqual(new Set(["RDS", "EBS", "EFS", "DynamoDB"]));
    expect(put.code, put.stderr).toBe(0);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain("ParameterAlreadyExists");
  });
});
