/**
 * Interop: the AWS CLI against the standalone sandbox for EC2 and Systems Manager behaviours an
 * operator meets first: a plain `aws ec2 describe-volumes` (the CLI sends MaxResults=1000 by
 * itself) and Run Command on an instance that is not (yet) a managed instance.
 * Skipped, with a message, when `aws` is not installed.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { awsCli, type CliResult, cliVersion } from "./aws-cli.js";
import { ROOT, type Standalone, startStandalone } from "./standalone.js";

const REGION = "us-west-2";
const PRIMARY = "us-east-1";
const STATE_MACHINE_ARN = "arn:aws:states:us-west-2:111122223333:stateMachine:drctl-shop";
/** The DR stack's instances register with Systems Manager this long after they run (simulated). */
const REGISTRATION_SECONDS = 3600;
/** Simulated seconds per real second. */
const SPEED = 20;

const version = await cliVersion();
if (!version) {
  console.warn("tests/interop/ssm-ec2.test.ts: skipped, the AWS CLI (`aws`) is not installed");
}

describe.skipIf(!version)(`AWS CLI (${version ?? "not installed"}): EC2 and SSM limits`, () => {
  let workDir: string;
  let sandbox: Standalone | undefined;

  const aws = (args: string[], region = REGION): Promise<CliResult> =>
    awsCli({ url: sandbox?.url ?? "", workDir, region, timeoutMs: 30_000 }, args);
  const awsJson = async <T>(args: string[], region = REGION): Promise<T> => {
    const res = await aws(args, region);
    if (res.code !== 0) throw new Error(`aws ${args.join(" ")} → exit ${res.code}: ${res.stderr}`);
    return JSON.parse(res.stdout) as T;
  };

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), "drctl-interop-ssm-ec2-"));
    await writeFile(join(workDir, "config"), "");
    await writeFile(join(workDir, "credentials"), "");
    // The example drill, with a stack that is up within seconds and instances that register late.
    const scenario = parse(await readFile(join(ROOT, "scenarios/shop-drill.yaml"), "utf8"));
    scenario.app.deploySeconds = 20;
    scenario.app.ssmRegistrationSeconds = REGISTRATION_SECONDS;
    const path = join(workDir, "scenario.yaml");
    await writeFile(path, stringify(scenario));
    sandbox = await startStandalone(path, SPEED);
  });

  afterAll(async () => {
    await sandbox?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it("plain `aws ec2 describe-volumes` succeeds", async () => {
    const res = await aws(["ec2", "describe-volumes"]);
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toHaveProperty("Volumes");
  });

  it("`aws ssm send-command` to an instance that is not registered yet answers InvalidInstanceId", async () => {
    // Prepare: a drill deploys the DR stack; its instances run, their SSM Agent registers an hour later.
    const { executionArn } = await awsJson<{ executionArn: string }>([
      "stepfunctions",
      "start-execution",
      "--state-machine-arn",
      STATE_MACHINE_ARN,
      "--input",
      '{"mode":"drill","trigger":"manual"}',
    ]);
    let ids: string[] = [];
    for (let i = 0; i < 60 && ids.length === 0; i++) {
      const out = await awsJson<{
        Reservations: { Instances: { InstanceId: string; State: { Name: string } }[] }[];
      }>([
        "ec2",
        "describe-instances",
        "--filters",
        "Name=tag:aws:cloudformation:stack-name,Values=shop-dr-*",
        "Name=instance-state-name,Values=running",
      ]);
      ids = out.Reservations.flatMap((r) => r.Instances.map((x) => x.InstanceId));
      if (ids.length === 0) await new Promise((done) => setTimeout(done, 250));
    }
    expect(ids.length).toBeGreaterThan(0);

    // Act
    const refused = await aws([
      "ssm",
      "send-command",
      "--document-name",
      "AWS-RunShellScript",
      "--instance-ids",
      ...ids,
      "--parameters",
      "commands=uptime",
    ]);
    const info = await awsJson<{ InstanceInformationList: unknown[] }>([
      "ssm",
      "describe-instance-information",
      "--filters",
      `Key=InstanceIds,Values=${ids.join(",")}`,
    ]);
    // The primary region's app instances have run for weeks: managed, Online, they take commands.
    const primary = await awsJson<{ InstanceInformationList: { InstanceId: string; PingStatus: string }[] }>(
      ["ssm", "describe-instance-information"],
      PRIMARY,
    );
    const primaryIds = primary.InstanceInformationList.map((i) => i.InstanceId);
    const accepted = await awsJson<{ Command: { CommandId: string; Status: string } }>(
      [
        "ssm",
        "send-command",
        "--document-name",
        "AWS-RunShellScript",
        "--instance-ids",
        ...primaryIds,
        "--parameters",
        "commands=uptime",
      ],
      PRIMARY,
    );
    await aws(["stepfunctions", "stop-execution", "--execution-arn", executionArn]);

    // Assess
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(
      `An error occurred (InvalidInstanceId) when calling the SendCommand operation: Instances [[${ids.join(", ")}]] not in a valid state for account 111122223333`,
    );
    expect(info.InstanceInformationList).toEqual([]);
    expect(primaryIds.length).toBeGreaterThan(0);
    expect(primary.InstanceInformationList.every((i) => i.PingStatus === "Online")).toBe(true);
    expect(accepted.Command.Status).toBe("Pending");
  });
});
