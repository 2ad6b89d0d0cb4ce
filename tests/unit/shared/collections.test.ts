import { describe, expect, it } from "vitest";
import { mapLimit, topoOrder } from "../../../functions/shared/collections.js";
import { ConfigInvalid } from "../../../functions/shared/errors.js";

describe("mapLimit", () => {
  it("keeps order and never exceeds the limit", async () => {
    // Prepare
    let inFlight = 0;
    let peak = 0;
    const items = Array.from({ length: 25 }, (_, i) => i);
    // Act
    const out = await mapLimit(items, 4, async (i) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 1 + (i % 3)));
      inFlight--;
      return i * 2;
    });
    // Assess
    expect(out).toEqual(items.map((i) => i * 2));
    expect(peak).toBe(4);
  });

  it("throws the first error after every item was tried", async () => {
    const seen: number[] = [];
    await expect(
      mapLimit([1, 2, 3], 2, async (i) => {
        seen.push(i);
        if (i === 2) throw new Error("boom");
        return i;
      }),
    ).rejects.toThrow("boom");
    expect(seen.sort()).toEqual([1, 2, 3]);
  });
});

describe("topoOrder", () => {
  it("puts dependencies first and keeps input order otherwise", () => {
    const items = [
      { name: "app", dependsOn: ["db", "files"] },
      { name: "cache", dependsOn: [] },
      { name: "files", dependsOn: ["db"] },
      { name: "db", dependsOn: [] },
    ];
    expect(topoOrder(items).map((i) => i.name)).toEqual(["db", "files", "app", "cache"]);
  });

  it("rejects a cycle naming it", () => {
    const items = [
      { name: "a", dependsOn: ["b"] },
      { name: "b", dependsOn: ["c"] },
      { name: "c", dependsOn: ["a"] },
    ];
    expect(() => topoOrder(items)).toThrow(ConfigInvalid);
    expect(() => topoOrder(items)).toThrow(/a -> b -> c -> a/);
  });
});
