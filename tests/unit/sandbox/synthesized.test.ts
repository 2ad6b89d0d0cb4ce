import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppConfig } from "../../../functions/shared/config.js";
import { deploymentNames, sandboxConfig } from "../../../scripts/sandbox/deploy.js";
import {
  synthesisKey,
  synthesize,
  synthesized,
  synthesizeInWorker,
} from "../../../scripts/sandbox/iam/synthesized.js";
import { loadScenario } from "../../../scripts/sandbox/scenario.js";

let dir: string;
let previous: string | undefined;
let config: AppConfig;
let names: ReturnType<typeof deploymentNames>;

beforeAll(async () => {
  previous = process.env.DRCTL_SYNTH_CACHE;
  dir = mkdtempSync(join(tmpdir(), "drctl-synth-test-"));
  process.env.DRCTL_SYNTH_CACHE = dir;
  const scenario = await loadScenario("scenarios/shop-drill.yaml");
  config = AppConfig.parse(sandboxConfig(scenario));
  names = deploymentNames(scenario);
});
afterAll(() => {
  if (previous === undefined) delete process.env.DRCTL_SYNTH_CACHE;
  else process.env.DRCTL_SYNTH_CACHE = previous;
  rmSync(dir, { recursive: true, force: true });
});

describe("the synthesized roles and rules, cached on disk by a hash of their inputs", () => {
  it("a miss synthesizes and writes the entry; a hit returns exactly what a synthesis gives", async () => {
    const fresh = await synthesize(config, names);
    const first = await synthesized(config, names);
    expect(first).toEqual(fresh);
    const file = join(dir, `${synthesisKey(config, names)}.json`);
    expect(readdirSync(dir)).toEqual([`${synthesisKey(config, names)}.json`]);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(fresh);
    // The entry is what a hit returns: change it (still well-formed) and the hit shows the change.
    const marked = { ...fresh, rules: [] };
    writeFileSync(file, JSON.stringify(marked));
    expect(await synthesized(config, names)).toEqual(marked);
  });

  it("a miss synthesizes in a worker thread (aws-cdk-lib released with it): the same roles and rules", async () => {
    expect(await synthesizeInWorker(config, names)).toEqual(await synthesize(config, names));
  });

  it("another config or other physical names are another key (never the other entry)", () => {
    const key = synthesisKey(config, names);
    expect(synthesisKey(AppConfig.parse({ ...config, app: "other" }), names)).not.toBe(key);
    expect(synthesisKey(config, { ...names, bucket: "another-bucket" })).not.toBe(key);
    expect(synthesisKey(config, names)).toBe(key);
  });

  it("a malformed or truncated entry is rebuilt", async () => {
    const file = join(dir, `${synthesisKey(config, names)}.json`);
    writeFileSync(file, '{"roles": {"validateInput": {');
    expect(await synthesized(config, names)).toEqual(await synthesize(config, names));
    writeFileSync(file, JSON.stringify({ roles: {}, rules: [] }));
    expect(await synthesized(config, names)).toEqual(await synthesize(config, names));
  });
});
