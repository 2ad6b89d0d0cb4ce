/**
 * The benchmark's critical-path lower bound (scripts/bench-drill.ts) is a bound of the sandbox's
 * own model: no orchestrator can have the app healthy before it.
 */
import { describe, expect, it } from "vitest";
import { lowerBound } from "../../../scripts/bench-drill.js";
import { benchScenario, restoreSecondsOf } from "../../../scripts/bench-scenario.js";
import { TIMINGS } from "../../../scripts/sandbox/world/index.js";

describe("bench lower bound", () => {
  it("ends with the app's warm-up after the last integration the health counts", () => {
    // Arrange: 10 resources; chain dynamodb-0004 → rds-0005 → aurora-0006 → ebs-0007 is the longest:
    // dynamodb-0004's restore, then aurora-0006's added instance, then its SSM parameter.
    const scenario = benchScenario(10);
    const chain = TIMINGS.restorePendingSeconds + restoreSecondsOf(4) + TIMINGS.rdsCreateInstanceSeconds;
    // Act
    const bound = lowerBound(scenario);
    // Assess: the app answers healthy healthyAfterSeconds after that parameter (world/health.ts).
    expect(bound).toBe(chain + (scenario.app as { healthyAfterSeconds: number }).healthyAfterSeconds);
  });

  it("is the stack's deploy and warm-up when every integration ends before the stack", () => {
    // Arrange: one RDS instance restored in 5.5 minutes, the stack takes 9
    const scenario = benchScenario(1);
    const app = scenario.app as { deploySeconds: number; healthyAfterSeconds: number };
    // Act / Assess
    expect(lowerBound(scenario)).toBe(app.deploySeconds + app.healthyAfterSeconds);
  });
});
