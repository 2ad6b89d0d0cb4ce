/**
 * The recovery point each target restores from: the newest COMPLETED one created at or before
 * restoreTo. One paged ListRecoveryPointsByBackupVault over a recent window (ByCreatedAfter /
 * ByCreatedBefore, 1,000 per page) covers every target whose newest point is recent; only targets
 * with nothing in the window (stale backups: the RPO gate's cases) are listed one by one
 * (ByResourceArn). So the calls grow with the vault's recent points / 1,000, not with the targets.
 */
import type { BackupApi, RecoveryPoint } from "../shared/aws/backup.js";
import { mapLimit } from "../shared/collections.js";

const CONCURRENCY = 10;
/** The shared listing looks back this many RPO objectives before restoreTo (at least one hour). */
const WINDOW_RPOS = 2;
const MIN_WINDOW_MS = 3600_000;

const newestFirst = (a: RecoveryPoint, b: RecoveryPoint) => b.createdAt.getTime() - a.createdAt.getTime();

function newestUsable(points: RecoveryPoint[], restoreTo: Date): RecoveryPoint | undefined {
  return points
    .filter((p) => p.status === "COMPLETED" && p.createdAt.getTime() <= restoreTo.getTime())
    .sort(newestFirst)[0];
}

/** The newest usable point per source ARN (undefined where the vault has none). */
export async function newestPoints(
  backup: BackupApi,
  vault: string,
  sourceArns: string[],
  restoreTo: Date,
  rpoMinutes: number,
): Promise<(RecoveryPoint | undefined)[]> {
  const windowMs = Math.max(MIN_WINDOW_MS, WINDOW_RPOS * rpoMinutes * 60_000);
  // The API's bounds are exclusive; the exact bound is applied by newestUsable.
  const recent = await backup.listRecoveryPoints(vault, {
    createdAfter: new Date(restoreTo.getTime() - windowMs),
    createdBefore: new Date(restoreTo.getTime() + 1000),
  });
  const bySource = new Map<string, RecoveryPoint[]>();
  for (const p of recent) bySource.set(p.resourceArn, [...(bySource.get(p.resourceArn) ?? []), p]);
  return mapLimit(sourceArns, CONCURRENCY, async (arn) => {
    const found = newestUsable(bySource.get(arn) ?? [], restoreTo);
    if (found) return found;
    const all = await backup.listRecoveryPoints(vault, {
      resourceArn: arn,
      createdBefore: new Date(restoreTo.getTime() + 1000),
    });
    return newestUsable(all, restoreTo);
  });
}
