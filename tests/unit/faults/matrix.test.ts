/** The fault matrix's cells and judgement (scripts/faults/): what each cell must end in. */

import { isThrottlingError } from "@smithy/core/retry";
import { describe, expect, it } from "vitest";
import { buildCells, type Cell, faultFor, THROTTLE_CODES } from "../../../scripts/faults/cells.js";
import { type CellResult, judge } from "../../../scripts/faults/expect.js";

const clean: CellResult = {
  id: "x",
  status: "FAILED",
  error: "AwsCallFailed",
  reportWritten: true,
  cleanupReported: true,
  reported: [],
  leftovers: [],
  lockHeld: false,
  notifiedFailure: true,
  fired: 3,
  wallSeconds: 1,
};
const cell = (step: Cell["step"], call: string, kind: Cell["kind"]): Cell => ({
  id: `${step}/${call}/${kind}`,
  step,
  call,
  kind,
  mode: step === "failover" || step === "detect" ? "failover" : "drill",
  fault: faultFor(step, call, kind),
});

describe("fault matrix cells", () => {
  it("puts the three faults on each step's main call (first state-changing call outside S3) and a permanent error on each describe/list/delete call", () => {
    // Act
    const cells = buildCells({
      drill: {
        cleanup: [
          "s3:GetObject",
          "ec2:DescribeVolumes",
          "dynamodb:ListTagsOfResource",
          "ec2:DeleteVolume",
          "s3:PutObject",
        ],
      },
      failover: { failover: ["s3:GetObject", "route53:ChangeResourceRecordSets"] },
    });
    // Assess
    expect(cells.map((c) => c.id)).toEqual([
      "failover/route53:ChangeResourceRecordSets/throttle",
      "failover/route53:ChangeResourceRecordSets/permanent",
      "failover/route53:ChangeResourceRecordSets/timeout",
      "cleanup/dynamodb:ListTagsOfResource/permanent",
      "cleanup/ec2:DeleteVolume/throttle",
      "cleanup/ec2:DeleteVolume/permanent",
      "cleanup/ec2:DeleteVolume/timeout",
      "cleanup/ec2:DescribeVolumes/permanent",
    ]);
    expect(cells[7]?.fault).toEqual({
      call: "ec2:DescribeVolumes",
      step: "cleanup",
      error: "UnauthorizedOperation",
      times: 1_000_000,
    });
    expect(cells[6]?.fault).toMatchObject({ hang: true, step: "cleanup" });
  });

  it("uses throttling codes the SDK retries as throttling", () => {
    for (const code of Object.values(THROTTLE_CODES)) {
      expect(isThrottlingError({ name: code, $metadata: {} } as never), code).toBe(true);
    }
  });
});

describe("fault matrix judgement", () => {
  it("accepts a clean failure and names everything a dirty one got wrong", () => {
    // Act
    const ok = judge(cell("integrate", "ec2:DescribeVolumes", "permanent"), clean);
    const dirty = judge(cell("integrate", "ec2:DescribeVolumes", "permanent"), {
      ...clean,
      error: "States.Runtime",
      lockHeld: true,
      cleanupReported: false,
      leftovers: ["arn:aws:ec2:us-west-2:111122223333:volume/vol-1"],
      notifiedFailure: false,
    });
    const throttled = judge(cell("integrate", "ec2:DescribeVolumes", "throttle"), clean);
    // Assess
    expect(ok).toEqual([]);
    expect(dirty).toEqual([
      "lock still held",
      "unnamed error States.Runtime",
      "no failure notification",
      "report.cleanup empty",
      "1 leftovers",
    ]);
    expect(throttled).toEqual(["expected SUCCEEDED after retries, got FAILED AwsCallFailed"]);
  });

  it("on cleanup's own calls: leftovers must be listed and end CleanupIncomplete", () => {
    // Act
    const { error: _none, ...succeeded } = clean;
    const lying = judge(cell("cleanup", "ec2:DetachVolume", "permanent"), {
      ...succeeded,
      status: "SUCCEEDED",
      leftovers: ["vol", "fs"],
      reported: [],
    });
    const honest = judge(cell("cleanup", "ec2:DetachVolume", "permanent"), {
      ...clean,
      error: "CleanupIncomplete",
      leftovers: ["vol"],
      reported: ["vol"],
    });
    // Assess
    expect(lying).toEqual([
      "2 leftovers the report does not name: vol, fs",
      "expected CleanupIncomplete, got SUCCEEDED",
    ]);
    expect(honest).toEqual([]);
  });

  it("a refused lock release leaves a stale lock; a lost success notification keeps the outcome", () => {
    // Act
    const { error: _none, ...succeeded } = clean;
    const releaseRefused = judge(cell("writeReport", "ssm:DeleteParameter", "permanent"), {
      ...clean,
      error: "AwsCallFailed",
      lockHeld: true,
    });
    const otherHeld = judge(cell("writeReport", "s3:GetObject", "permanent"), {
      ...clean,
      error: "AwsCallFailed",
      lockHeld: true,
    });
    const notifyLost = judge(cell("notify", "sns:Publish", "permanent"), {
      ...succeeded,
      status: "SUCCEEDED",
    });
    // Assess
    expect(releaseRefused).toEqual([]);
    expect(otherHeld).toEqual(["lock still held"]);
    expect(notifyLost).toEqual([]);
  });
});
