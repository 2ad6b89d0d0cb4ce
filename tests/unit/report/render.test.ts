import { describe, expect, it } from "vitest";
import { type Report, renderHtml, renderMarkdown, verdict } from "../../../functions/shared/report/index.js";
import { drillReport } from "../../support/fixtures-timeline.js";

describe("renderMarkdown", () => {
  it("has the summary table, a Mermaid gantt of phases and restores, and the verdict", async () => {
    // Prepare
    const report = await drillReport();
    // Act
    const md = renderMarkdown(report);
    // Assess
    expect(md).toContain("**Verdict: ✅ SUCCEEDED. RTO met (37m 40s ≤ 240m), RPO met (25m 00s ≤ 60m).**");
    expect(md).toContain("| RTO | 37m 40s (objective 240m) |");
    expect(md).toContain("| History events | ");
    expect(md).toContain("| State transitions | ");
    expect(md).toContain("| Max payload | 9120 bytes |");
    expect(md).toContain("| Critical path (lower bound) | 37m 32s |");
    const gantt = md.slice(md.indexOf("```mermaid"), md.indexOf("```", md.indexOf("```mermaid") + 3));
    expect(gantt).toContain("gantt");
    expect(gantt).toContain("dateFormat YYYY-MM-DDTHH:mm:ss");
    expect(gantt).toContain("axisFormat %H:%M");
    expect(gantt).toContain("section Phases");
    expect(gantt).toMatch(/ {2}deploy :t\d+, 2026-03-01T09:00:03, 2026-03-01T09:09:03/);
    expect(gantt).toContain("section Restores");
    expect(gantt).toMatch(/ {2}◆ orders-db :t\d+, 2026-03-01T09:00:10, 2026-03-01T09:35:10/);
    expect(gantt).toMatch(/ {2}report :active, t\d+, /);
    expect(md).toContain("| orders-db | rds |");
    expect(md).toContain("was not changed (drills never touch it)");
    expect(md).toContain("Cleanup COMPLETE. Deleted 1; leftovers 0.");
  });

  it("says which objectives were missed and where the run failed, escaping table cells", async () => {
    // Prepare
    const report: Report = {
      ...(await drillReport()),
      outcome: "FAILED",
      failedStep: "Integrate",
      error: { name: "IntegrationFailed", cause: "web-data | attach refused" },
      rtoSeconds: null,
      rpoSeconds: 7200,
      cleanup: { deleted: [], leftovers: ["vol-1 | still attached"] },
    };
    // Act
    const md = renderMarkdown(report);
    // Assess
    expect(verdict(report)).toMatchObject({ rto: "not reached", rpo: "missed" });
    expect(md).toContain("RTO not reached");
    expect(md).toContain("RPO missed (2h 00m > 60m)");
    expect(md).toContain("Failed at **Integrate** with **IntegrationFailed**: web-data \\| attach refused");
    expect(md).toContain("- **leftover** `vol-1 \\| still attached`");
  });
});

describe("renderHtml", () => {
  it("is one self-contained page with an inline SVG timeline", async () => {
    // Act
    const html = renderHtml(await drillReport());
    // Assess
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).toContain("<style>");
    expect(html).toContain("<svg");
    expect(html.match(/<rect /g)?.length).toBe(6 + 7 + 3); // 6 critical-path steps, 7 phases, 3 restores
    expect(html).not.toMatch(/<script|<link|\ssrc=|\shref=|url\(/i);
    expect(html).toContain("RTO met (37m 40s ≤ 240m)");
  });

  it("escapes every text taken from the report", async () => {
    // Prepare
    const evil = `<img src=x onerror="alert(1)">&'`;
    const base = await drillReport();
    const report: Report = {
      ...base,
      outcome: "FAILED",
      failedStep: evil,
      error: { name: evil, cause: evil },
      resources: base.resources.map((r) => ({ ...r, name: evil, restoredArn: evil })),
      cleanup: { deleted: [evil], leftovers: [evil] },
    };
    // Act
    const html = renderHtml(report);
    // Assess
    expect(html).not.toContain("<img");
    expect(html).not.toContain('onerror="');
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;");
  });
});
