/** The drctl command line as a user runs it: `node bin/drctl.js drill --local …` in a child process. */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

function drctl(args: string[]) {
  const res = spawnSync(process.execPath, [join(ROOT, "bin/drctl.js"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 90_000,
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: "SILENT" },
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

describe("drctl drill --local (child process)", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "drctl-cli-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("runs the default drill: progress, summary, three report files, exit 0", async () => {
    // Prepare
    const out = join(dir, "default");
    // Act
    const res = drctl(["drill", "--local", "--out", out]);
    // Assess
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/\[T\+\d\d:\d\d:\d\d\] restore/);
    expect(res.stdout).toMatch(/^SUCCEEDED$/m);
    expect(res.stdout).toMatch(/expect: held/);
    for (const f of ["report.json", "report.md", "report.html"]) expect(existsSync(join(out, f))).toBe(true);
    const report = JSON.parse(await readFile(join(out, "report.json"), "utf8"));
    expect(report.execution.name).toMatch(/^drill-shop-20260301T090000Z-[0-9a-f]{6}$/);
    expect(report.cleanup.leftovers).toEqual([]);
    expect(report.dns.changed).toBe(false);
  });

  it("--no-iam runs the drill without IAM enforcement and says so", async () => {
    const res = drctl(["drill", "--local", "--no-iam", "--out", join(dir, "no-iam")]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/execution drill-shop-20260301T090000Z-[0-9a-f]{8} · IAM off$/m);
    expect(res.stdout).toMatch(/expect: held/);
  });

  it("exits 1 when the outcome differs from the scenario's expect", async () => {
    // Prepare: the shop drill succeeds, but this copy expects a failure.
    const text = await readFile(join(ROOT, "scenarios/shop-drill.yaml"), "utf8");
    const path = join(dir, "wrong-expect.yaml");
    await writeFile(path, text.replace("expect: { outcome: SUCCEEDED", "expect: { outcome: FAILED"));
    // Act
    const res = drctl(["drill", "--local", "--scenario", path, "--out", join(dir, "wrong"), "--quiet"]);
    // Assess
    expect(res.code).toBe(1);
  });

  it("exits 2 on a bad scenario, naming the field, the value and what is allowed", async () => {
    // Prepare
    const text = await readFile(join(ROOT, "scenarios/shop-drill.yaml"), "utf8");
    const path = join(dir, "bad.yaml");
    await writeFile(path, text.replace("type: dynamodb", "type: dynamo"));
    // Act
    const res = drctl(["drill", "--local", "--scenario", path, "--out", join(dir, "bad")]);
    // Assess
    expect(res.code).toBe(2);
    expect(`${res.stdout}${res.stderr}`).toMatch(
      /resources\.3\.type: got "dynamo", allowed: rds \| aurora \| ebs \| ec2 \| efs \| dynamodb/,
    );
    expect(existsSync(join(dir, "bad", "report.json"))).toBe(false);
  });

  it("exits 2 on an unknown command", () => {
    expect(drctl(["explode"]).code).toBe(2);
  });
});
