/**
 * What every deleter shares: the candidates, the APIs, and the guards that keep cleanup to this
 * run's resources (foreign: tagged for another run or mode; tagged: the run's tags added before a
 * change the cleanup role may make only on tagged resources), and one resource's error its own.
 */
import type { DynamoDbApi } from "../shared/aws/dynamodb.js";
import type { Ec2Api } from "../shared/aws/ec2.js";
import type { EfsApi } from "../shared/aws/efs.js";
import type { RdsApi } from "../shared/aws/rds.js";
import type { RestoredKind } from "../shared/restored.js";
import type { Ledger } from "./ledger.js";

export interface CleanupApis {
  rds: RdsApi;
  ec2: Ec2Api;
  efs: EfsApi;
  dynamodb: DynamoDbApi;
}

/** A resource this run created, found by its documents or by its tag. */
export interface Candidate {
  kind: RestoredKind;
  id: string;
  arn?: string;
  /** How it was found (for messages). */
  source: string;
}

export interface DeleteContext {
  /** runTags(run): the tags the cleanup role's delete permission requires. */
  runTags: Record<string, string>;
  apis: CleanupApis;
  ledger: Ledger;
}

export const label = (c: Candidate): string => c.arn ?? c.id;

/**
 * True (and a leftover) when the resource carries a drctl tag with another value than this run's:
 * another run's execution, or a failover's or another app's resource. Never deleted nor re-tagged.
 */
export function foreign(ctx: DeleteContext, c: Candidate, tags: Record<string, string>): boolean {
  const other = Object.entries(ctx.runTags).filter(([k, v]) => tags[k] !== undefined && tags[k] !== v);
  if (other.length === 0) return false;
  const found = other.map(([k]) => `${k}=${tags[k]}`).join(", ");
  ctx.ledger.leftover(label(c), `found by ${c.source} but tagged ${found}; not deleted`);
  return true;
}

/**
 * Whether the resource carries every tag of the run, so the cleanup role may change it now. A
 * resource missing some (restored, but never integrated) gets the run's tags, idempotently, and
 * waits for the next round; false also when tagging was refused (a leftover with the reason).
 * Call after `foreign`, which rules out conflicting values.
 */
export async function tagged(
  ctx: DeleteContext,
  c: Candidate,
  tags: Record<string, string>,
  addTags: (tags: Record<string, string>) => Promise<void>,
): Promise<boolean> {
  const missing = Object.keys(ctx.runTags).filter((k) => tags[k] === undefined);
  if (missing.length === 0) return true;
  if (await ctx.ledger.attempt("tag", label(c), () => addTags(ctx.runTags))) {
    ctx.ledger.wait(
      label(c),
      `${label(c)} tagged ${missing.join(", ")} for deletion (found by ${c.source})`,
      15,
    );
  }
  return false;
}

/** Runs `fn` for each candidate; an unexpected error is that candidate's alone. */
export async function each(candidates: Candidate[], ledger: Ledger, fn: (c: Candidate) => Promise<void>) {
  for (const c of candidates) {
    try {
      await fn(c);
    } catch (err) {
      ledger.failed("delete", label(c), err);
    }
  }
}
