/**
 * docs/scenario-format.md and docs/report-format.md stay true to the zod schemas the code validates
 * with: their field tables name exactly the schema's fields (none missing, none extra), each with a
 * meaning, their generated text is what scripts/gen-format-docs.ts writes today, and every example
 * on the pages parses with the schema.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Report } from "../../../functions/shared/report/model.js";
import { fieldTables, pathsIn, renderTables } from "../../../scripts/format-docs/fields.js";
import { blockOf, FORMAT_DOCS, type FormatDoc, regenerate } from "../../../scripts/gen-format-docs.js";
import { parseScenarioText } from "../../../scripts/sandbox/scenario.js";

const docNamed = (name: string): FormatDoc => {
  const doc = FORMAT_DOCS.find((d) => d.path.endsWith(name));
  if (!doc) throw new Error(`no format document ${name}`);
  return doc;
};

/** The fenced blocks of one language on a page. */
function fenced(text: string, lang: string): string[] {
  return [...text.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, "g"))].map((m) => m[1] ?? "");
}

/** JSON with `//` comments: the comments dropped (outside strings), then parsed. */
function parseJsonc(text: string): unknown {
  const lines = text.split("\n").map((line) => {
    let inString = false;
    for (let i = 0; i < line.length; i++) {
      if (line[i] === '"' && line[i - 1] !== "\\") inString = !inString;
      if (!inString && line.startsWith("//", i)) return line.slice(0, i);
    }
    return line;
  });
  return JSON.parse(lines.join("\n"));
}

/** The fields the schema has, as the tables name them (title → path). */
const schemaPaths = (doc: FormatDoc) =>
  pathsIn(renderTables(fieldTables(doc.schema(), doc.title, new Map())));

describe.each(FORMAT_DOCS.map((d) => [d.path.split("/").pop() ?? d.path, d] as const))("%s", (_name, doc) => {
  const text = readFileSync(doc.path, "utf8");

  it("names every field of the schema, and no field the schema lacks", () => {
    // Prepare
    const inSchema = new Set(schemaPaths(doc));
    // Act
    const inDoc = new Set(pathsIn(blockOf(text, doc.path)));
    // Assess
    expect({
      missingFromDoc: [...inSchema].filter((p) => !inDoc.has(p)),
      notInSchema: [...inDoc].filter((p) => !inSchema.has(p)),
    }).toEqual({ missingFromDoc: [], notInSchema: [] });
  });

  it("gives every field a meaning, and is what scripts/gen-format-docs.ts writes", () => {
    // Act
    const fresh = regenerate(doc, text);
    // Assess
    expect(fresh.undocumented).toEqual([]);
    expect(fresh.text, "run npx tsx scripts/gen-format-docs.ts").toBe(text);
  });

  it("fails the check when a row is dropped or a field the schema lacks is added", () => {
    // Prepare
    const block = blockOf(text, doc.path);
    const firstRow = block.split("\n").find((l) => l.startsWith("| `")) ?? "";
    const dropped = text.replace(`${firstRow}\n`, "");
    const added = text.replace(firstRow, `${firstRow}\n| \`notAField\` | string | no | invented |`);
    // Act
    const afterDrop = regenerate(doc, dropped);
    const afterAdd = regenerate(doc, added);
    // Assess: regeneration restores the document, so the drifted texts differ from what it writes
    expect(afterDrop.undocumented.length).toBeGreaterThan(0);
    expect(afterDrop.text).not.toBe(dropped);
    expect(afterAdd.text).not.toBe(added);
    expect(pathsIn(blockOf(added, doc.path))).toContain(`${doc.title} → notAField`);
  });
});

describe("examples on the format pages", () => {
  it("parses every YAML example of docs/scenario-format.md as a scenario", () => {
    // Prepare
    const examples = fenced(readFileSync(docNamed("scenario-format.md").path, "utf8"), "yaml");
    // Act
    const names = examples.map(
      (yaml, i) => parseScenarioText(yaml, `docs/scenario-format.md example ${i + 1}`).name,
    );
    // Assess
    expect(names).toEqual(["shop-quarterly-drill", "shop-alarm-failover"]);
  });

  it("parses the report examples of docs/report-format.md with the Report schema", () => {
    // Prepare
    const [full, parts] = fenced(readFileSync(docNamed("report-format.md").path, "utf8"), "jsonc");
    // Act
    const report = Report.parse(parseJsonc(full ?? ""));
    const extra = Report.pick({ approval: true, redrives: true }).parse(parseJsonc(parts ?? ""));
    // Assess
    expect(report.cleanup?.status).toBe("COMPLETE");
    expect(report.criticalPath?.map((c) => c.kind)).toContain("restore");
    expect(extra.approval?.decision).toBe("approved");
    expect(extra.redrives).toHaveLength(1);
  });
});
