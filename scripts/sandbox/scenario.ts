/**
 * The scenario format (docs/scenario-format.md): the schema (scenario-schema.ts, built from
 * scenario-fields.ts, scenario-faults.ts, scenario-approval.ts, scenario-source.ts and the rules
 * in scenario-checks.ts), its loading (scenario-load.ts) and error messages (scenario-issues.ts),
 * and the names derived from a scenario.
 */
import { NAME_RE } from "./scenario-fields.js";
import type { Scenario } from "./scenario-schema.js";

export {
  CallFault,
  Fault,
  RESTORE_FAULT_STATUSES,
  RecoveryPointsFault,
  RestoreSlowFault,
  RestoreStatusFault,
  STACK_FAULT_STATUSES,
  StackFault,
} from "./scenario-faults.js";
export { INTEGRATE_FIELDS, ScenarioResource } from "./scenario-fields.js";
export { describeScenarioIssues } from "./scenario-issues.js";
export {
  checkFaultOperations,
  loadScenario,
  parseScenario,
  parseScenarioText,
  ScenarioError,
} from "./scenario-load.js";
export { DEFAULT_ACCOUNT, DEFAULT_START, Scenario, type ScenarioInput } from "./scenario-schema.js";

// ---------------------------------------------------------------------------------------------
// Names derived from a scenario, shared by the world and configFromScenario.

/**
 * The app name drctl uses for a scenario: the first '-'-separated word of app.stackName,
 * lowercased ("shop-dr" → "shop"); the scenario name when that is not a valid app name.
 */
export function appName(s: Pick<Scenario, "name" | "app">): string {
  const first = (s.app.stackName.split("-")[0] ?? "").toLowerCase();
  return NAME_RE.test(first) ? first : s.name;
}

export const scenarioStart = (s: Pick<Scenario, "start">): Date => new Date(s.start);
