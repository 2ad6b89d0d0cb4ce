/** A local run's outcome checked against the scenario's `expect`. */
import type { Report } from "../../functions/shared/report/index.js";
import type { Scenario } from "./scenario.js";

/** Compares the outcome with the scenario's `expect` (undefined when it has none). */
export function checkExpect(
  scenario: Scenario,
  report: Report,
  worldLeftovers: string[],
): { held: boolean; failures: string[] } | undefined {
  const e = scenario.expect;
  if (!e) return undefined;
  const failures: string[] = [];
  if (e.outcome !== undefined && report.outcome !== e.outcome) {
    failures.push(`outcome: expected ${e.outcome}, got ${report.outcome}`);
  }
  if (e.failedStep !== undefined && report.failedStep !== e.failedStep) {
    failures.push(`failedStep: expected ${e.failedStep ?? "null"}, got ${report.failedStep ?? "null"}`);
  }
  if (e.dnsChanged !== undefined && report.dns.changed !== e.dnsChanged) {
    failures.push(`dnsChanged: expected ${e.dnsChanged}, got ${report.dns.changed}`);
  }
  if (e.leftovers !== undefined) {
    const reported = report.cleanup?.leftovers ?? [];
    if (reported.length !== e.leftovers) {
      failures.push(
        `leftovers: expected ${e.leftovers}, the report lists ${reported.length} (${reported.join(", ")})`,
      );
    }
    if (worldLeftovers.length !== e.leftovers) {
      failures.push(
        `leftovers: expected ${e.leftovers}, the sandbox still holds ${worldLeftovers.length} (${worldLeftovers.join(", ")})`,
      );
    }
  }
  return { held: failures.length === 0, failures };
}
