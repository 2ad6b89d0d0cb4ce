/** The drill's SSM parameters and its DR stack: each tried on its own, through the ledger. */
import type { CloudFormationApi } from "../shared/aws/cloudformation.js";
import { MAX_DELETE_PARAMETERS, type SsmApi } from "../shared/aws/ssm.js";
import { chunks } from "../shared/aws/util.js";
import type { AppConfig } from "../shared/config.js";
import { type RunContext, TAG_EXECUTION } from "../shared/types.js";
import type { Documents } from "./discover.js";
import type { Ledger } from "./ledger.js";

/** The drill's SSM parameters: recorded by integrate, or configured (a write may not have been recorded). */
export function parameterNames(run: RunContext, docs: Documents): string[] {
  const prefix = run.parameterPrefix;
  return [
    ...new Set([
      ...(docs.integration?.resources ?? []).flatMap((r) => r.parameters),
      ...docs.config.resources.flatMap((r) =>
        r.integrate.ssmParameter ? [`${prefix}${r.integrate.ssmParameter}`] : [],
      ),
    ]),
  ];
}

/** Deletes the drill's parameters `names` (parameterNames): only under the run's prefix. */
export async function deleteParameters(
  run: RunContext,
  names: readonly string[],
  ssm: SsmApi,
  ledger: Ledger,
  deletedBefore: ReadonlySet<string>,
): Promise<void> {
  const prefix = run.parameterPrefix;
  const todo = names.filter((name) => {
    if (name.startsWith(`${prefix}/`)) return !deletedBefore.has(name);
    ledger.leftover(name, `outside the drill's prefix ${prefix}; not deleted`);
    return false;
  });
  // DeleteParameters, 10 names a call; no GetParameter first: a name never written is in the
  // answer's InvalidParameters (accepted, not counted as deleted). A refused batch is its names'.
  for (const batch of chunks(todo, MAX_DELETE_PARAMETERS)) {
    const deleted = new Set<string>();
    const asked = await ledger.attemptAll("delete", batch, async (names) => {
      for (const name of await ssm.deleteParameters(names)) deleted.add(name);
    });
    for (const name of asked) if (!deleted.has(name)) ledger.deleted.delete(name);
  }
}

/** DeleteStack of the drill stack, only when it is tagged with this run; waits until it is gone. */
export async function deleteStack(
  run: RunContext,
  config: AppConfig,
  cfn: CloudFormationApi,
  ledger: Ledger,
  blockedBy: string,
): Promise<void> {
  const key = `stack ${run.stackName}`;
  if (ledger.notDue(key)) return;
  const stack = await ledger.read([key], "describe", () => cfn.describeStack(run.stackName));
  if (!stack || stack.status === "DELETE_COMPLETE") return;
  const drillStack = run.mode === "drill" && run.stackName !== config.stack.name;
  if (!(drillStack || run.mode === "failover") || stack.tags[TAG_EXECUTION] !== run.name) {
    ledger.leftover(key, `not tagged ${TAG_EXECUTION}=${run.name}; not deleted`);
    return;
  }
  if (stack.status === "DELETE_IN_PROGRESS") {
    ledger.wait(key, `${key} deleting`, 120);
  } else if (stack.status === "DELETE_FAILED") {
    ledger.leftover(
      key,
      `${stack.stackId}: DELETE_FAILED${stack.statusReason ? `: ${stack.statusReason}` : ""}`,
    );
  } else if (blockedBy) {
    ledger.wait(`${key} (blocked)`, `${key} waits for ${blockedBy}`, 30);
  } else if (
    await ledger.attempt("delete", stack.stackId, () => cfn.deleteStack(stack.stackId, `delete-${run.name}`))
  ) {
    ledger.wait(key, `${key} deleting`, 120);
  }
}
