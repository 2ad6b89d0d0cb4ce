/**
 * The standalone sandbox's memory over time: `drctl sandbox --speed 600` with the shop drill
 * scenario (ongoing backups keep arriving: 100 simulated hours in 10 minutes), asked for the
 * vault's recovery points every 5 s (so the sandbox settles what is due), its resident set size
 * read from /proc every second. Target: under 300 MB.
 */
import { readFile } from "node:fs/promises";
import { BackupClient, paginateListRecoveryPointsByBackupVault } from "@aws-sdk/client-backup";
import { sleep, startStandalone } from "../tests/interop/standalone.js";

export interface StandaloneMetrics {
  seconds: number;
  maxRssMiB: number;
  lastRssMiB: number;
  recoveryPoints: number;
}

async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round((kb / 1024) * 10) / 10;
}

export async function benchStandalone(minutes: number, speed = 600): Promise<StandaloneMetrics> {
  const sb = await startStandalone("scenarios/shop-drill.yaml", speed);
  const backup = new BackupClient({
    endpoint: sb.url,
    region: "us-west-2",
    credentials: { accessKeyId: "AKIDBENCH", secretAccessKey: "bench" },
    maxAttempts: 1,
  });
  let maxRss = 0;
  let last = 0;
  let points = 0;
  const started = Date.now();
  try {
    for (let tick = 0; Date.now() - started < minutes * 60_000; tick++) {
      if (sb.pid !== undefined) last = await rssMiB(sb.pid);
      maxRss = Math.max(maxRss, last);
      if (tick % 5 === 0) {
        points = 0;
        for await (const page of paginateListRecoveryPointsByBackupVault(
          { client: backup },
          { BackupVaultName: "dr-vault" },
        )) {
          points += page.RecoveryPoints?.length ?? 0;
        }
      }
      await sleep(1000);
    }
  } finally {
    backup.destroy();
    await sb.stop();
  }
  return {
    seconds: Math.round((Date.now() - started) / 1000),
    maxRssMiB: maxRss,
    lastRssMiB: last,
    recoveryPoints: points,
  };
}
