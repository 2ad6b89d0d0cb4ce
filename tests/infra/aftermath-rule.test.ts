import { Match, Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { CLEANUP_INPUT_PREFIX } from "../../infra/event-patterns.js";
import { synthApp } from "./synth.js";

type Json = Record<string, unknown>;
let template: Template;
let machineRef: Json;

beforeAll(() => {
  const { stacks } = synthApp();
  template = Template.fromStack(stacks.orchestrator);
  const stack = stacks.orchestrator;
  machineRef = { Ref: stack.getLogicalId(stack.stateMachine.node.defaultChild as never) };
});

describe("aftermath of stopped executions", () => {
  it("a rule on the state machine's ABORTED / TIMED_OUT / FAILED executions starts it again with {cleanupOf}", () => {
    const rules = Object.values(template.findResources("AWS::Events::Rule")) as {
      Properties: { EventPattern: Json; Targets: Json[] };
    }[];
    const rule = rules.find((r) => (r.Properties.EventPattern.source as string[])[0] === "aws.states");
    expect(rule?.Properties.EventPattern).toEqual({
      source: ["aws.states"],
      "detail-type": ["Step Functions Execution Status Change"],
      detail: {
        status: ["ABORTED", "TIMED_OUT", "FAILED"],
        stateMachineArn: [machineRef],
        input: [{ "anything-but": { prefix: CLEANUP_INPUT_PREFIX } }],
      },
    });
    const targets = rule?.Properties.Targets ?? [];
    expect(targets).toHaveLength(1);
    expect(targets[0]).toMatchObject({
      Arn: machineRef,
      RoleArn: expect.anything(),
      InputTransformer: {
        InputPathsMap: { "detail-executionArn": "$.detail.executionArn" },
        InputTemplate: '{"cleanupOf":<detail-executionArn>,"trigger":"execution-status-change"}',
      },
      RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
    });
    // The aftermath's own input is what the pattern excludes: it never starts its own aftermath.
    const inputTemplate = (targets[0] as { InputTransformer: { InputTemplate: string } }).InputTransformer
      .InputTemplate;
    expect(inputTemplate.startsWith(CLEANUP_INPUT_PREFIX)).toBe(true);
  });

  it("the rule's role may start exactly this state machine", () => {
    template.hasResourceProperties("AWS::IAM::Policy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: "states:StartExecution", Effect: "Allow", Resource: machineRef }),
        ]),
      },
    });
  });
});
