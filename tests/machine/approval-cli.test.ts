/**
 * `drctl approve` / `drctl reject` as a person runs them (child processes) against the standalone
 * sandbox (`drctl sandbox`, paced clock): an alarm-triggered failover waits at RequestApproval
 * until the command answers.
 */
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, type Standalone, sleep, startStandalone } from "../interop/standalone.js";

const CREDS = { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" };

function drctl(args: string[]) {
  const res = spawnSync(process.execPath, [join(ROOT, "bin/drctl.js"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, ...CREDS, POWERTOOLS_LOG_LEVEL: "SILENT" },
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

let dir: string;
let box: Standalone;
let sfn: SFNClient;
let stateMachineArn: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "drctl-approve-cli-"));
  const text = (await readFile(join(ROOT, "scenarios/shop-alarm-failover.yaml"), "utf8"))
    .replace("windowMinutes: 30", "windowMinutes: 720")
    .replace(/approver: \{[^}]*\}/, "approver: { action: none }");
  const path = join(dir, "alarm.yaml");
  await writeFile(path, text);
  box = await startStandalone(path, 600);
  // The ready line is on stdout; the state machine's ARN follows on stderr.
  stateMachineArn = await waitFor(
    "the state machine ARN",
    async () => /state machine (\S+)/.exec(box.stderr())?.[1],
  );
  sfn = new SFNClient({
    region: "eu-central-1",
    endpoint: box.url,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
}, 60_000);

afterAll(async () => {
  await box?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** Starts an alarm-triggered failover and waits until it waits for its approval. */
async function startWaiting(name: string): Promise<string> {
  const { executionArn = "" } = await sfn.send(
    new StartExecutionCommand({
      stateMachineArn,
      name,
      input: JSON.stringify({ mode: "failover", trigger: "alarm" }),
    }),
  );
  await waitFor("the approval request", async () => {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true }));
    return page.events?.some((e) => e.type === "TaskSubmitted") ? true : undefined;
  });
  return executionArn;
}

const ended = (executionArn: string) =>
  waitFor("the end of the execution", async () => {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    return d.status === "RUNNING" ? undefined : d;
  });

describe("drctl approve / reject against the standalone sandbox", () => {
  it("drctl approve lets the waiting failover go on and succeed; a second approve finds nothing to answer", async () => {
    // Prepare
    const executionArn = await startWaiting("alarm-approve");
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe("RUNNING");
    // Act
    const res = drctl(["approve", executionArn, "--by", "tester", "--endpoint-url", box.url]);
    // Assess
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/alarm-approve: approved by tester; the failover goes on/);
    const final = await ended(executionArn);
    expect(final.status).toBe("SUCCEEDED");
    const again = drctl(["approve", executionArn, "--endpoint-url", box.url]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/no approval is waiting: the execution is SUCCEEDED/);
  }, 150_000);

  it("drctl reject --reason ends the waiting failover with FailoverRejected", async () => {
    // Prepare
    const executionArn = await startWaiting("alarm-reject");
    // Act
    const res = drctl([
      "reject",
      executionArn,
      "--reason",
      "false alarm",
      "--by",
      "tester",
      "--endpoint-url",
      box.url,
    ]);
    // Assess
    expect(res.code, res.stderr).toBe(0);
    const final = await ended(executionArn);
    expect(final).toMatchObject({ status: "FAILED", error: "FailoverRejected" });
    expect(final.cause).toMatch(/Rejected by tester at .*: false alarm/);
  }, 150_000);

  it("refuses bad usage with exit 2", () => {
    expect(drctl(["approve"]).code).toBe(2);
    expect(drctl(["approve", "arn:aws:states:eu-central-1:111122223333:stateMachine:x"]).code).toBe(2);
    expect(drctl(["approve", "a", "--reason", "x"]).code).toBe(2);
  });
});
