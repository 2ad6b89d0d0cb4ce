/**
 * Which resources a cleanup round looks at, so that rounds cost what is left to do, not what the
 * drill once created:
 * - the `drctl:execution` tag is swept (one listing per kind) in the first round and once more
 *   before cleanup reports done; the rounds between look again, by id, at what a sweep found
 *   (kept in the cleanup document), so nothing found is forgotten;
 * - a resource whose deletion was accepted and that a later round saw gone is not described again
 *   (`gone` in the cleanup document), unless a sweep finds it (an identifier used again).
 */
import type { CleanupDocument } from "../shared/types.js";
import { type Candidate, label } from "./deleters.js";
import type { Ledger } from "./ledger.js";

export const candidateKey = (c: Candidate): string => `${c.kind}:${c.id}`;

/** `first`, then what `more` adds (by kind and id). */
export function union(first: readonly Candidate[], more: readonly Candidate[]): Candidate[] {
  const keys = new Set(first.map(candidateKey));
  return [...first, ...more.filter((c) => !keys.has(candidateKey(c)))];
}

/** Candidates deleted (accepted) in this or an earlier round and no longer pending nor left over. */
export function goneAfterRound(candidates: readonly Candidate[], ledger: Ledger): string[] {
  return candidates
    .filter((c) => {
      const key = label(c);
      const accepted = ledger.track[`delete ${key}`]?.accepted ?? ledger.track[`terminate ${key}`]?.accepted;
      return (
        accepted !== undefined &&
        !ledger.isPending(key) &&
        !ledger.leftovers.some((l) => l.startsWith(`${key}: `))
      );
    })
    .map(candidateKey);
}

export interface RoundScope {
  /** What this round looks at. */
  candidates: Candidate[];
  /** The tag-found resources to keep for the next rounds. */
  tagged: Candidate[];
  gone: Set<string>;
  /** Whether this round swept the tag already. */
  swept: boolean;
}

/** The candidates of a round: the documents' finds, the kept (or, first round, swept) tagged ones, minus the gone. */
export async function roundScope(
  previous: CleanupDocument | undefined,
  fromDocs: Candidate[],
  sweep: (known: Candidate[]) => Promise<Candidate[]>,
): Promise<RoundScope> {
  const gone = new Set(previous?.gone ?? []);
  const kept = previous?.tagged?.map(({ arn, ...c }): Candidate => (arn === undefined ? c : { ...c, arn }));
  const swept = kept === undefined;
  const tagged = kept ?? (await sweep(fromDocs));
  for (const c of swept ? tagged : []) gone.delete(candidateKey(c));
  const candidates = union(fromDocs, tagged).filter((c) => !gone.has(candidateKey(c)));
  return { candidates, tagged, gone, swept };
}
