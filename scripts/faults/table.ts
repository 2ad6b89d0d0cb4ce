/** The fault matrix's tables (Markdown): steps × faults, and the permanent error on each call. */
import { FUNCTIONS } from "../../state-machines/names.js";
import { type Cell, FAULT_KINDS } from "./cells.js";
import type { CellResult } from "./expect.js";

export interface Judged {
  cell: Cell;
  result: CellResult;
  wrong: string[];
}

/** One cell: outcome (with the error), leftovers, lock; WRONG and why when not as expected. */
export function cellText(j: Judged): string {
  const r = j.result;
  if (r.status === "RUNNER_ERROR") return `WRONG: runner broke (${r.problem ?? "?"})`;
  const outcome = r.error ? `${r.status} ${r.error}` : r.status;
  const left = j.cell.mode === "failover" ? "kept (failover)" : `${r.leftovers.length} left`;
  const text = `${outcome} · ${left} · lock ${r.lockHeld ? "HELD" : "free"}`;
  return j.wrong.length === 0 ? `ok: ${text}` : `WRONG: ${text} (${j.wrong.join("; ")})`;
}

const row = (cells: string[]) => `| ${cells.map((c) => c.replaceAll("|", "/")).join(" | ")} |`;

/** Steps × faults, on each step's main call. */
export function stepTable(judged: readonly Judged[]): string {
  const lines = [row(["step (main call)", ...FAULT_KINDS]), row(["---", ...FAULT_KINDS.map(() => "---")])];
  for (const step of FUNCTIONS) {
    const mine = judged.filter((j) => j.cell.step === step);
    const first = mine.find((j) => j.cell.kind === "throttle")?.cell.call;
    if (!first) continue;
    const at = (kind: string) => mine.find((j) => j.cell.call === first && j.cell.kind === kind);
    lines.push(
      row([`${step} (${first})`, ...FAULT_KINDS.map((k) => (at(k) ? cellText(at(k) as Judged) : "not run"))]),
    );
  }
  return lines.join("\n");
}

/** A permanent error on each step's main call and on every describe, list, delete and detach call. */
export function callTable(judged: readonly Judged[]): string {
  const lines = [row(["step", "call", "permanent error"]), row(["---", "---", "---"])];
  for (const j of judged.filter((x) => x.cell.kind === "permanent")) {
    lines.push(row([j.cell.step, j.cell.call, cellText(j)]));
  }
  return lines.join("\n");
}
