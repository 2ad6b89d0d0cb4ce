/**
 * Tag selection under IAM: planRestores reads the tags of each copy in the recovery region from the
 * service that owns it (EC2 DescribeSnapshots/DescribeImages, RDS ListTagsForResource, AWS Backup
 * ListTags); every one of those calls must be mapped to IAM and allowed by planRestores' role as
 * the CDK app synthesizes it, or a selection-based recovery fails on a real account.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyKind, copyTagsFor } from "../../../functions/shared/aws/copy-tags.js";
import { runAsFunction } from "../../../scripts/sandbox/iam/principals.js";
import {
  handlerEnvironment,
  type LocalSandbox,
  startLocalSandbox,
  useHandlerEnvironment,
} from "../../../scripts/sandbox/runner.js";
import { loadScenario } from "../../../scripts/sandbox/scenario.js";
import { EXAMPLES } from "./world-helpers.js";

let box: LocalSandbox;
let restoreEnv: () => void;

beforeAll(async () => {
  const scenario = await loadScenario(`${EXAMPLES}shop-drill.yaml`);
  box = await startLocalSandbox(scenario);
  restoreEnv = useHandlerEnvironment(handlerEnvironment(scenario, box.url));
});
afterAll(async () => {
  restoreEnv();
  await box.close();
});

describe("tag selection with IAM on", () => {
  it("planRestores reads the tags of every kind of copy (RDS snapshot, EBS snapshot, AWS Backup point)", async () => {
    // Prepare: the newest copy of each resource of the drill, one of each ARN form.
    const region = box.scenario.regions.recovery;
    const newest = new Map<string, string>();
    for (const rp of box.world.recovery.recoveryPoints) {
      if (!newest.has(rp.resource.name)) newest.set(rp.resource.name, rp.arn);
    }
    const arns = [...newest.values()];
    expect(new Set(arns.map(copyKind))).toEqual(new Set(["rds", "snapshot", "backup"]));

    // Act
    const tags = await runAsFunction("planRestores", () => copyTagsFor(region).tagsOf(arns));

    // Assess: every copy answered, with the source's tags.
    expect([...tags.keys()].sort()).toEqual([...arns].sort());
    for (const rp of box.world.recovery.recoveryPoints.filter((p) => arns.includes(p.arn))) {
      expect(tags.get(rp.arn)).toEqual(rp.tags);
    }
    expect(box.world.calls.filter((c) => c.error !== undefined)).toEqual([]);
  });
});
