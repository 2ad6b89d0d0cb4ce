import { ExecutionDoesNotExist, GetExecutionHistoryCommand, SFNClient } from "@aws-sdk/client-sfn";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { sfnApi } from "../../../functions/shared/aws/sfn.js";

const sfn = mockClient(SFNClient);
const api = sfnApi(new SFNClient({ region: "us-west-2" }));
const EXEC = "arn:aws:states:us-west-2:111122223333:execution:drctl:run-1";
const at = (s: number) => new Date(Date.UTC(2026, 2, 1, 9, 0, s));

beforeEach(() => sfn.reset());

describe("sfnApi.getExecutionHistory", () => {
  it("reads every page with execution data and maps names, payload sizes and errors", async () => {
    // Prepare
    sfn
      .on(GetExecutionHistoryCommand, { nextToken: undefined })
      .resolves({
        events: [
          {
            id: 1,
            timestamp: at(0),
            type: "ExecutionStarted",
            executionStartedEventDetails: { input: '{"mode":"drill"}' },
          },
          {
            id: 2,
            previousEventId: 1,
            timestamp: at(1),
            type: "TaskStateEntered",
            stateEnteredEventDetails: { name: "ValidateInput", input: '{"é":1}' },
          },
        ],
        nextToken: "more",
      })
      .on(GetExecutionHistoryCommand, { nextToken: "more" })
      .resolves({
        events: [
          {
            id: 3,
            previousEventId: 2,
            timestamp: at(2),
            type: "LambdaFunctionSucceeded",
            lambdaFunctionSucceededEventDetails: { output: "{}" },
          },
          {
            id: 4,
            previousEventId: 3,
            timestamp: at(3),
            type: "TaskStateExited",
            stateExitedEventDetails: { name: "ValidateInput", output: "[1,2]" },
          },
          {
            id: 5,
            previousEventId: 4,
            timestamp: at(4),
            type: "TaskFailed",
            taskFailedEventDetails: {
              resource: "invoke",
              resourceType: "lambda",
              error: "RestoreFailed",
              cause: "job x FAILED",
            },
          },
          {
            id: 6,
            previousEventId: 5,
            timestamp: at(5),
            type: "ExecutionFailed",
            executionFailedEventDetails: { error: "States.Runtime", cause: "boom" },
          },
          {
            id: 7,
            previousEventId: 6,
            timestamp: at(6),
            type: "WaitStateEntered",
            stateEnteredEventDetails: { name: "Wait" },
          },
        ],
      });
    // Act
    const events = await api.getExecutionHistory(EXEC);
    // Assess
    // The SDK's paginator reuses one input object: the calls record it as the last page sent it
    // (the first page answered only a request without nextToken).
    const calls = sfn.commandCalls(GetExecutionHistoryCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.args[0].input).toEqual({
      executionArn: EXEC,
      includeExecutionData: true,
      maxResults: 1000,
      reverseOrder: false,
      nextToken: "more",
    });
    expect(events).toEqual([
      { id: 1, timestamp: at(0), type: "ExecutionStarted", payloadBytes: 16 },
      {
        id: 2,
        previousEventId: 1,
        timestamp: at(1),
        type: "TaskStateEntered",
        stateName: "ValidateInput",
        payloadBytes: 8,
      },
      { id: 3, previousEventId: 2, timestamp: at(2), type: "LambdaFunctionSucceeded", payloadBytes: 2 },
      {
        id: 4,
        previousEventId: 3,
        timestamp: at(3),
        type: "TaskStateExited",
        stateName: "ValidateInput",
        payloadBytes: 5,
      },
      {
        id: 5,
        previousEventId: 4,
        timestamp: at(4),
        type: "TaskFailed",
        payloadBytes: 0,
        error: "RestoreFailed",
        cause: "job x FAILED",
      },
      {
        id: 6,
        previousEventId: 5,
        timestamp: at(5),
        type: "ExecutionFailed",
        payloadBytes: 0,
        error: "States.Runtime",
        cause: "boom",
      },
      {
        id: 7,
        previousEventId: 6,
        timestamp: at(6),
        type: "WaitStateEntered",
        stateName: "Wait",
        payloadBytes: 0,
      },
    ]);
  });

  it("returns events oldest first even when a page comes in another order", async () => {
    sfn.on(GetExecutionHistoryCommand).resolves({
      events: [
        { id: 2, timestamp: at(1), type: "PassStateEntered", stateEnteredEventDetails: { name: "P" } },
        { id: 1, timestamp: at(0), type: "ExecutionStarted" },
      ],
    });
    expect((await api.getExecutionHistory(EXEC)).map((e) => e.id)).toEqual([1, 2]);
  });

  it("maps ExecutionDoesNotExist to AwsCallFailed naming the execution", async () => {
    sfn
      .on(GetExecutionHistoryCommand)
      .rejects(new ExecutionDoesNotExist({ message: "Execution Does Not Exist", $metadata: {} }));
    await expect(api.getExecutionHistory(EXEC)).rejects.toMatchObject({
      name: "AwsCallFailed",
      message: `sfn:GetExecutionHistory failed for ${EXEC}: ExecutionDoesNotExist: Execution Does Not Exist`,
    });
  });
});
