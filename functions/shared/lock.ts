/**
 * The per-app recovery lock: SSM parameter `/drctl/lock/<app>` (recovery region) whose value names
 * the execution that holds it: `{"executionArn","run","startedAt"}` (and `takeover`, the claim
 * parameter of a stale-lock takeover). Taken by ValidateInput, released by the run's final report
 * (and by whatever ends a run that could not release it itself), always only by its holder.
 *
 * SSM has no conditional write but PutParameter Overwrite=false, which fails with
 * ParameterAlreadyExists when the name exists: that is the lock's atomic "create if absent", used
 * for the lock itself and for the claim that makes a takeover of a stale lock exclusive.
 */
import * as z from "zod";
import type { SfnApi } from "./aws/sfn.js";
import type { SsmApi } from "./aws/ssm.js";
import { RecoveryInProgress } from "./errors.js";
import { logger } from "./logger.js";
import { lockParameter, sha256 } from "./naming.js";
import { type RunContext, TAG_APP } from "./types.js";

export const LockHolder = z.object({
  executionArn: z.string(),
  run: z.string(),
  startedAt: z.string().optional(),
  /** Claim parameter of the takeover that gave this holder the lock (deleted on release). */
  takeover: z.string().optional(),
});
export type LockHolder = z.infer<typeof LockHolder>;

/** Statuses of an execution that may still act (DescribeExecution `status`). */
const LIVE = new Set(["RUNNING", "PENDING_REDRIVE"]);

/** The holder named by a lock value; undefined when the value is not a drctl lock document. */
export function parseLock(value: string | undefined): LockHolder | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed = LockHolder.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Parameter whose creation (Overwrite=false) gives one execution the right to replace `stale`. */
export const takeoverClaim = (app: string, stale: string): string =>
  `/drctl/lock-takeover/${app}/${sha256(stale).slice(0, 32)}`;

const holderText = (value: string, holder: LockHolder | undefined): string =>
  holder
    ? `execution ${holder.executionArn} (run ${holder.run})`
    : `'${value.slice(0, 200)}' (not a drctl lock document)`;

export interface LockDeps {
  ssm: SsmApi;
  sfn: SfnApi;
}

/**
 * Puts the lock for `run` (Overwrite=false). A retried invocation finds its own execution there.
 * Another holder: RecoveryInProgress naming it, unless its execution no longer runs (or does not
 * exist): then the lock is taken over (one taker wins the claim), or `force` overwrites it.
 */
export async function takeLock(deps: LockDeps, run: RunContext): Promise<void> {
  const parameter = lockParameter(run.app);
  const description = `drctl recovery lock of ${run.app}, held by ${run.executionArn}`;
  const mine: LockHolder = { executionArn: run.executionArn, run: run.name, startedAt: run.startedAt };
  const tags = { [TAG_APP]: run.app };
  for (let attempt = 0; attempt < 3; attempt++) {
    const put = await deps.ssm.putParameter(parameter, JSON.stringify(mine), {
      overwrite: false,
      tags,
      description,
    });
    if (put !== "exists") return;
    const value = await deps.ssm.getParameter(parameter);
    if (value === undefined) continue; // released between the two calls: try again
    const holder = parseLock(value);
    if (holder?.executionArn === run.executionArn) return; // this execution's own lock (retried invocation)
    if (run.force) {
      logger.warn("force: taking the recovery lock over", { parameter, holder: value, run: run.name });
      await deps.ssm.putParameter(parameter, JSON.stringify(mine), { overwrite: true, description });
      return;
    }
    const status = holder ? await deps.sfn.executionStatus(holder.executionArn) : "UNKNOWN";
    if (!holder || (status !== undefined && LIVE.has(status))) {
      throw new RecoveryInProgress(
        `app '${run.app}' is locked by ${holderText(value, holder)}${status && holder ? `, ${status}` : ""} ` +
          `(SSM parameter ${parameter}); wait for it to finish, or start again with force=true to take the lock over`,
      );
    }
    // Stale: the holder ended without releasing the lock. Only the execution that creates the
    // claim replaces it; the lock is re-read after the claim, so a late taker never replaces a
    // lock that someone else already took over.
    const claim = takeoverClaim(run.app, value);
    const claimed = await deps.ssm.putParameter(claim, JSON.stringify(mine), {
      overwrite: false,
      tags,
      description,
    });
    // A retried invocation finds its own claim.
    const ours =
      claimed === "created" ||
      parseLock(await deps.ssm.getParameter(claim))?.executionArn === run.executionArn;
    const unchanged = ours && (await deps.ssm.getParameter(parameter)) === value;
    if (!unchanged) {
      if (claimed === "created") await deps.ssm.deleteParameter(claim); // too late: taken over already
      throw new RecoveryInProgress(
        `app '${run.app}': another execution is taking over the stale lock of ${holderText(value, holder)} ` +
          `(SSM parameter ${parameter}); start again once it has finished`,
      );
    }
    logger.warn("taking over a stale recovery lock", {
      parameter,
      holder,
      status: status ?? "does not exist",
    });
    await deps.ssm.putParameter(parameter, JSON.stringify({ ...mine, takeover: claim }), {
      overwrite: true,
      description,
    });
    return;
  }
  throw new RecoveryInProgress(`could not take the recovery lock ${parameter}: it keeps changing hands`);
}

/**
 * Deletes the lock of `app` when `executionArn` holds it (with the claim of the takeover that gave
 * it the lock); a lock held by another execution (force, takeover) is left in place.
 * Returns whether it released the lock.
 */
export async function releaseLock(ssm: SsmApi, app: string, executionArn: string): Promise<boolean> {
  const parameter = lockParameter(app);
  const value = await ssm.getParameter(parameter);
  const holder = parseLock(value);
  if (holder?.executionArn !== executionArn) {
    if (value !== undefined)
      logger.warn("lock held by another execution: left in place", { parameter, holder: value });
    return false;
  }
  await ssm.deleteParameter(parameter);
  if (holder.takeover) await ssm.deleteParameter(holder.takeover);
  logger.info("lock released", { parameter });
  return true;
}
