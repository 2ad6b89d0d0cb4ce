/**
 * docs/fidelity.md stays true: every row names a behaviour, a source and at least one test file
 * that exists, and every quoted test name it gives is in that file. A renamed or deleted test, or a
 * row added without its test, fails here.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const DOC = readFileSync(join(ROOT, "docs", "fidelity.md"), "utf8");

/** Every test source under tests/, by path relative to the repository and by base name. */
function testFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) testFiles(path, out);
    else if (/\.test(-d)?\.ts$/.test(entry.name)) out.push(relative(ROOT, path));
  }
  return out;
}
const FILES = testFiles(join(ROOT, "tests"));

interface Row {
  section: string;
  line: number;
  cells: string[];
}

/** The table rows of every section (header and separator rows excluded). */
function rows(): Row[] {
  const out: Row[] = [];
  let section = "";
  DOC.split("\n").forEach((text, i) => {
    if (text.startsWith("## ")) section = text.slice(3);
    if (!text.startsWith("| ") || text.startsWith("| Behaviour") || text.startsWith("| ---")) return;
    const cells = text
      .trim()
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((c) => c.trim());
    out.push({ section, line: i + 1, cells });
  });
  return out;
}

/** Test files a cell names (`world-limits.test.ts` or `tests/unit/sandbox/world-limits.test.ts`). */
function namedFiles(cell: string): string[] {
  return [...cell.matchAll(/([\w./-]+\.test(?:-d)?\.ts)/g)].map((m) => m[1] as string);
}

/** The test files a name can mean (a bare name may match one in several folders). */
function resolveFiles(name: string): string[] {
  return FILES.filter((f) => f === name || f.endsWith(`/${name}`));
}

/** Quoted test names after a file, up to the next file: "a name", "another …". */
function quotedAfter(cell: string, file: string): string[] {
  const start = cell.indexOf(file) + file.length;
  const rest = cell.slice(start);
  const next = rest.search(/[\w./-]+\.test(?:-d)?\.ts/);
  const segment = next >= 0 ? rest.slice(0, next) : rest;
  return [...segment.matchAll(/"([^"]+)"/g)].map((m) => m[1] as string);
}

/** The fixed parts of an abbreviated name ("runs … then done" → ["runs", "then done"]). */
const fragments = (name: string): string[] =>
  name
    .split(/…|\.\.\./)
    .map((f) => f.trim())
    .filter((f) => f.length >= 4);

describe("docs/fidelity.md", () => {
  const all = rows();

  it("has rows in every section that models behaviour", () => {
    const sections = new Set(all.map((r) => r.section));
    for (const heading of DOC.split("\n").filter((l) => l.startsWith("## "))) {
      const name = heading.slice(3);
      if (name.startsWith("Where the sandbox still differs")) continue;
      expect(sections.has(name), `section "${name}" has no rows`).toBe(true);
    }
  });

  it("every row has a behaviour, a source and a test file that exists", () => {
    const problems: string[] = [];
    for (const r of all) {
      const where = `line ${r.line} (${r.section})`;
      if (r.cells.length !== 3) {
        problems.push(`${where}: ${r.cells.length} cells, expected 3`);
        continue;
      }
      const [behaviour, source, test] = r.cells as [string, string, string];
      if (behaviour.length < 10) problems.push(`${where}: no behaviour`);
      if (source.length < 5) problems.push(`${where}: no source`);
      const files = namedFiles(test);
      if (files.length === 0) problems.push(`${where}: names no test file (${test.slice(0, 80)})`);
      for (const f of files) if (resolveFiles(f).length === 0) problems.push(`${where}: no test file ${f}`);
    }
    expect(problems).toEqual([]);
  });

  it("every quoted test name is in the file the row names", () => {
    const problems: string[] = [];
    for (const r of all) {
      const test = r.cells[2] ?? "";
      for (const f of namedFiles(test)) {
        const sources = resolveFiles(f).map((path) => readFileSync(join(ROOT, path), "utf8"));
        if (sources.length === 0) continue;
        for (const name of quotedAfter(test, f)) {
          for (const part of fragments(name)) {
            if (!sources.some((source) => source.includes(part))) {
              problems.push(`line ${r.line}: "${part}" is not in ${f}`);
            }
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
