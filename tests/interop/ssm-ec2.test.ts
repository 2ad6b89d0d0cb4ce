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
/** Simulated seconds per real second. */
const SPEED = 20;

const version = await cliVersion();
if (!version) {
  console.warn("tests/interop/ssm-ec2.test.ts: skipped, the AWS CLI (`aws`) is not installed");
}

describe.skipIf(!version)(`AWS CLI (${version ?? "not installed"}): EC2 and SSM limits`, () => {
  let workDir: string;
  let sandbox: Standalone | undefined;

  const aws = (args: string[]): Promise<CliResult> =>
    awsCli({ url: sandbox?.url ?? "", workDir, region: REGION, timeoutMs: 30_000 }, args);

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), "drctl-interop-ssm-ec2-"));
    await writeFile(join(workDir, "config"), "");
    await writeFile(join(workDir, "credentials"), "");
    // The example drill, with a stack that is up within seconds.
    const scenario = parse(await readFile(join(ROOT, "scenarios/shop-drill.yaml"), "utf8"));
    scenario.app.deploySeconds = 20;
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
});
