/** The drctl command line's usage text and the error that prints it (exit code 2). */
import { APPROVAL_USAGE } from "../approve.js";

export type Code = 0 | 1 | 2;

export const REDRIVE_USAGE = "redrive  <execution-arn> [--region R]";

export const USAGE = `usage: drctl <command> [options]

Local (no AWS account; the sandbox plays a scenario on a virtual clock):
  drill    --local [--scenario FILE] [--out DIR] [--verbose] [--quiet] [--no-iam]
  failover --local [--scenario FILE] [--out DIR] [--verbose] [--quiet] [--no-iam]
  failover --replace-stack   (prints the start-execution command of a failover that deletes the
           DR stack a failed failover left and creates a fresh one, instead of adopting it)
  plan     --local [--scenario FILE] [--out DIR] [--no-iam]
  sandbox  --scenario FILE [--port 4566] [--speed 60] [--no-iam]
  (IAM is enforced: each step may do what its role's synthesized policy allows; --no-iam: anything)

On AWS (your credentials):
  status   --state-machine-arn ARN [--region R]
  report   --execution-arn ARN [--out DIR] [--bucket B]
  cleanup  --execution-arn ARN [--bucket B] [--confirm]
           (a stopped or failed drill: delete what it created; a failed failover: its restores and
            DR stack, after --confirm or a typed yes; then the app's lock if that run holds it)
${APPROVAL_USAGE}
  ${REDRIVE_USAGE}   (continue a failed run where it stopped)

Exit codes: 0 = outcome as expected, 1 = not, 2 = bad usage or scenario.`;

export class UsageError extends Error {}
