import { describe, expect, it } from "vitest";
import { RESOURCE_TYPES } from "../../../functions/shared/config.js";
import {
  formatDuration,
  type Report,
  renderHtml,
  renderMarkdown,
} from "../../../functions/shared/report/index.js";
import { iso } from "../../support/fixtures-report.js";
import { drillReport, generatedResource, reportWith } from "../../support/fixtures-timeline.js";

/** Resource names of the restore bars of the SVG, top to bottom. */
const drawnRestores = (html: string): string[] =>
  [...html.matchAll(/<title>restore ([a-z0-9-]+)[ :]/g)].map((m) => m[1] ?? "");
const svgOf = (html: string): string => html.slice(html.indexOf("<svg"), html.indexOf("</svg>"));
const tableOf = (html: string, cls: string): string => {
  const from = html.indexOf(`<table class="${cls}">`);
  return from < 0 ? "" : html.slice(from, html.indexOf("</table>", from));
};

describe("timeline: restores grouped by type, by end time", () => {
  it("draws the restores of each type together, types in order, each group sorted by end time", async () => {
    // Prepare: 12 resources of every type, in reverse input order.
    const report = await reportWith(12);
    report.resources.reverse();
    const expected = RESOURCE_TYPES.flatMap((type) =>
      report.resources
        .filter((r) => r.type === type)
        .sort((a, b) => Date.parse(a.restoreCompletedAt ?? "") - Date.parse(b.restoreCompletedAt ?? ""))
        .map((r) => r.name),
    );
    // Act
    const html = renderHtml(report);
    const md = renderMarkdown(report);
    // Assess
    expect(drawnRestores(svgOf(html))).toEqual(expected);
    for (const type of RESOURCE_TYPES) expect(svgOf(html)).toContain(`Restores: ${type} (2)`);
    expect(md).toContain("  section Restores rds");
    const gantt = md.slice(
      md.indexOf("section Restores rds"),
      md.indexOf("```", md.indexOf("section Phases")),
    );
    expect(gantt.indexOf("rds-0006 :")).toBeGreaterThan(gantt.indexOf("rds-0000 :")); // ends later
    expect(gantt.indexOf("section Restores aurora")).toBeGreaterThan(gantt.indexOf("rds-0006 :"));
  });
});

describe("timeline: the critical path", () => {
  it("is drawn as its own lane, outlined and marked ◆ where it appears, and listed in order", async () => {
    // Act
    const report = await drillReport();
    const html = renderHtml(report);
    const md = renderMarkdown(report);
    // Assess
    const svg = svgOf(html);
    expect(svg).toContain("Critical path (6 steps)");
    expect(svg.match(/<rect class="bar path critical"/g)?.length).toBe(6);
    expect(svg).toMatch(
      /<rect class="bar restore critical"[^>]*stroke-width="2.5"[^>]*><title>restore orders-db/,
    );
    expect(svg).toContain(">◆ orders-db</text>");
    expect(svg).toContain(">◇ shared-files</text>"); // its integration, not its restore, is on the path
    expect(svg).not.toMatch(/>[◆◇] web-data<\/text>/);
    const path = tableOf(html, "path");
    const steps = ["lock", "plan", "orders-db", "orders-db", "shared-files", "validate"];
    expect(
      [...path.matchAll(/<tr><td class="num">\d+<\/td><td>\w+<\/td><td>([^<]+)</g)].map((m) => m[1]),
    ).toEqual(steps);
    expect(md).toContain("## Critical path");
    expect(md).toMatch(/ {2}◇ shared-files :t\d+, /);
    expect(md).toContain(`| 3 | restore | orders-db | ${iso(10)} | ${iso(2110)} | 35m 00s | 0s |`);
    expect(md).toContain(`| 4 | integration | orders-db | ${iso(2116)} | ${iso(2120)} | 4s | 6s |`);
    const table = tableOf(html, "resources");
    expect(table).toMatch(
      /<td>orders-db<\/td>.*◆ restore on the critical path; ◆ integration on the critical path/,
    );
    expect(table).toMatch(
      /<td>shared-files<\/td><td>efs<\/td><td[^>]*>COMPLETED<\/td><td>◆ integration on the critical path<\/td>/,
    );
    expect(table).toMatch(/<td>web-data<\/td><td>ebs<\/td><td[^>]*>COMPLETED<\/td><td>–<\/td>/);
  });
});

