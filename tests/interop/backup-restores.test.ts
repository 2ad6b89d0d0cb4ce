/**
 * Interop: recovery points and restores against the REAL standalone sandbox, with the AWS CLI and
 * with the boto3 restore script (Step 5) of the guide "How to Set Up Backup and Restore Disaster
 * Recovery on AWS" (OneUptime blog), read from the copy DRCTL_GUIDE_TEXT names. Skipped, with a
 * message, when `aws`, python3 with boto3 (apt-get install -y awscli python3-boto3) or the guide
 * copy is missing.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsCli, cliVersion } from "./aws-cli.js";
import { GUIDE_TEXT, guideScript, pythonWithBoto3 } from "./guide-script.js";
import { ROOT, type Standalone, sleep, startStandalone } from "./standalone.js";

const REGION = "us-west-2";
const ACCOUNT = "111122223333";
/** Simulated seconds per real second. */
const SPEED = 400;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/drctl-restore`;

const version = await cliVersion();
const python = await pythonWithBoto3();
if (!version) {
  console.warn(
    "tests/interop/backup-restores.test.ts: AWS CLI tests skipped, `aws` is not installed (apt-get install -y awscli)",
  );
}
if (!python || !GUIDE_TEXT) {
  console.warn(
    `tests/interop/backup-restores.test.ts: guide script test skipped, ${
      python
        ? "DRCTL_GUIDE_TEXT names no saved copy of the guide's Markdown"
        : "no python3 with boto3 (apt-get install -y python3-boto3)"
    }`,
  );
}

let sandbox: Standalone | undefined;
let workDir = "";

beforeAll(async () => {
  if (!version && !python) return;
  workDir = await mkdtemp(join(tmpdir(), "drctl-backup-interop-"));
  await writeFile(join(workDir, "config"), "");
  await writeFile(join(workDir, "credentials"), "");
  // The shop drill's account as the guide sets it up: its backup selection (Step 3) and restore
  // script (Step 5) use the role AWSBackupServiceRole, which an account following it has.
  const scenario = join(workDir, "guide-account.yaml");
  const shop = await readFile(join(ROOT, "scenarios", "shop-drill.yaml"), "utf8");
  await writeFile(scenario, `${shop}iamRoles: [AWSBackupServiceRole]\n`);
  sandbox = await startStandalone(scenario, SPEED);
});

afterAll(async () => {
  await sandbox?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe.skipIf(!version)(
  `AWS CLI (${version ?? "not installed"}): recovery points and restore failures`,
  () => {
    const aws = (args: string[]) =>
      awsCli({ url: sandbox?.url ?? "", workDir, region: REGION, timeoutMs: 30_000 }, args);
    const json = async <T>(args: string[]): Promise<T> => {
      const res = await aws(args);
      if (res.code !== 0) throw new Error(`aws ${args.join(" ")} → exit ${res.code}: ${res.stderr}`);
      return JSON.parse(res.stdout) as T;
    };
    const points = (type: string) =>
      json<{ RecoveryPoints: { RecoveryPointArn: string; Status: string }[] }>([
        "backup",
        "list-recovery-points-by-backup-vault",
        "--backup-vault-name",
        "dr-vault",
        "--by-resource-type",
        type,
      ]);

    it("recovery points of RDS and EBS resources carry the RDS and EC2 ARN forms", async () => {
      // Act
      const [rds, ebs] = await Promise.all([points("RDS"), points("EBS")]);
      // Assess
      expect(rds.RecoveryPoints.length).toBeGreaterThan(0);
      expect(ebs.RecoveryPoints.length).toBeGreaterThan(0);
      for (const p of rds.RecoveryPoints) {
        expect(p.RecoveryPointArn).toMatch(
          /^arn:aws:rds:us-west-2:111122223333:snapshot:awsbackup:copyjob-[0-9a-f-]{36}$/,
        );
      }
      for (const p of ebs.RecoveryPoints) {
        expect(p.RecoveryPointArn).toMatch(/^arn:aws:ec2:us-west-2::snapshot\/snap-[0-9a-f]{17}$/);
      }
    });

    it("a restore into a DB subnet group that does not exist is accepted and its job ends FAILED", async () => {
      // Prepare
      const arn = (await points("RDS")).RecoveryPoints.find(
        (p) => p.Status === "COMPLETED",
      )?.RecoveryPointArn;
      if (!arn) throw new Error("no COMPLETED RDS recovery point in dr-vault");
      // Act
      const started = await json<{ RestoreJobId: string }>([
        "backup",
        "start-restore-job",
        "--recovery-point-arn",
        arn,
        "--iam-role-arn",
        ROLE,
        "--metadata",
        JSON.stringify({
          DBInstanceIdentifier: "orders-nowhere",
          DBSubnetGroupName: "no-such-subnet-group",
          VpcSecurityGroupIds: '["sg-0drdb"]',
        }),
      ]);
      let job: { Status?: string; StatusMessage?: string } = {};
      for (let i = 0; i < 100; i++) {
        job = await json(["backup", "describe-restore-job", "--restore-job-id", started.RestoreJobId]);
        if (job.Status !== "PENDING" && job.Status !== "RUNNING") break;
        await sleep(200); // 80 simulated seconds
      }
      // Assess
      expect(started.RestoreJobId).toMatch(/^[0-9A-F-]{36}$/);
      expect(job.Status).toBe("FAILED");
      expect(job.StatusMessage).toMatch(
        /^DB subnet group 'no-such-subnet-group' does not exist\. \(Service: AmazonRDS; Status Code: 404; Error Code: DBSubnetGroupNotFoundFault/,
      );
    });
  },
);

describe.skipIf(!python || !GUIDE_TEXT)("the guide's boto3 restore script (Step 5)", () => {
  it("runs to COMPLETED with its placeholders filled in (account, security group, DB subnet group)", async () => {
    // Prepare
    const script = await guideScript(
      GUIDE_TEXT as string,
      { account: ACCOUNT, securityGroup: "sg-0drdb", dbSubnetGroup: "dr-db-subnets" },
      SPEED,
    );
    const file = join(workDir, "guide_restore.py");
    await writeFile(file, script);
    // Act
    const out = await promisify(execFile)(python as string, [file], {
      timeout: 90_000,
      env: {
        PATH: process.env.PATH,
        HOME: workDir,
        AWS_ACCESS_KEY_ID: "test",
        AWS_SECRET_ACCESS_KEY: "test",
        AWS_ENDPOINT_URL: sandbox?.url ?? "",
        AWS_CONFIG_FILE: join(workDir, "config"),
        AWS_SHARED_CREDENTIALS_FILE: join(workDir, "credentials"),
        AWS_EC2_METADATA_DISABLED: "true",
      },
    }).catch((e: { code?: number; stdout?: string; stderr?: string }) => {
      throw new Error(`the guide's script failed (exit ${e.code}):\n${e.stdout}\n${e.stderr}`);
    });
    // Assess
    expect(out.stdout).toContain("Restore job started: ");
    expect(out.stdout).toMatch(/Job [0-9A-F-]{36}: (PENDING|RUNNING)/);
    expect(out.stdout.trim().split("\n").at(-1)).toBe("RESULT COMPLETED");
  });
});
