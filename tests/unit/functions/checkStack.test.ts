import { DescribeStackEventsCommand, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { afterEach, describe, expect, it, vi } from "vitest";
import { checkStack } from "../../../functions/checkStack/checkStack.js";
import { handler } from "../../../functions/checkStack/handler.js";
import { localContext } from "../../../functions/shared/middleware.js";
import type { StackState } from "../../../functions/shared/types.js";
import { BUCKET, runContext } from "../../support/fixtures.js";
import { CFN_NOW, mockCloudFormation, STACK_ID, sdkStack } from "../../support/fixtures-stack.js";

describe("checkStack", () => {
  const state: StackState = {
    stackId: STACK_ID,
    status: "CREATE_IN_PROGRESS",
    done: false,
    waitSeconds: 30,
    startedAt: "2026-03-01T08:58:00.000Z",
  };

  it("finishes on CREATE_COMPLETE", async () => {
    const { cfn, deps } = mockCloudFormation();
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [sdkStack("CREATE_COMPLETE", "x") as never] });
    await expect(checkStack({ run: runContext(), stack: state }, deps)).resolves.toMatchObject({
      done: true,
      status: "CREATE_COMPLETE",
      completedAt: CFN_NOW.toISOString(),
    });
  });

  it("waits adaptively while CREATE_IN_PROGRESS", async () => {
    const { cfn, deps } = mockCloudFormation();
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [sdkStack("CREATE_IN_PROGRESS", "x") as never] });
    const next = await checkStack({ run: runContext(), stack: state }, deps);
    expect(next).toMatchObject({ done: false, status: "CREATE_IN_PROGRESS", waitSeconds: 36 }); // 180 s running
    expect(next.completedAt).toBeUndefined();
  });

  it("fails with the first failure reason on ROLLBACK_COMPLETE", async () => {
    // Prepare
    const { cfn, deps } = mockCloudFormation();
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [sdkStack("ROLLBACK_COMPLETE", "x") as never] });
    cfn.on(DescribeStackEventsCommand).resolves({
      StackEvents: [
        {
          StackId: STACK_ID,
          EventId: "3",
          StackName: "shop-dr",
          Timestamp: new Date("2026-03-01T09:00:50Z"),
          LogicalResourceId: "Web",
          ResourceStatus: "CREATE_FAILED",
          ResourceStatusReason: "Resource creation cancelled",
        },
        {
          StackId: STACK_ID,
          EventId: "2",
          StackName: "shop-dr",
          Timestamp: new Date("2026-03-01T09:00:40Z"),
          LogicalResourceId: "Subnet",
          ResourceStatus: "CREATE_FAILED",
          ResourceStatusReason: "Subnet capacity",
        },
        {
          StackId: STACK_ID,
          EventId: "1",
          StackName: "shop-dr",
          Timestamp: new Date("2026-03-01T09:00:30Z"),
          LogicalResourceId: "shop-dr",
          ResourceStatus: "CREATE_IN_PROGRESS",
        },
      ],
    });
    // Act
    const err = await checkStack({ run: runContext(), stack: state }, deps).catch((e: unknown) => e);
    // Assess
    expect((err as Error).name).toBe("StackFailed");
    expect((err as Error).message).toMatch(/ROLLBACK_COMPLETE: Subnet: Subnet capacity/);
  });

  it("fails when the stack is gone", async () => {
    const { cfn, deps } = mockCloudFormation();
    cfn.on(DescribeStacksCommand).rejects(
      Object.assign(new Error(`Stack with id ${STACK_ID} does not exist`), {
        name: "ValidationError",
        $metadata: { httpStatusCode: 400 },
      }),
    );
    await expect(checkStack({ run: runContext(), stack: state }, deps)).rejects.toMatchObject({
      name: "StackFailed",
    });
  });
});

describe("checkStack handler", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("rejects a malformed event with InputInvalid", async () => {
    vi.stubEnv("ARTIFACTS_BUCKET", BUCKET);
    await expect(
      handler({ run: runContext(), stack: { stackId: 1 } }, localContext("checkStack")),
    ).rejects.toMatchObject({
      name: "InputInvalid",
    });
  });
});
