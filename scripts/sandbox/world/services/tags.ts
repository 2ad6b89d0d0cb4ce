/** Tags as the services' APIs list them (`[{ Key, Value }]`) and as the world keeps them. */
import type { Tags } from "../model.js";

export const toTagList = (tags: Tags) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

export function fromTagList(v: unknown): Tags {
  const out: Tags = {};
  if (Array.isArray(v)) {
    for (const t of v as { Key?: unknown; Value?: unknown }[]) {
      if (typeof t?.Key === "string") out[t.Key] = typeof t.Value === "string" ? t.Value : "";
    }
  }
  return out;
}
