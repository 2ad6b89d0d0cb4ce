/**
 * drctl redrive (REDRIVE_USAGE in usage.ts)
 *
 * RedriveExecution of a failed, aborted or timed-out recovery execution (Step Functions keeps it
 * redrivable for 14 days). The execution continues under the same ARN: the failure path's last
 * state takes the per-app lock back and the run resumes at the state that failed (a drill that its
 * failure path cleaned up restores again from Recover). Prints why an execution cannot be redriven
 * (DescribeExecution's redriveStatusReason) instead of trying.
 */
import { parseArgs } from "node:util";
import { DescribeExecutionCommand, RedriveExecutionCommand, SFNClient } from "@aws-sdk/client-sfn";
import { REDRIVE_USAGE } from "./usage.js";

export interface RedriveDeps {
  /** SFN client (default: one for the execution's region, from the usual credentials). */
  sfn?: SFNClient;
  print?: (line: string) => void;
}

export async function redrive(args: string[], deps: RedriveDeps = {}): Promise<0 | 1 | 2> {
  const print = deps.print ?? ((line: string) => console.log(line));
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: { region: { type: "string" }, "execution-arn": { type: "string" } },
  });
  const executionArn = values["execution-arn"] ?? positionals[0];
  const region = values.region ?? executionArn?.split(":")[3];
  if (!executionArn || !/^arn:aws[\w-]*:states:[\w-]+:\d{12}:execution:/.test(executionArn) || !region) {
    print(`usage: drctl ${REDRIVE_USAGE}`);
    return 2;
  }
  const sfn = deps.sfn ?? new SFNClient({ region });
  const before = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  const failure = before.error ? ` (${before.error})` : "";
  if (before.redriveStatus === "NOT_REDRIVABLE") {
    print(
      `${executionArn} is ${before.status}${failure}: not redrivable: ${before.redriveStatusReason ?? "no reason given"}`,
    );
    return 1;
  }
  print(`${executionArn} is ${before.status}${failure}; redriving`);
  try {
    const { redriveDate } = await sfn.send(new RedriveExecutionCommand({ executionArn }));
    const after = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    print(
      `redriven at ${redriveDate?.toISOString()} (redrive ${after.redriveCount ?? "?"}); now ${after.status}. ` +
        "Follow it with drctl status, or in the Step Functions console.",
    );
    return 0;
  } catch (e) {
    const err = e as Error;
    print(`not redriven: ${err.name}: ${err.message}`);
    return 1;
  }
}
