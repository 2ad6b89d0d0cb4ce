/**
 * Cleanup (drills only): deletes everything the drill created, found both by the run's documents
 * (restore jobs of every attempt, integration records, the plan's target names) and by the
 * `drctl:execution` tag; never anything recorded for or tagged with another run. Restore jobs
 * still running cannot be cancelled: they are pending, and the state machine calls cleanup again
 * after a wait until they have finished and their resources are gone. Safe to call repeatedly.
 *
 * It always finishes and never claims more than it did: every resource is tried on its own, each
 * operation is bounded in tries and time (ledger.ts), and the whole Cleanup → Wait → Cleanup loop
 * in rounds and time (LOOP_LIMITS). What remains is listed with its reason in the cleanup document
 * and the last round throws CleanupIncomplete.
 */

import * as z from "zod";
import { EXECUTION_TIMEOUT_SECONDS } from "../../state-machines/tasks.asl.js";
import { type ArtifactStore, runKeys } from "../shared/artifacts.js";
import type { BackupApi } from "../shared/aws/backup.js";
import type { CloudFormationApi } from "../shared/aws/cloudformation.js";
import type { SsmApi } from "../shared/aws/ssm.js";
import type { AppConfig } from "../shared/config.js";
import { CleanupIncomplete, InputInvalid } from "../shared/errors.js";
import { logger } from "../shared/logger.js";
import { withObservedOrPlain } from "../shared/observed.js";
import { CleanupDocument, type CleanupProgress, RunContext, runTags } from "../shared/types.js";
import { adaptiveWait } from "../shared/waits.js";
import {
  type Candidate,
  type CleanupApis,
  type DeleteContext,
  deleteClusters,
  deleteDbInstances,
  deleteFileSystems,
  deleteTables,
  deleteVolumes,
  label,
  terminateInstances,
} from "./deleters.js";
import { sweepTagged } from "./discover.js";
import { documentedFinds } from "./documented.js";
import { Ledger } from "./ledger.js";
import { fromListing, type Listing } from "./listing.js";
import { candidateKey, goneAfterRound, roundScope, union } from "./sweep.js";
import { deleteParameters, deleteStack } from "./targets.js";

export const CleanupEvent = z.object({
  run: RunContext,
  /** Set only by `drctl cleanup --confirm`: remove a failed failover's restores and DR stack. */
  confirmFailover: z.literal(true).optional(),
});
export type CleanupEvent = z.infer<typeof CleanupEvent>;

export interface CleanupDeps extends CleanupApis {
  config: AppConfig;
  store: ArtifactStore;
  backup: BackupApi;
  ssm: SsmApi;
  cloudformation: CloudFormationApi;
  now: () => Date;
}

/** Every drill writes its SSM parameters under /drctl-drill/<run name>. */
export const DRILL_PARAMETER_ROOT = "/drctl-drill/";
/** A round waits until the nearest expected end (at least 15 s): each round costs calls of its own. */
const WAITS = { minSeconds: 15, maxSeconds: 600, unknownSeconds: 60, soonSeconds: 0 };

/**
 * Bounds of the whole loop. Each round adds about 9 history events (Wait, Task with its Lambda
 * events, Choice), so 200 rounds (about 1,800 events, in the main and the failure path together:
 * the rounds count on from the document) stay far below Step Functions' 25,000-event history
 * quota, which fails the execution uncatchably
 * (https://docs.aws.amazon.com/step-functions/latest/dg/bp-history-limit.html); the waits grow
 * with the time waited (ledger.ts), and the loop stops an hour before the execution's own
 * TimeoutSeconds, leaving time for the report and the lock release.
 */
/** Kinds the stack's deletion does not wait for: a round may skip them while they are not due. */
const UNBLOCKING: ReadonlySet<Candidate["kind"]> = new Set(["rds-instance", "rds-cluster", "ec2-instance"]);

export const LOOP_LIMITS = { maxRounds: 200, maxSeconds: 12 * 3600, executionMarginSeconds: 3600 };