describe("timeline: failures", () => {
  it("marks failed and aborted restores and unintegrated resources in text, not by colour alone", async () => {
    // Prepare: the run failed in Integrate; one restore FAILED, one ABORTED, one never integrated.
    const base = await reportWith(6);
    const report: Report = {
      ...base,
      outcome: "FAILED",
      failedStep: "Integrate",
      phases: base.phases.map((p) => (p.name === "integrate" ? { ...p, status: "FAILED" } : p)),
      resources: base.resources.map((r, i) =>
        i === 0
          ? { ...r, status: "FAILED", integratedAt: null, restoredArn: null }
          : i === 1
            ? { ...r, status: "ABORTED", integratedAt: null, restoredArn: null }
            : i === 2
              ? { ...r, integratedAt: null }
              : r,
      ),
    };
    // Act
    const html = renderHtml(report);
    const md = renderMarkdown(report);
    // Assess
    const svg = svgOf(html);
    expect(svg.match(/<rect class="bar restore[^"]* failed"[^>]*stroke-dasharray/g)?.length).toBe(3);
    expect(svg).toContain(">✗ rds-0000</text>");
    expect(svg).toContain("✗ restore FAILED</text>");
    expect(svg).toContain("✗ restore ABORTED</text>");
    expect(svg).toContain("✗ not integrated</text>");
    expect(svg).not.toContain(">✗ efs-0004</text>");
    const table = tableOf(html, "resources");
    expect(table.match(/<tr class="failed">/g)?.length).toBe(3);
    expect(table).toContain("✗ FAILED");
    expect(table).toContain("✗ not integrated");
    expect(md).toContain("| ✗ FAILED (restore FAILED) |");
    expect(md).toContain("| ✗ COMPLETED (not integrated) |");
  });
});

describe("timeline: above 40 restores", () => {
  const slowest = (report: Report, n: number): string[] =>
    [...report.resources]
      .sort((a, b) => (b.restoreSeconds ?? 0) - (a.restoreSeconds ?? 0) || a.name.localeCompare(b.name))
      .slice(0, n)
      .map((r) => r.name);

  it("draws the slowest 20, every failure and every critical-path restore, and summarizes the rest", async () => {
    // Prepare: 300 resources; one fast restore FAILED, another fast one on the critical path.
    const failed = generatedResource(1).name;
    const critical = generatedResource(0).name;
    const base = await reportWith(300, (r) => (r.name === failed ? { ...r, status: "FAILED" } : r));
    const report: Report = {
      ...base,
      criticalPath: [{ kind: "restore", name: critical, start: iso(10), end: iso(610) }],
    };
    // Act
    const html = renderHtml(report);
    const md = renderMarkdown(report);
    // Assess
    const drawn = drawnRestores(svgOf(html));
    expect(new Set(drawn)).toEqual(new Set([...slowest(report, 20), failed, critical]));
    expect(drawn).toHaveLength(22);
    // Per type: the ones not drawn, with their count and min/median/max duration.
    const hidden = tableOf(html, "hidden-restores");
    const rds = report.resources.filter((r) => r.type === "rds" && !drawn.includes(r.name));
    const secs = rds.map((r) => r.restoreSeconds ?? 0).sort((a, b) => a - b);
    const at = (i: number) => secs[i] ?? Number.NaN;
    const mid = Math.floor(secs.length / 2);
    const median = secs.length % 2 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
    const drawnRds = 50 - rds.length;
    expect(hidden).toContain(`<tr><td>rds</td><td class="num">50</td><td class="num">${drawnRds}</td>`);
    expect(hidden).toContain(`<td class="num">${rds.length}</td>`);
    const fmt = formatDuration;
    expect(hidden).toContain(`min ${fmt(at(0))}, median ${fmt(median)}, max ${fmt(at(secs.length - 1))}`);
    expect(svgOf(html)).toContain(`Restores: rds (${drawnRds} of 50 drawn; ${rds.length} more: min`);
    // The full table still has every resource.
    const table = tableOf(html, "resources");
    expect(table.match(/<tr[ >]/g)?.length).toBe(1 + 300);
    for (const r of report.resources) expect(table).toContain(`<td>${r.name}</td>`);
    expect(md).toContain("The timeline draws the 20 slowest restores");
    expect(
      md.slice(md.indexOf("```mermaid"), md.lastIndexOf("```")).match(/ :(crit, |active, )?t\d+,/g)?.length,
    ).toBe(1 + report.phases.length + 22);
  });

  it("draws every restore up to 40", async () => {
    // Act
    const html = renderHtml(await reportWith(40));
    // Assess
    expect(drawnRestores(svgOf(html))).toHaveLength(40);
    expect(tableOf(html, "hidden-restores")).toBe("");
  });

  it("stays bounded at 1,000 resources: the drawing does not grow, the full table grows by one row each", async () => {
    // Act
    const html = renderHtml(await reportWith(1000));
    // Assess
    expect(drawnRestores(svgOf(html))).toHaveLength(20);
    expect(svgOf(html).length).toBeLessThan(30_000);
    expect(Buffer.byteLength(html)).toBeLessThan(1000 * 600);
  });
});
