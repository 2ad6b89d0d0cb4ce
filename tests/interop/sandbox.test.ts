/**
 * Interop: the REAL standalone sandbox (`node bin/drctl.js sandbox`, a child process) driven by the
 * AWS CLI exactly as an operator would in the runbook: recovery points, a restore job, RDS,
 * CloudFormation, the drctl state machine (a whole drill) and an operation the sandbox does not
 * emulate. Skipped, with a message, when `aws` is not installed (`apt-get install -y awscli`).
 *
 * The server's clock runs at SPEED simulated seconds per real second: restores of 10-35 minutes
 * and a drill of about an hour of simulated time take a few seconds. The drill starts first (right
 * after `ready`, while the newest copies are well within the scenario's 60-minute RPO objective) and
 * runs while the other commands are checked.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsCli, type CliResult, cliVersion } from "./aws-cli.js";
import { type Standalone, sleep, startStandalone } from "./standalone.js";

const REGION = "us-west-2";
const ACCOUNT = "111122223333";
/** Simulated seconds per real second. */
const SPEED = 400;
const RESTORE_ROLE = `arn:aws:iam::${ACCOUNT}:role/drctl-restore`;
const STATE_MACHINE_ARN = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:drctl-shop`;
/** Where the standalone sandbox put the DR app template (the config's stack.templateUrl). */
const TEMPLATE_URL = `https://s3.${REGION}.amazonaws.com/drctl-artifacts-${ACCOUNT}-${REGION}/templates/shop-dr.yaml`;

const version = await cliVersion();
if (!version) {
  console.warn(
    "tests/interop/sandbox.test.ts: skipped, the AWS CLI (`aws`) is not installed (apt-get install -y awscli)",
  );
}

/** Calls `probe` until `done` holds: at most `attempts` times and until `deadlineMs` of real time. */
async function pollUntil<T>(
  what: string,
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  { deadlineMs, attempts = 100, pauseMs = 200 }: { deadlineMs: number; attempts?: number; pauseMs?: number },
): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  let last: T | undefined;
  for (let i = 0; i < attempts; i++) {
    last = await probe();
    if (done(last)) return last;
    if (Date.now() > deadline) break;
    await sleep(pauseMs);
  }
  throw new Error(
    `${what}: not done within ${deadlineMs} ms / ${attempts} polls; last: ${JSON.stringify(last)}`,
  );
}

/** Epoch seconds (CLI v1 prints timestamps as sent) or ISO 8601 (CLI v2) → ms. */
function timeMs(value: unknown): number {
  return typeof value === "number" ? value * 1000 : Date.parse(String(value));
}

/** `| a | b |` rows of a CLI table (title and header excluded by the caller). */
function tableRows(table: string): string[][] {
  return table
    .split("\n")
    .filter((line) => line.startsWith("|") && line.endsWith("|"))
    .map((line) =>
      line
        .slice(1, -1)
        .split("|")
        .map((cell) => cell.trim()),
    );
}

