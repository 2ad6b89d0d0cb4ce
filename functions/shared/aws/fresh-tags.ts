/**
 * Tags drctl just wrote. Tagging is eventually consistent ("The application or removal of tags
 * using TagResource and UntagResource APIs is eventually consistent", DynamoDB TagResource; the
 * Amazon EC2 API eventual consistency page), so an IAM condition on aws:ResourceTag may not see a
 * tag for a few seconds. An access-denied answer to a call that names a resource drctl tagged less
 * than TAG_EFFECT_WINDOW_SECONDS ago is therefore retried: callAws turns it into AwsTransient,
 * which every Task retries (5, 10, 20, 40 s), instead of a final AwsCallFailed. Once the window is
 * over, the same answer is final and names the real reason.
 *
 * The tagging wrappers note what they tag; a step that acts on resources another step tagged (cleanup
 * after a failed integrate) notes them from that step's record. The notes are per container (memoClient).
 */
import { now } from "../clock.js";
import { memoClient } from "./clients.js";

/** How long after a tag an access-denied answer is taken for the tag not being effective yet. */
export const TAG_EFFECT_WINDOW_SECONDS = 60;

/** Error codes of a request IAM refused, per service (AccessDenied*, EC2, SNS). */
const ACCESS_DENIED_CODES = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "UnauthorizedOperation",
  "AuthorizationError",
]);

export const isAccessDeniedCode = (code: string): boolean => ACCESS_DENIED_CODES.has(code);

const notes = () => memoClient("drctl:fresh-tags", () => new Map<string, number>());

/** Records that drctl tagged these resources (ids or ARNs) at `at`. */
export function noteTagged(resources: readonly string[], at: Date = now()): void {
  const map = notes();
  for (const r of resources) {
    // An ARN is also named by its id in other calls (rds: db:<id>, ec2: volume/<id>, …).
    for (const key of new Set([r, r.split(/[:/]/).pop() ?? r])) {
      if (key.length >= 4 && (map.get(key) ?? Number.NEGATIVE_INFINITY) < at.getTime())
        map.set(key, at.getTime());
    }
  }
}

/** The resource named in `text` that drctl tagged within the window, and how long ago (seconds). */
export function freshlyTagged(
  text: string,
  at: Date = now(),
): { resource: string; seconds: number } | undefined {
  let found: { resource: string; seconds: number } | undefined;
  for (const [resource, taggedAt] of notes()) {
    const seconds = (at.getTime() - taggedAt) / 1000;
    if (seconds < 0 || seconds > TAG_EFFECT_WINDOW_SECONDS || !text.includes(resource)) continue;
    if (!found || seconds < found.seconds) found = { resource, seconds };
  }
  return found;
}