export async function cleanup(event: CleanupEvent, deps: CleanupDeps): Promise<CleanupProgress> {
  const { run } = event;
  const failover = run.mode === "failover" && event.confirmFailover === true;
  if (run.mode !== "drill" && !failover)
    throw new InputInvalid(`cleanup deletes drill resources only; ${run.name} is a ${run.mode}`);
  if (
    !failover &&
    (!run.parameterPrefix.startsWith(DRILL_PARAMETER_ROOT) || !run.parameterPrefix.includes(run.name))
  ) {
    throw new InputInvalid(
      `run.parameterPrefix ${run.parameterPrefix} is not this drill's (${DRILL_PARAMETER_ROOT}${run.name})`,
    );
  }
  const now = deps.now();
  const keys = runKeys(run.artifactsPrefix);
  const { config } = deps;
  const previous = await deps.store.findJson(keys.cleanup, CleanupDocument);
  const ledger = new Ledger(previous, now);
  const finds = await documentedFinds(run, deps, ledger, previous);
  const listed: Listing = {};
  const sweep = (known: Candidate[]) => sweepTagged(run, deps, ledger, known, listed);
  const scope = await roundScope(previous, finds.candidates, sweep);
  // A table whose DeleteTable an earlier round accepted is DELETING until DynamoDB removes it, and
  // a deleted parameter is gone at once: neither is asked about again (calls grow with work only).
  const deletedBefore = new Set(previous?.deleted ?? []);
  // A database or instance waited for is looked at again once half its expected time has passed.
  const looked = scope.candidates.filter((c) => !(UNBLOCKING.has(c.kind) && ledger.notDue(label(c))));
  // A round that swept describes the listed kinds from the sweep's listings.
  const blocked = await removeAll(run, fromListing(deps, listed), ledger, looked, deletedBefore);
  // A failover's parameters have the application's own names: they stay (the next failover overwrites them).
  if (!failover) await deleteParameters(run, finds.parameters, deps.ssm, ledger, deletedBefore);
  await deleteStack(run, config, deps.cloudformation, ledger, blocked);
  let { candidates, tagged } = scope;
  if (!scope.swept && ledger.pending.length === 0) {
    // Nothing left to wait for: one more sweep before reporting done.
    const found = await sweep(candidates);
    const fresh = found.filter((c) => !candidates.some((k) => candidateKey(k) === candidateKey(c)));
    tagged = union(tagged, found);
    candidates = union(candidates, fresh);
    if (fresh.length > 0) await removeAll(run, fromListing(deps, listed), ledger, fresh, deletedBefore);
  }
  const gone = [...new Set([...scope.gone, ...goneAfterRound(candidates, ledger)])];

  const rounds = (previous?.rounds ?? 0) + 1;
  const startedAt = previous?.startedAt ?? now.toISOString();
  let pending = [...new Set(ledger.pending)];
  const stop = loopLimit(run, rounds, startedAt, now);
  if (stop && pending.length > 0) {
    for (const p of pending) ledger.leftovers.push(`${p}: still pending when cleanup stopped (${stop})`);
    pending = [];
  }
  const document: CleanupDocument = {
    run: run.name,
    deleted: [...new Set([...(previous?.deleted ?? []), ...ledger.deleted])],
    leftovers: [...new Set(ledger.leftovers)],
    pending,
    rounds,
    startedAt,
    done: pending.length === 0,
    track: ledger.track,
    waiting: ledger.waiting,
    tagged,
    gone,
    due: ledger.due,
    ...(finds.keep && { documented: finds.documented }),
  };
  await deps.store.putJson(keys.cleanup, document);
  const progress: CleanupProgress = {
    cleanupKey: keys.cleanup,
    deleted: document.deleted.length,
    leftovers: document.leftovers.length,
    pending: pending.length,
    done: pending.length === 0,
    waitSeconds: adaptiveWait(ledger.remaining, WAITS),
    rounds,
  };
  logger.info("cleanup round", { ...progress, pendingItems: pending.slice(0, 20) });
  if (progress.done && document.leftovers.length > 0) {
    throw new CleanupIncomplete(
      `${run.mode} ${run.name} left ${document.leftovers.length} resource(s), listed in ${keys.cleanup}: ` +
        document.leftovers
          .slice(0, 5)
          .map((l) => l.slice(0, 200))
          .join("; ") +
        (document.leftovers.length > 5 ? "; ..." : ""),
    );
  }
  return progress;
}

/**
 * Deletes `candidates` in the order AWS requires: volumes, instances, databases, file systems,
 * tables. Returns what still blocks the stack's deletion ("" when nothing).
 */
async function removeAll(
  run: RunContext,
  deps: CleanupDeps,
  ledger: Ledger,
  candidates: Candidate[],
  deletedBefore: ReadonlySet<string>,
): Promise<string> {
  const ctx: DeleteContext = {
    runTags: runTags(run),
    // deleteVolumes describes its volumes in one call of its own: not in the batch as well.
    apis: await withObservedOrPlain(
      deps,
      candidates.filter((c) => c.kind !== "ec2-volume"),
    ),
    ledger,
  };
  const of = (kind: Candidate["kind"]) => candidates.filter((c) => c.kind === kind);
  const attached = await deleteVolumes(ctx, of("ec2-volume"));
  await terminateInstances(ctx, of("ec2-instance"));
  await deleteClusters(ctx, of("rds-cluster"));
  await deleteDbInstances(ctx, of("rds-instance"));
  const mounted = await deleteFileSystems(ctx, of("efs"));
  await deleteTables(
    ctx,
    of("dynamodb-table").filter((c) => !deletedBefore.has(label(c))),
  );
  return [attached && "volumes to detach", mounted && "EFS mount targets"].filter(Boolean).join(" and ");
}

/** Why the loop must stop now (undefined: it may go on). */
function loopLimit(run: RunContext, rounds: number, startedAt: string, now: Date): string | undefined {
  const elapsed = (now.getTime() - Date.parse(startedAt)) / 1000;
  const executionEnd = Date.parse(run.startedAt) + EXECUTION_TIMEOUT_SECONDS * 1000;
  if (rounds >= LOOP_LIMITS.maxRounds) return `${rounds} rounds, the most cleanup takes`;
  if (elapsed >= LOOP_LIMITS.maxSeconds)
    return `after ${Math.round(elapsed / 3600)} h, the longest cleanup waits`;
  if (now.getTime() >= executionEnd - LOOP_LIMITS.executionMarginSeconds * 1000)
    return "the execution's time limit is near";
  return undefined;
}
