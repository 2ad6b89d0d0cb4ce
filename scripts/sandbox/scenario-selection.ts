/**
 * A scenario's `selection`: drctl's config selects by these tags, so the resources whose tags
 * include them all are not in its resource list (configFromScenario) and drctl finds them in the
 * vault by their copies' tags.
 */
import type { ScenarioResource } from "./scenario-fields.js";

export function selectedByTags(
  s: { selection?: { tags: Record<string, string> } | undefined },
  r: Pick<ScenarioResource, "tags">,
): boolean {
  const wanted = s.selection?.tags;
  return wanted !== undefined && Object.entries(wanted).every(([k, v]) => r.tags[k] === v);
}
