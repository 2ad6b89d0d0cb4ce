/**
 * When the integration alongside the restores (IntegrateRestored) runs: after a poll that saw a
 * restore complete since it last ran, but not more often than every INTEGRATION_SPACING_SECONDS
 * (each run reads the run's documents and describes what it integrates: spacing runs batches the
 * completions of a large recovery into fewer of them), and whenever the work it has in flight
 * wants its next look (dueAt). PollRestores keeps its next wait within the earlier of the two.
 */
import * as z from "zod";
import { IntegrationProgress, type RestoreProgress } from "../shared/types.js";

/** What IntegrateRestored last returned (its IntegrationProgress; the branch starts it at restoresSeen 0). */
export const Alongside = IntegrationProgress.pick({ dueAt: true, ranAt: true }).extend({
  restoresSeen: z.number().int(),
});
export type Alongside = z.infer<typeof Alongside>;

/** Least time between two runs started by new completions (a due look is never held back). */
export const INTEGRATION_SPACING_SECONDS = 120;

const at = (iso: string | undefined, plus = 0) =>
  iso === undefined ? Number.POSITIVE_INFINITY : Date.parse(iso) + plus * 1000;

export function withIntegrationDue(
  progress: RestoreProgress,
  alongside: Alongside,
  now: Date,
): RestoreProgress {
  const t = now.getTime();
  const lookAt = at(alongside.dueAt);
  const fresh = progress.completed > alongside.restoresSeen;
  const spacedAt = alongside.ranAt === undefined ? t : at(alongside.ranAt, INTEGRATION_SPACING_SECONDS);
  const integrationDue = lookAt <= t || (fresh && spacedAt <= t);
  const next = Math.min(lookAt, fresh ? spacedAt : Number.POSITIVE_INFINITY);
  const until = Math.ceil((next - t) / 1000);
  const waitSeconds = until > 0 ? Math.min(progress.waitSeconds, until) : progress.waitSeconds;
  return { ...progress, integrationDue, waitSeconds };
}
