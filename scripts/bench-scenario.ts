/**
 * The benchmark's generated drill: `size` resources of mixed types (rds, aurora, ebs, efs,
 * dynamodb, in that rotation) with ongoing backups (a copy every 15 minutes, the next one in
 * flight at t=0, so the vault keeps growing during the drill) and dependsOn chains: resources
 * come in groups of four, each depending on the one before it (a → b → c → d), so the longest
 * chain has four restores and four integrations. Restore times vary per resource (5–35 minutes).
 * The first EBS volume attaches to the stack's web instance and the first file system is mounted
 * there; the others write SSM parameters (rds, aurora, efs, dynamodb) or just become available
 * (ebs), so integration work grows with the resource count.
 */
import type { ResourceType } from "../functions/shared/config.js";
import { scenarioFrame } from "./sandbox/scenario-frame.js";

const TYPES: ResourceType[] = ["rds", "aurora", "ebs", "efs", "dynamodb"];
/** Resources per dependsOn chain. */
export const CHAIN_LENGTH = 4;

export interface BenchResource {
  name: string;
  type: ResourceType;
  tags: Record<string, string>;
  dependsOn: string[];
  recoveryPoints: { count: number; intervalMinutes: number; newestAgeMinutes: number; sizeGiB: number };
  restoreSeconds: number;
  integrate: Record<string, string>;
}

/** Restore seconds of resource i: 5 to 35 minutes, spread deterministically. */
export const restoreSecondsOf = (i: number): number => 300 + ((i * 397) % 1801);

function resource(i: number, firstOfType: boolean): BenchResource {
  const type = TYPES[i % TYPES.length] as ResourceType;
  const name = `${type}-${String(i).padStart(4, "0")}`;
  const integrate: Record<string, string> =
    type === "ebs"
      ? firstOfType
        ? { attachToTag: "role=web", device: "/dev/sdf" }
        : {}
      : type === "efs" && firstOfType
        ? { ssmParameter: `/bench/${name}`, mountPath: "/mnt/shared" }
        : { ssmParameter: `/bench/${name}` };
  const chainStart = i - (i % CHAIN_LENGTH);
  return {
    name,
    type,
    tags: { backup: "true", app: "bench" },
    dependsOn: i > chainStart ? [`${TYPES[(i - 1) % TYPES.length]}-${String(i - 1).padStart(4, "0")}`] : [],
    recoveryPoints: { count: 8, intervalMinutes: 15, newestAgeMinutes: 5 + (i % 10), sizeGiB: 20 },
    restoreSeconds: restoreSecondsOf(i),
    integrate,
  };
}

/** The scenario document (as YAML/JSON input of the local runner). */
export function benchScenario(size: number): Record<string, unknown> {
  const seen = new Set<ResourceType>();
  const resources = Array.from({ length: size }, (_, i) => {
    const type = TYPES[i % TYPES.length] as ResourceType;
    const first = !seen.has(type);
    seen.add(type);
    return resource(i, first);
  });
  return {
    name: `bench-drill-${size}`,
    description: `Generated drill of ${size} resources with ongoing backups and dependsOn chains (benchmark).`,
    mode: "drill",
    ...scenarioFrame({ stackName: "bench-dr", record: "bench.example.com." }),
    objectives: { rtoMinutes: 480, rpoMinutes: 60 },
    primary: { healthy: true },
    resources,
    expect: { outcome: "SUCCEEDED", dnsChanged: false, leftovers: 0 },
  };
}
