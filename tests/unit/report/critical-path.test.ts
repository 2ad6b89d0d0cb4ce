import { describe, expect, it } from "vitest";
import { criticalPathOf, type PathResource } from "../../../functions/shared/report/critical-path.js";
import { buildReport, type ReportPhase, StateSnapshot } from "../../../functions/shared/report/index.js";
import { appConfig, runContext } from "../../support/fixtures.js";
import {
  drillHistory,
  drillState,
  integrationDocument,
  iso,
  jobsDocument,
  planDocument,
  sfnWith,
} from "../../support/fixtures-report.js";

const phase = (name: ReportPhase["name"], from: number, to: number): ReportPhase => ({
  name,
  startedAt: iso(from),
  endedAt: iso(to),
  seconds: to - from,
  status: "SUCCEEDED",
});

/** A chain a → b → c (dependsOn) and an independent d whose restore is the slowest. */
function chainAndSlowD(dIntegrationEnd: number): { phases: ReportPhase[]; resources: PathResource[] } {
  const validateFrom = Math.max(1800, dIntegrationEnd) + 1;
  const r = (
    name: string,
    restoreEnd: number,
    integration: [number, number],
    dependsOn: string[] = [],
  ): PathResource => ({
    name,
    dependsOn,
    restoreStart: iso(10),
    restoreEnd: iso(restoreEnd),
    integrationStart: iso(integration[0]),
    integrationEnd: iso(integration[1]),
  });
  return {
    phases: [
      phase("lock", 0, 2),
      phase("deploy", 3, 543),
      phase("plan", 3, 10),
      phase("restore", 10, 1515),
      phase("integrate", 1520, Math.max(1800, dIntegrationEnd)),
      phase("validate", validateFrom, validateFrom + 60),
    ],
    resources: [
      r("a", 110, [1520, 1600]),
      r("b", 210, [1600, 1700], ["a"]),
      r("c", 310, [1700, 1800], ["b"]),
      r("d", 1510, [1520, dIntegrationEnd]),
    ],
  };
}

const names = (path: { kind: string; name: string }[]) => path.map((p) => `${p.kind} ${p.name}`);

describe("criticalPathOf", () => {
  it("follows the chain that ends last: a → b → c after the slowest restore (d) released Integrate", () => {
    // Act
    const path = criticalPathOf({ mode: "drill", ...chainAndSlowD(1560) });
    // Assess
    expect(names(path)).toEqual([
      "phase lock",
      "phase plan",
      "restore d",
      "integration a",
      "integration b",
      "integration c",
      "phase validate",
    ]);
    expect(path[2]).toEqual({ kind: "restore", name: "d", start: iso(10), end: iso(1510) });
    expect(path.at(-1)).toEqual({ kind: "phase", name: "validate", start: iso(1801), end: iso(1861) });
  });

  it("follows d instead when d's own integration ends after the chain", () => {
    // Act
    const path = criticalPathOf({ mode: "drill", ...chainAndSlowD(1900) });
    // Assess
    expect(names(path)).toEqual(["phase lock", "phase plan", "restore d", "integration d", "phase validate"]);
  });

  it("goes through the stack when the deploy ends after every restore, and ends at DNS in a failover", () => {
    // Prepare
    const phases = [
      phase("lock", 0, 2),
      phase("detect", 2, 40),
      phase("deploy", 41, 900),
      phase("plan", 41, 50),
      phase("restore", 50, 700),
      phase("integrate", 901, 960),
      phase("validate", 961, 1000),
      phase("failover", 1000, 1062),
    ];
    const resources: PathResource[] = [
      {
        name: "db",
        dependsOn: [],
        restoreStart: iso(50),
        restoreEnd: iso(690),
        integrationStart: iso(901),
        integrationEnd: iso(960),
      },
    ];
    // Act
    const path = criticalPathOf({
      mode: "failover",
      phases,
      stack: { name: "shop-dr", start: iso(41), end: iso(899) },
      resources,
    });
    // Assess
    expect(names(path)).toEqual([
      "phase lock",
      "phase detect",
      "stack shop-dr",
      "integration db",
      "phase validate",
      "phase failover",
    ]);
  });

  it("ends at what ended last when the run stopped before validation", () => {
    // Prepare: b's restore failed after a completed; nothing was integrated.
    const phases = [phase("lock", 0, 2), phase("deploy", 3, 543), phase("plan", 3, 10)];
    const resources: PathResource[] = [
      { name: "a", dependsOn: [], restoreStart: iso(10), restoreEnd: iso(400) },
      { name: "b", dependsOn: [], restoreStart: iso(10), restoreEnd: iso(800) },
    ];
    // Act
    const path = criticalPathOf({ mode: "drill", phases, resources });
    // Assess
    expect(names(path)).toEqual(["phase lock", "phase plan", "restore b"]);
  });
});

describe("buildReport: criticalPath", () => {
  it("is the observed chain of the drill: orders-db restore, its integration, then shared-files", async () => {
    // Prepare
    const history = await sfnWith(drillHistory().events).api.getExecutionHistory("arn");
    // Act
    const report = buildReport({
      run: runContext(),
      config: appConfig(),
      state: StateSnapshot.parse(drillState()),
      history,
      plan: planDocument(),
      jobs: jobsDocument(),
      integration: integrationDocument(),
      final: false,
      now: history.at(-1)?.timestamp ?? new Date(),
    });
    // Assess
    expect(report.criticalPath).toEqual([
      { kind: "phase", name: "lock", start: iso(0), end: iso(2) },
      { kind: "phase", name: "plan", start: iso(3), end: iso(10) },
      { kind: "restore", name: "orders-db", start: iso(10), end: iso(2110) },
      { kind: "integration", name: "orders-db", start: iso(2116), end: iso(2120) },
      { kind: "integration", name: "shared-files", start: iso(2120), end: iso(2200) },
      { kind: "phase", name: "validate", start: iso(2201), end: iso(2260) },
    ]);
  });
});