describe.skipIf(!version)(`AWS CLI (${version ?? "not installed"}) against the standalone sandbox`, () => {
  let workDir: string;
  let sandbox: Standalone | undefined;
  let port: number;
  let url = "";
  let readyLine = "";
  let executionArn = "";
  let rdsJobId = "";

  function aws(args: string[]): Promise<CliResult> {
    return awsCli({ url, workDir, region: REGION, timeoutMs: 30_000 }, args);
  }

  /** Runs a command that must succeed and parses its JSON output. */
  async function awsJson<T = Record<string, unknown>>(args: string[]): Promise<T> {
    const res = await aws(args);
    if (res.code !== 0) throw new Error(`aws ${args.join(" ")} → exit ${res.code}: ${res.stderr}`);
    return JSON.parse(res.stdout) as T;
  }

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), "drctl-sandbox-interop-"));
    await writeFile(join(workDir, "config"), "");
    await writeFile(join(workDir, "credentials"), "");
    sandbox = await startStandalone("scenarios/shop-drill.yaml", SPEED);
    ({ port, url } = sandbox);
    readyLine = sandbox.stdout().split("\n")[0] ?? "";
  });

  afterAll(async () => {
    await sandbox?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it("prints exactly one line, `ready http://127.0.0.1:PORT`, when it listens", () => {
    // Assess
    expect(readyLine).toBe(`ready http://127.0.0.1:${port}`);
    expect(sandbox?.stdout()).toBe(`${readyLine}\n`);
  });

  it("stepfunctions list-state-machines shows the drctl state machine; start-execution starts a drill", async () => {
    // Act: both at once (the ARN is the deployment's, as the README gives it), so that the drill
    // starts a few simulated minutes after t=0, well within the scenario's RPO objective.
    const [listed, started] = await Promise.all([
      awsJson<{ stateMachines: { name: string; stateMachineArn: string; type: string }[] }>([
        "stepfunctions",
        "list-state-machines",
      ]),
      awsJson<{ executionArn: string; startDate: unknown }>([
        "stepfunctions",
        "start-execution",
        "--state-machine-arn",
        STATE_MACHINE_ARN,
        "--input",
        '{"mode":"drill","trigger":"manual"}',
      ]),
    ]);
    executionArn = started.executionArn;
    // Assess
    expect(listed.stateMachines).toEqual([
      {
        name: "drctl-shop",
        stateMachineArn: STATE_MACHINE_ARN,
        type: "STANDARD",
        creationDate: expect.anything(),
      },
    ]);
    expect(executionArn).toMatch(new RegExp(`^arn:aws:states:${REGION}:${ACCOUNT}:execution:drctl-shop:.+`));
    expect(Number.isNaN(timeMs(started.startDate))).toBe(false);
  });

  it("backup list-recovery-points-by-backup-vault --query … --output table lists every resource type", async () => {
    // Act
    const res = await aws([
      "backup",
      "list-recovery-points-by-backup-vault",
      "--backup-vault-name",
      "dr-vault",
      "--query",
      "RecoveryPoints[?Status=='COMPLETED'].{Type:ResourceType,Created:CreationDate}",
      "--output",
      "table",
    ]);
    // Assess
    expect(res.code, res.stderr).toBe(0);
    const rows = tableRows(res.stdout);
    expect(rows[0]).toEqual(["ListRecoveryPointsByBackupVault"]);
    expect(rows[1]).toEqual(["Created", "Type"]);
    const points = rows.slice(2);
    // 48 copies of orders-db, 24 of each other resource (scenario defaults), plus any made since.
    expect(points.length).toBeGreaterThanOrEqual(48 + 3 * 24);
    expect(new Set(points.map((r) => r[1]))).toEqual(new Set(["RDS", "EBS", "EFS", "DynamoDB"]));
    // Epoch seconds as sent (CLI v1) or ISO 8601 (CLI v2).
    for (const [created] of points) expect(created).toMatch(/^(\d{10}(\.\d+)?|\d{4}-\d\d-\d\dT\S+)$/);
  });

  it("backup start-restore-job (DR metadata) → describe-restore-job COMPLETED; same idempotency token, same job", async () => {
    // Prepare
    const newest = async (type: string) => {
      const out = await awsJson<{
        RecoveryPoints: { RecoveryPointArn: string; Status: string; CreationDate: unknown }[];
      }>([
        "backup",
        "list-recovery-points-by-backup-vault",
        "--backup-vault-name",
        "dr-vault",
        "--by-resource-type",
        type,
      ]);
      const done = out.RecoveryPoints.filter((p) => p.Status === "COMPLETED");
      done.sort((a, b) => timeMs(b.CreationDate) - timeMs(a.CreationDate));
      const arn = done[0]?.RecoveryPointArn;
      if (!arn) throw new Error(`no COMPLETED ${type} recovery point in dr-vault`);
      return arn;
    };
    const [tablePoint, dbPoint] = await Promise.all([newest("DynamoDB"), newest("RDS")]);
    const startTable = [
      "backup",
      "start-restore-job",
      "--recovery-point-arn",
      tablePoint,
      "--iam-role-arn",
      RESTORE_ROLE,
      "--resource-type",
      "DynamoDB",
      "--metadata",
      "targetTableName=carts-interop",
      "--idempotency-token",
      "interop-carts-1",
    ];
    // Act
    const [first, db] = await Promise.all([
      awsJson<{ RestoreJobId: string }>(startTable),
      // RDS: into the DR network's subnet group and security groups (checked in the next test).
      awsJson<{ RestoreJobId: string }>([
        "backup",
        "start-restore-job",
        "--recovery-point-arn",
        dbPoint,
        "--iam-role-arn",
        RESTORE_ROLE,
        "--resource-type",
        "RDS",
        "--metadata",
        JSON.stringify({
          DBInstanceIdentifier: "orders-interop",
          DBInstanceClass: "db.r6g.large",
          DBSubnetGroupName: "dr-db-subnets",
          VpcSecurityGroupIds: '["sg-0drdb"]',
          MultiAZ: "false",
        }),
      ]),
    ]);
    rdsJobId = db.RestoreJobId;
    const again = await awsJson<{ RestoreJobId: string }>(startTable);
    const job = await pollUntil(
      "DynamoDB restore job",
      () =>
        awsJson<Record<string, unknown>>([
          "backup",
          "describe-restore-job",
          "--restore-job-id",
          first.RestoreJobId,
        ]),
      (j) => j.Status !== "PENDING" && j.Status !== "RUNNING",
      // 10.5 simulated minutes at SPEED: under 2 s.
      { deadlineMs: 20_000 },
    );
    // Assess
    expect(first.RestoreJobId).toMatch(/^[0-9A-F-]{36}$/);
    expect(again.RestoreJobId).toBe(first.RestoreJobId);
    expect(db.RestoreJobId).not.toBe(first.RestoreJobId);
    expect(job).toMatchObject({
      RestoreJobId: first.RestoreJobId,
      RecoveryPointArn: tablePoint,
      Status: "COMPLETED",
      PercentDone: "100.00%",
      ResourceType: "DynamoDB",
      IamRoleArn: RESTORE_ROLE,
      CreatedResourceArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/carts-interop`,
    });
    expect(timeMs(job.CompletionDate)).toBeGreaterThan(timeMs(job.CreationDate));
  });

  it("rds describe-db-instances: the restored instance, in the DR network", async () => {
    // Prepare
    expect(rdsJobId, "the RDS restore of the previous test was not started").not.toBe("");
    const job = await pollUntil(
      "RDS restore job",
      () =>
        awsJson<Record<string, unknown>>(["backup", "describe-restore-job", "--restore-job-id", rdsJobId]),
      (j) => j.Status !== "PENDING" && j.Status !== "RUNNING",
      // 35.5 simulated minutes at SPEED: about 5 s.
      { deadlineMs: 30_000 },
    );
    // Act
    const out = await awsJson<{ DBInstances: Record<string, unknown>[] }>([
      "rds",
      "describe-db-instances",
      "--db-instance-identifier",
      "orders-interop",
    ]);
    // Assess
    expect(job).toMatchObject({
      Status: "COMPLETED",
      CreatedResourceArn: `arn:aws:rds:${REGION}:${ACCOUNT}:db:orders-interop`,
    });
    expect(out.DBInstances).toHaveLength(1);
    expect(out.DBInstances[0]).toMatchObject({
      DBInstanceIdentifier: "orders-interop",
      DBInstanceArn: job.CreatedResourceArn,
      DBInstanceClass: "db.r6g.large",
      Engine: "postgres",
      DBInstanceStatus: "available",
      MultiAZ: false,
      Endpoint: { Address: expect.stringMatching(/^orders-interop\..+\.rds\.amazonaws\.com$/), Port: 5432 },
      VpcSecurityGroups: [{ VpcSecurityGroupId: "sg-0drdb", Status: "active" }],
      DBSubnetGroup: { DBSubnetGroupName: "dr-db-subnets", VpcId: "vpc-0dr" },
      AvailabilityZone: expect.stringMatching(/^us-west-2[a-f]$/),
    });
  });

  it("cloudformation create-stack with a parameter the template does not declare answers ValidationError", async () => {
    // Act
    const res = await aws([
      "cloudformation",
      "create-stack",
      "--stack-name",
      "nope",
      "--template-url",
      TEMPLATE_URL,
      "--parameters",
      "ParameterKey=Nope,ParameterValue=x",
      "--capabilities",
      "CAPABILITY_IAM",
    ]);
    // Assess
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain("(ValidationError)");
    expect(res.stderr).toContain("Parameters: [Nope] do not exist in the template");
  });

  it("cloudformation create-stack of the DR app template → describe-stacks CREATE_COMPLETE with its outputs", async () => {
    // Act
    const summary = await awsJson<{ Parameters: { ParameterKey: string }[]; Capabilities: string[] }>([
      "cloudformation",
      "get-template-summary",
      "--template-url",
      TEMPLATE_URL,
    ]);
    const created = await awsJson<{ StackId: string }>([
      "cloudformation",
      "create-stack",
      "--stack-name",
      "x",
      "--template-url",
      TEMPLATE_URL,
      "--parameters",
      "ParameterKey=VpcId,ParameterValue=vpc-0dr",
      "ParameterKey=SubnetIds,ParameterValue='subnet-0dra,subnet-0drb'",
      "--capabilities",
      "CAPABILITY_IAM",
    ]);
    const described = await pollUntil(
      "stack x",
      () =>
        awsJson<{
          Stacks: {
            StackId: string;
            StackName: string;
            StackStatus: string;
            Outputs?: { OutputKey: string; OutputValue: string }[];
          }[];
        }>(["cloudformation", "describe-stacks", "--stack-name", "x"]),
      (d) => d.Stacks[0]?.StackStatus !== "CREATE_IN_PROGRESS",
      // 9 simulated minutes at SPEED: under 2 s.
      { deadlineMs: 20_000 },
    );
    const events = await awsJson<{ StackEvents: { LogicalResourceId: string }[] }>([
      "cloudformation",
      "describe-stack-events",
      "--stack-name",
      "x",
    ]);
    // Assess
    expect(summary.Parameters.map((p) => p.ParameterKey)).toContain("ParameterPrefix");
    expect(summary.Capabilities).toEqual(["CAPABILITY_IAM"]);
    expect(created.StackId).toMatch(
      new RegExp(`^arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/x/[0-9a-f-]{36}$`),
    );
    expect(described.Stacks).toHaveLength(1);
    expect(described.Stacks[0]).toMatchObject({
      StackId: created.StackId,
      StackName: "x",
      StackStatus: "CREATE_COMPLETE",
    });
    const outputs = Object.fromEntries(
      (described.Stacks[0]?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]),
    );
    expect(outputs.HealthUrl).toBe(`http://${outputs.LoadBalancerDnsName}/health`);
    expect(new Set(events.StackEvents.map((e) => e.LogicalResourceId))).toEqual(
      new Set([
        "x",
        "LoadBalancerSecurityGroup",
        "InstanceSecurityGroup",
        "InstanceRole",
        "InstanceProfile",
        "LaunchTemplate",
        "LoadBalancer",
        "TargetGroup",
        "Listener",
        "AppGroup",
      ]),
    );
  });

  it("stepfunctions describe-execution: the drill SUCCEEDED; get-execution-history ends with ExecutionSucceeded", async () => {
    // Prepare
    expect(executionArn, "the drill was not started").not.toBe("");
    // Act
    const final = await pollUntil(
      "drill execution",
      () =>
        awsJson<{ status: string; error?: string; cause?: string }>([
          "stepfunctions",
          "describe-execution",
          "--execution-arn",
          executionArn,
        ]),
      (d) => d.status !== "RUNNING",
      // About an hour of simulated time at SPEED: under 10 s (it ran during the tests above).
      { deadlineMs: 40_000 },
    );
    const history = await awsJson<{ events: { id: number; type: string }[] }>([
      "stepfunctions",
      "get-execution-history",
      "--execution-arn",
      executionArn,
    ]);
    // Assess
    expect(final, `${final.error ?? ""} ${final.cause ?? ""}`).toMatchObject({ status: "SUCCEEDED" });
    const types = history.events.map((e) => e.type);
    expect(types[0]).toBe("ExecutionStarted");
    expect(types.at(-1)).toBe("ExecutionSucceeded");
    expect(types.filter((t) => t === "ExecutionSucceeded" || t === "LambdaFunctionTimedOut")).toHaveLength(1);
    expect(types).toContain("LambdaFunctionSucceeded");
  });

  it("an operation the sandbox does not emulate fails as AWS's unknown-operation error", async () => {
    // Act
    const res = await aws(["backup", "list-frameworks"]);
    // Assess
    expect(res.code).not.toBe(0);
    expect(res.stdout).toBe("");
    expect(res.stderr).toMatch(
      /An error occurred \(UnknownOperationException\) when calling the ListFrameworks operation: .+/,
    );
  });

  it("stdout still holds only the ready line", () => {
    // Assess
    expect(sandbox?.stdout()).toBe(`ready http://127.0.0.1:${port}\n`);
  });
});
