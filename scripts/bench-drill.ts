/**
 * One benchmark drill: the generated scenario (bench-scenario.ts) played by the local runner, and
 * what it cost. AWS calls are counted at the sandbox's dispatch (World.calls), by caller: the
 * calls signed with a step function's role (every call drctl's Lambdas make, S3 documents, SSM and
 * GetExecutionHistory included), not the local runner's own.
 *
 * Critical-path lower bound (simulated seconds from the execution's start), from the scenario and
 * the sandbox's fixed timings (world/model.ts TIMINGS), with every poll and wait taken out:
 *   restoreEnd(r) = TIMINGS.restorePendingSeconds + r.restoreSeconds   (all restores start at t=0)
 *   integ(r)      = aurora: TIMINGS.rdsCreateInstanceSeconds (the instance drctl adds);
 *                   efs: TIMINGS.mountTargetCreateSeconds; ebs attached: TIMINGS.volumeAttachSeconds;
 *                   others: 0 (the restored resource is usable when its job completes)
 *   done(r)       = max(restoreEnd(r), max over r.dependsOn d of done(d)) + integ(r)
 *   serves        = max(app.deploySeconds, max over r with a health mark of done(r))
 *                   + app.healthyAfterSeconds
 *   lowerBound    = max(serves, max over r of done(r))
 * i.e. the longest dependsOn chain of restore + integration, in parallel with the stack deploy,
 * and then the app's warm-up: the sandbox's app answers healthy app.healthyAfterSeconds after
 * the later of the stack's completion and the last integration call it counts (world/health.ts:
 * PutParameter, AttachVolume, SendCommand; here the resources with an SSM parameter, an attach or
 * a mount). The RTO of the report (execution start → health validated) over this bound is what
 * polling, waits and the step structure cost.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { type BenchResource, benchScenario } from "./bench-scenario.js";
import { runLocalDrill } from "./sandbox/runner.js";
import { TIMINGS } from "./sandbox/world/index.js";

export interface DrillMetrics {
  resources: number;
  outcome: string;
  wallSeconds: number;
  /** Calls signed by the steps' roles, per "step service:Operation". */
  callsByStep: Map<string, number>;
  stepCalls: number;
  historyEvents: number;
  maxPayloadBytes: number;
  rtoSeconds: number | null;
  lowerBoundSeconds: number;
  /** The same restores the guide's way (derived, see guideSeconds). */
  guideSeconds: number;
  leftovers: number;
}

function integSeconds(r: BenchResource): number {
  if (r.type === "aurora") return TIMINGS.rdsCreateInstanceSeconds;
  if (r.type === "efs") return TIMINGS.mountTargetCreateSeconds;
  if (r.type === "ebs" && r.integrate.attachToTag) return TIMINGS.volumeAttachSeconds;
  return 0;
}

/** Whether the resource's integration makes a call the sandbox's app health counts (world/health.ts). */
const marksHealth = (r: BenchResource): boolean =>
  Boolean(r.integrate.ssmParameter || r.integrate.attachToTag || r.integrate.mountPath);

/** The critical-path lower bound defined in this file's doc comment. */
export function lowerBound(scenario: ReturnType<typeof benchScenario>): number {
  const resources = scenario.resources as BenchResource[];
  const app = scenario.app as { deploySeconds: number; healthyAfterSeconds: number };
  const done = new Map<string, number>();
  for (const r of resources) {
    // Generated resources depend only on earlier ones.
    const deps = Math.max(0, ...r.dependsOn.map((d) => done.get(d) ?? 0));
    done.set(r.name, Math.max(TIMINGS.restorePendingSeconds + r.restoreSeconds, deps) + integSeconds(r));
  }
  const marked = resources.filter(marksHealth).map((r) => done.get(r.name) ?? 0);
  const serves = Math.max(app.deploySeconds, ...marked) + app.healthyAfterSeconds;
  return Math.max(serves, ...done.values());
}

/**
 * The way of the guide "How to Set Up Backup and Restore Disaster Recovery on AWS" (OneUptime
 * blog, Step 5): one restore at a time, each polled with DescribeRestoreJob every 30 s until
 * COMPLETED, then the DR stack deployed (Step 6). Derived from the same durations,
 * not played: Σ ceil((pending + restore) / 30) · 30 + deploy + healthy-after.
 */
export function guideSeconds(scenario: ReturnType<typeof benchScenario>): number {
  const resources = scenario.resources as BenchResource[];
  const app = scenario.app as { deploySeconds: number; healthyAfterSeconds: number };
  const restores = resources.reduce(
    (sum, r) => sum + Math.ceil((TIMINGS.restorePendingSeconds + r.restoreSeconds) / 30) * 30,
    0,
  );
  return restores + app.deploySeconds + app.healthyAfterSeconds;
}

export async function benchDrill(size: number, wallTimeoutMs = 900_000): Promise<DrillMetrics> {
  const dir = await mkdtemp(join(tmpdir(), "drctl-bench-"));
  const scenario = benchScenario(size);
  try {
    const path = join(dir, `bench-${size}.yaml`);
    await writeFile(path, stringify(scenario));
    const result = await runLocalDrill({ scenarioPath: path, outDir: dir, quiet: true, wallTimeoutMs });
    const callsByStep = new Map<string, number>();
    let stepCalls = 0;
    for (const c of result.world?.calls ?? []) {
      const step = c.step;
      if (!step) continue;
      stepCalls += 1;
      const key = `${step} ${c.service}:${c.operation}`;
      callsByStep.set(key, (callsByStep.get(key) ?? 0) + 1);
    }
    const r = result.report;
    return {
      resources: size,
      outcome: `${r?.outcome ?? result.status ?? "?"}${result.exitCode === 0 ? "" : " (unexpected)"}`,
      wallSeconds: result.wallSeconds,
      callsByStep,
      stepCalls,
      historyEvents: r?.execution.historyEvents ?? 0,
      maxPayloadBytes: r?.execution.maxPayloadBytes ?? 0,
      rtoSeconds: r?.rtoSeconds ?? null,
      lowerBoundSeconds: lowerBound(scenario),
      guideSeconds: guideSeconds(scenario),
      leftovers: result.world && result.runName ? result.world.leftovers(result.runName).length : -1,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
