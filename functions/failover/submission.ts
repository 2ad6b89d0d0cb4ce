/**
 * runs/<run>/dns.json: the DNS change this run submitted. Written before the UPSERT (where the
 * record pointed) and after it (the change id), so that a rerun of Failover (a Task retry after a
 * timeout, or a RedriveExecution) neither submits the change again nor reports the DR target as
 * the record's previous value.
 */
import * as z from "zod";
import type { ArtifactStore } from "../shared/artifacts.js";
import type { RunContext } from "../shared/types.js";

export const DnsSubmission = z.object({
  record: z.string(),
  from: z.string().nullable(),
  to: z.string(),
  submittedAt: z.string(),
  /** Set once Route 53 accepted the change. */
  changeId: z.string().optional(),
});
export type DnsSubmission = z.infer<typeof DnsSubmission>;

const keyOf = (run: Pick<RunContext, "artifactsPrefix">): string => `${run.artifactsPrefix}dns.json`;

export const findSubmission = (store: ArtifactStore, run: RunContext): Promise<DnsSubmission | undefined> =>
  store.findJson(keyOf(run), DnsSubmission);

export const saveSubmission = (
  store: ArtifactStore,
  run: RunContext,
  submission: DnsSubmission,
): Promise<void> => store.putJson(keyOf(run), submission);
