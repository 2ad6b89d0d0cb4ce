/** Following a local execution to its end through the Step Functions API, and reading its artifacts. */
import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import {
  DescribeExecutionCommand,
  type DescribeExecutionOutput,
  GetExecutionHistoryCommand,
  type SFNClient,
} from "@aws-sdk/client-sfn";
import { phaseOf, restoreProgress } from "./execution-history.js";
import { clockText } from "./run-summary.js";
import type { Scenario } from "./scenario.js";

export async function follow(
  sfn: SFNClient,
  executionArn: string,
  scenario: Scenario,
  say: (line: string) => void,
  timeoutMs: number,
): Promise<DescribeExecutionOutput> {
  const deadline = Date.now() + timeoutMs;
  const t0 = Date.parse(scenario.start);
  let lastLine = "";
  let seen = 0;
  let phase = "start";
  let restores = "";
  let at = t0;
  for (;;) {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    // New events since the last poll: the phase of the latest state, restore progress, the clock.
    const page = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 60 }),
    );
    const fresh = (page.events ?? []).filter((e) => (e.id ?? 0) > seen).reverse();
    for (const e of fresh) {
      seen = Math.max(seen, e.id ?? 0);
      if (e.timestamp) at = e.timestamp.getTime();
      const state = e.stateEnteredEventDetails?.name;
      if (state)
        phase =
          phaseOf(state) ?? (state.startsWith("FailedAt") || state.includes("Failure") ? "failure" : phase);
      const progress = restoreProgress(e);
      if (progress) restores = progress;
    }
    const line =
      `  [T+${clockText((at - t0) / 1000)}] ${phase.padEnd(9)} ${restores ? `restores ${restores}` : ""}`.trimEnd();
    if (line !== lastLine) {
      say(line);
      lastLine = line;
    }
    if (d.status !== "RUNNING") return d;
    if (Date.now() > deadline) {
      throw new Error(
        `the execution did not finish within ${timeoutMs / 1000} s of real time (${executionArn})`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function getText(s3: S3Client, bucket: string, key: string): Promise<string | undefined> {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return await out.Body?.transformToString();
  } catch (e) {
    if ((e as { name?: string }).name === "NoSuchKey") return undefined;
    throw e;
  }
}
