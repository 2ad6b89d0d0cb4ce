/**
 * Scenario fields for automatic failovers (docs/design.md, "Approval"): what starts the run
 * (`trigger`) and `approval`, the app's approval configuration (AppConfig.approval) plus the
 * person who answers the approval request in the play: approve or reject after some simulated
 * minutes, or never answer (the window decides).
 */
import { z } from "zod";
import { MAX_APPROVAL_MINUTES } from "../../functions/shared/config.js";
import { TRIGGERS } from "../../functions/shared/types.js";

export const ScenarioTrigger = z
  .enum(TRIGGERS)
  .default("manual")
  .describe("what starts the run: alarm and health failovers wait for an approval");

export const ScenarioApprover = z
  .object({
    action: z.enum(["approve", "reject", "none"]),
    afterMinutes: z
      .number()
      .min(0, "allowed: >= 0")
      .max(MAX_APPROVAL_MINUTES * 2)
      .default(5),
    by: z.string().min(1).max(256).default("on-call"),
    reason: z.string().max(1024).optional(),
  })
  .strict();
export type ScenarioApprover = z.infer<typeof ScenarioApprover>;

export const ScenarioApproval = z
  .object({
    mode: z.enum(["wait", "proceed-after"]).default("wait"),
    windowMinutes: z
      .number()
      .int("allowed: a whole number of minutes")
      .min(1, "allowed: >= 1")
      .max(MAX_APPROVAL_MINUTES, `allowed: <= ${MAX_APPROVAL_MINUTES}`)
      .default(60),
    approver: ScenarioApprover.default({ action: "none", afterMinutes: 5, by: "on-call" }).describe(
      "who answers the approval request, and when (simulated minutes after it was sent)",
    ),
  })
  .strict();
export type ScenarioApproval = z.infer<typeof ScenarioApproval>;
