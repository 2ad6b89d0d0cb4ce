/**
 * The restore script of the guide "How to Set Up Backup and Restore Disaster Recovery on AWS"
 * (nawazdhandala, OneUptime blog; its "Step 5: Create the Restore Procedure", Python boto3), taken
 * from a saved copy of the guide's Markdown at test time with its placeholders filled in, plus a
 * driver that runs the restore it describes. Nothing of the guide is copied into the repository.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The saved guide: the file DRCTL_GUIDE_TEXT names (undefined: the test skips, saying so). */
export const GUIDE_TEXT = [process.env.DRCTL_GUIDE_TEXT].find((p): p is string => !!p && existsSync(p));

/**
 * The first Python 3 that imports boto3: `python3` on PATH, else the system one (Debian's
 * python3-boto3 installs there, which .ci/run does when no python3 has boto3); undefined: skip.
 */
export async function pythonWithBoto3(): Promise<string | undefined> {
  for (const python of ["python3", "/usr/bin/python3"]) {
    try {
      await run(python, ["-c", "import boto3"]);
      return python;
    } catch {
      // not there, or without boto3
    }
  }
  return undefined;
}

export interface Placeholders {
  account: string;
  securityGroup: string;
  dbSubnetGroup: string;
}

/** The Step 5 code block with the guide's placeholders replaced; throws when the guide changed. */
export async function guideScript(guide: string, p: Placeholders, speed: number): Promise<string> {
  const text = await readFile(guide, "utf8");
  const step = text.slice(text.indexOf("## Step 5"));
  const block = /```python\n([\s\S]*?)```/.exec(step)?.[1];
  if (!block) throw new Error(`${guide}: no python block under "## Step 5"`);
  const swaps: [string, string][] = [
    ["arn:aws:iam::123456789:role/", `arn:aws:iam::${p.account}:role/`],
    ["'sg-dr-db-123'", `'${p.securityGroup}'`],
    ["'dr-db-subnet-group'", `'${p.dbSubnetGroup}'`],
  ];
  let code = block;
  for (const [from, to] of swaps) {
    if (!code.includes(from)) throw new Error(`${guide}: placeholder ${from} not found in Step 5`);
    code = code.split(from).join(to);
  }
  return `${code}
# --- appended by the interop test: the restore the guide describes, against the sandbox -------
import sys
_real_sleep = time.sleep
time.sleep = lambda seconds: _real_sleep(seconds / ${speed})  # the sandbox clock runs ${speed}x real time
rds = [p for p in points if p['resource'] == 'RDS' and p['status'] == 'COMPLETED']
if not rds:
    print('no COMPLETED RDS recovery point among the first page')
    sys.exit(2)
job_id = dr.restore_rds(rds[0]['arn'])
ok = dr.wait_for_restore(job_id, timeout=120)
print('RESULT', dr.backup.describe_restore_job(RestoreJobId=job_id)['Status'])
sys.exit(0 if ok else 1)
`;
}
