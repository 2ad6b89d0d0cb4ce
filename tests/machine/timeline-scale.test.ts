import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RESOURCE_TYPES } from "../../functions/shared/config.js";
import { SLOWEST_SHOWN } from "../../functions/shared/report/index.js";
import { scenarioFrame } from "../../scripts/sandbox/scenario-frame.js";
import { type MachineRun, runScenario } from "./support.js";

const SIZE = 300;
const nameOf = (i: number) => `${RESOURCE_TYPES[i % RESOURCE_TYPES.length]}-${String(i).padStart(4, "0")}`;

/**
 * A drill of SIZE resources of every type, restores of 600–2399 s, every tenth resource (with a
 * parameter) depending on the one three before it. Backups stopped two hours before t=0 (no
 * ongoing copies) and RPO 24 h, so the drill succeeds.
 */
function scenario() {
  const resources = Array.from({ length: SIZE }, (_, i) => {
    const type = RESOURCE_TYPES[i % RESOURCE_TYPES.length] ?? "rds";
    const hasParameter = type !== "ebs" && type !== "ec2";
    return {
      name: nameOf(i),
      type,
      tags: { backup: "true", app: "big" },
      recoveryPoints: { count: 2, newestAgeMinutes: 120 },
      restoreSeconds: 600 + ((i * 37) % 1800),
      integrate: hasParameter ? { ssmParameter: `/big/${nameOf(i)}` } : {},
      ...(i % 10 === 9 && hasParameter ? { dependsOn: [nameOf(i - 3)] } : {}),
    };
  });
  return {
    name: `timeline-${SIZE}`,
    mode: "drill",
    ...scenarioFrame({ stackName: "big-dr", record: "big.example.com." }),
    objectives: { rtoMinutes: 240, rpoMinutes: 1440 },
    primary: { healthy: true },
    resources,
  };
}

describe(`machine: the report of a generated ${SIZE}-resource drill`, () => {
  let dir = "";
  let run: MachineRun;
  const s = scenario();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "drctl-timeline-"));
    const file = join(dir, "scenario.json");
    await writeFile(file, JSON.stringify(s));
    run = await runScenario(file, { wallTimeoutMs: 600_000 });
  }, 660_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("has a critical path through one restore and then a dependsOn chain of integrations", () => {
    // Assess
    expect(run.report.outcome).toBe("SUCCEEDED");
    const path = run.report.criticalPath ?? [];
    expect(path.at(-1)?.kind).toBe("phase");
    expect(path.at(-1)?.name).toBe("validate");
    const lastRestore = [...run.report.resources].sort(
      (a, b) => Date.parse(b.restoreCompletedAt ?? "") - Date.parse(a.restoreCompletedAt ?? ""),
    )[0];
    const integrations = path.filter((p) => p.kind === "integration").map((p) => p.name);
    expect(integrations.length).toBeGreaterThan(0);
    // Integration follows each restore: the path's restore heads its chain of integrations, unless
    // the chain waited for the whole Recover parallel (an action on the stack), i.e. the last restore.
    const restores = path.filter((p) => p.kind === "restore").map((p) => p.name);
    expect(restores).toHaveLength(1);
    expect([integrations[0], lastRestore?.name]).toContain(restores[0]);
    const dependsOn = new Map(s.resources.map((r) => [r.name, r.dependsOn ?? []]));
    integrations.slice(1).forEach((name, i) => {
      expect(dependsOn.get(name)).toContain(integrations[i]);
    });
    // Each step starts no earlier than the one before it ended.
    path.slice(1).forEach((p, i) => {
      expect(Date.parse(p.start), JSON.stringify(path)).toBeGreaterThanOrEqual(
        Date.parse(path[i]?.end ?? ""),
      );
    });
  });

  it("report.html draws the critical path and at most the slowest 20 + failures + critical restores", () => {
    // Assess
    const html = run.files.html;
    const path = run.report.criticalPath ?? [];
    expect(html).toContain(`Critical path (${path.length} steps)`);
    for (const p of path) expect(html).toContain(`<title>critical path: ${p.kind} ${p.name}:`);
    const onPath = new Set(path.filter((p) => p.kind !== "phase").map((p) => p.name)).size;
    const failures = run.report.resources.filter(
      (r) => r.status === "FAILED" || r.status === "ABORTED",
    ).length;
    const restoreBars = html.match(/<rect class="bar restore/g)?.length ?? 0;
    expect(restoreBars).toBeGreaterThanOrEqual(SLOWEST_SHOWN);
    expect(restoreBars).toBeLessThanOrEqual(SLOWEST_SHOWN + failures + onPath);
    const table = html.slice(html.indexOf('<table class="resources">'));
    expect(table.slice(0, table.indexOf("</table>")).match(/<tr[ >]/g)?.length).toBe(1 + SIZE);
    expect(html).toContain('<table class="hidden-restores">');
    expect(run.files.md).toContain("## Critical path");
    // Size: the drawing is bounded; the full table grows by one row per resource.
    expect(html.length).toBeLessThan(SIZE * 1024);
  });
});
