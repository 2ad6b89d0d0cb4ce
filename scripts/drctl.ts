/**
 * drctl command line: the commands, their options and exit codes are in USAGE (cli/usage.ts);
 * local runs and the sandbox in cli/local.ts, commands on AWS in cli/aws.ts.
 */
import { approvalCommand } from "./approve.js";
import { cleanup, report, status } from "./cli/aws.js";
import { localRun, sandbox } from "./cli/local.js";
import { type Code, USAGE, UsageError } from "./cli/usage.js";

export async function main(argv: string[]): Promise<Code> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "drill":
      case "failover":
      case "plan":
        return await localRun(command, rest);
      case "sandbox":
        return await sandbox(rest);
      case "status":
        return await status(rest);
      case "report":
        return await report(rest);
      case "cleanup":
        return await cleanup(rest);
      case "approve":
      case "reject":
        return await approvalCommand(command, rest);
      case "redrive":
        return await (await import("./cli/redrive.js")).redrive(rest);
      case undefined:
      case "help":
      case "--help":
      case "-h":
        console.log(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`drctl: ${(e as Error).message}\n\n${USAGE}`);
      return 2;
    }
    console.error(`drctl ${command}: ${(e as Error).stack ?? String(e)}`);
    return 1;
  }
}
