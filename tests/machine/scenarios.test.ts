import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseScenarioText } from "../../scripts/sandbox/scenario.js";
import { runScenario } from "./support.js";

const files = readdirSync("scenarios").filter(
  (f) => /\.(ya?ml|json)$/.test(f) && !f.endsWith(".schema.json"),
);

describe("every example scenario gives the outcome its expect names", () => {
  it("has examples", () => {
    expect(files.length).toBeGreaterThan(0);
  });
  for (const file of files) {
    it(file, async () => {
      const scenario = parseScenarioText(readFileSync(`scenarios/${file}`, "utf8"), file);
      const run = await runScenario(`scenarios/${file}`);
      expect(run.report.expect?.failures ?? []).toEqual([]);
      expect(run.report.outcome).toBe(scenario.expect?.outcome ?? "SUCCEEDED");
      expect(run.exitCode).toBe(0);
    });
  }
});
