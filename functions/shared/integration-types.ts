/** The integration's state ($.alongside, then $.recovery.integration) and its document (integration.json). */
import * as z from "zod";

/** $.recovery.integration: integrate. Per-resource results are at `integrationKey`. */
export const IntegrationProgress = z.object({
  integrationKey: z.string(),
  total: z.number().int(),
  done: z.number().int(),
  pending: z.number().int(),
  allDone: z.boolean(),
  waitSeconds: z.number().int().min(1),
  completedAt: z.string().optional(),
  /** Alongside the restores: COMPLETED restore jobs seen, and resources with AWS work in flight. */
  restoresSeen: z.number().int().optional(),
  active: z.number().int().optional(),
  /** When the work in flight wants its next look (alongside, with `active`; PollRestores keeps to it). */
  dueAt: z.string().optional(),
  /** Alongside: when this run of it started (the next run started by new completions waits its spacing). */
  ranAt: z.string().optional(),
  /** The integration document's ETag as of this result (ArtifactStore.findJsonAt). */
  version: z.string().optional(),
});
export type IntegrationProgress = z.infer<typeof IntegrationProgress>;
export const IntegrationRecord = z.object({
  name: z.string(),
  status: z.enum(["PENDING", "IN_PROGRESS", "DONE"]),
  restoredArn: z.string().optional(),
  /** What was written/attached/mounted, for the report and for cleanup. */
  actions: z.array(z.string()).default([]),
  parameters: z.array(z.string()).default([]),
  /** Run Command ids of the mount, one per 50 instances of instanceIds, in order. */
  commandIds: z.array(z.string()).optional(),
  /** Instances the resource was attached to / mounted on (the commands' targets). */
  instanceIds: z.array(z.string()).optional(),
  /** When integration of this resource began (its dependencies were DONE), or resumed after waitingForStack. */
  startedAt: z.string().optional(),
  /** Integration alongside the restores stopped at an action on the DR stack's instances. */
  waitingForStack: z.boolean().optional(),
  /** While IN_PROGRESS: not looked at again (no AWS call) before this time. */
  checkAfter: z.string().optional(),
  /** While IN_PROGRESS: when it was last looked at. */
  lookedAt: z.string().optional(),
  /** When Integrate last tagged the resource (tags take a moment to count in IAM conditions). */
  taggedAt: z.string().optional(),
  integratedAt: z.string().optional(),
});
export type IntegrationRecord = z.infer<typeof IntegrationRecord>;
export const IntegrationDocument = z.object({
  run: z.string(),
  resources: z.array(IntegrationRecord),
  /** The DR subnets' availability zones, described once per run (a subnet's zone never changes). */
  subnets: z.array(z.object({ id: z.string(), vpcId: z.string(), availabilityZone: z.string() })).optional(),
});
export type IntegrationDocument = z.infer<typeof IntegrationDocument>;
