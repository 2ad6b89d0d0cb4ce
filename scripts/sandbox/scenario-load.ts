/** Reading a scenario: YAML or JSON text or file, validated against the schema. */
import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import { unknownFaultOperations } from "./scenario-faults.js";
import { describeScenarioIssues } from "./scenario-issues.js";
import { Scenario } from "./scenario-schema.js";

/** A scenario that does not follow the format: the message names each bad field, value and what is allowed. */
export class ScenarioError extends Error {
  override readonly name = "ScenarioError";
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source}: invalid scenario\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/** Validates a parsed scenario object; throws ScenarioError. */
export function parseScenario(raw: unknown, source = "scenario"): Scenario {
  const parsed = Scenario.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new ScenarioError(source, describeScenarioIssues(parsed.error.issues, raw));
}

/** Reads a YAML or JSON scenario file and validates it. */
export async function loadScenario(path: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new ScenarioError(path, [`cannot read file: ${(err as Error).message}`]);
  }
  const scenario = parseScenarioText(text, path);
  await checkFaultOperations(scenario, path);
  return scenario;
}

/** Rejects call faults naming an operation the service's API does not have (ScenarioError). */
export async function checkFaultOperations(scenario: Scenario, source = "scenario"): Promise<void> {
  const problems = await unknownFaultOperations(scenario.faults);
  if (problems.length > 0) throw new ScenarioError(source, problems);
}

export function parseScenarioText(text: string, source = "scenario"): Scenario {
  let raw: unknown;
  try {
    // YAML 1.2 core schema: JSON is valid YAML, and timestamps stay strings.
    raw = parseYaml(text, { prettyErrors: true, uniqueKeys: true });
  } catch (err) {
    throw new ScenarioError(source, [`not valid YAML/JSON: ${(err as Error).message}`]);
  }
  return parseScenario(raw, source);
}
