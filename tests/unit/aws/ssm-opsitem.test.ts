/**
 * drctl's CreateOpsItem against the sandbox's OpsCenter (real SDK client over the wire): a retried
 * notify step sends the same /aws/dedup string; OpsCenter creates no second OpsItem and answers
 * OpsItemAlreadyExistsException naming the open one, which drctl reports as its OpsItem.
 */
import { SSMClient } from "@aws-sdk/client-ssm";
import { afterAll, describe, expect, it } from "vitest";
import { ssmApi } from "../../../functions/shared/aws/ssm.js";
import { closeWorlds, worldWire } from "../sandbox/world-wire.js";

afterAll(closeWorlds);

describe("ssmApi.createOpsItem with a dedup string", () => {
  it("returns the open OpsItem's id when OpsCenter deduplicates the request", async () => {
    // Prepare
    const w = await worldWire();
    const api = ssmApi(new SSMClient(w.config()));
    const input = {
      title: "drctl drill failed",
      description: "RestoreFailed",
      source: "drctl",
      severity: "3" as const,
      category: "Recovery" as const,
      operationalData: { "/aws/dedup": JSON.stringify({ dedupString: "drctl:run-1" }) },
    };
    // Act
    const first = await api.createOpsItem(input);
    const retried = await api.createOpsItem(input);
    // Assess
    expect(retried).toBe(first);
    expect(w.world.recovery.opsItems).toHaveLength(1);
  });
});
