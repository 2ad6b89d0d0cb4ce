import {
  AlreadyExistsException,
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  type StackEvent,
} from "@aws-sdk/client-cloudformation";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { cloudFormationApi } from "../../../functions/shared/aws/cloudformation.js";
import { awsError } from "./helpers.js";

const cfn = mockClient(CloudFormationClient);
const api = cloudFormationApi(new CloudFormationClient({ region: "us-west-2" }));
const STACK_ID = "arn:aws:cloudformation:us-west-2:111122223333:stack/shop-dr-drill-abc123/guid";
/** A stack event with the fields the SDK type requires. */
const event = (e: Omit<StackEvent, "StackId" | "EventId" | "StackName">): StackEvent => ({
  StackId: STACK_ID,
  EventId: `${e.LogicalResourceId ?? "x"}-${e.ResourceStatus ?? ""}`,
  StackName: "shop-dr",
  ...e,
});
const missing = () => awsError("ValidationError", "Stack with id shop-dr does not exist");

beforeEach(() => cfn.reset());

const createInput = {
  name: "shop-dr-drill-abc123",
  templateUrl: "https://bucket.s3.amazonaws.com/t.yaml",
  parameters: { ParameterPrefix: "/drctl-drill/r" },
  tags: { "drctl:execution": "r" },
  clientRequestToken: "drill-shop-20260301T0900Z",
  roleArn: "arn:aws:iam::111122223333:role/shop-dr-cloudformation",
};

describe("cloudFormationApi.createStack", () => {
  it("creates with IAM capabilities, rollback on failure and the request token", async () => {
    cfn.on(CreateStackCommand).resolves({ StackId: STACK_ID });
    await expect(api.createStack(createInput)).resolves.toBe(STACK_ID);
    expect(cfn.commandCalls(CreateStackCommand)[0]?.args[0].input).toEqual({
      StackName: "shop-dr-drill-abc123",
      TemplateURL: "https://bucket.s3.amazonaws.com/t.yaml",
      Parameters: [{ ParameterKey: "ParameterPrefix", ParameterValue: "/drctl-drill/r" }],
      Tags: [{ Key: "drctl:execution", Value: "r" }],
      Capabilities: ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"],
      OnFailure: "ROLLBACK",
      ClientRequestToken: "drill-shop-20260301T0900Z",
      RoleARN: "arn:aws:iam::111122223333:role/shop-dr-cloudformation",
    });
  });

  it("sends the stack's service role as RoleARN when given", async () => {
    // Prepare
    const roleArn = "arn:aws:iam::111122223333:role/shop-dr-cloudformation";
    cfn.on(CreateStackCommand).resolves({ StackId: STACK_ID });
    // Act
    await api.createStack({ ...createInput, roleArn });
    // Assess
    expect(cfn.commandCalls(CreateStackCommand)[0]?.args[0].input).toMatchObject({
      StackName: "shop-dr-drill-abc123",
      RoleARN: roleArn,
      ClientRequestToken: "drill-shop-20260301T0900Z",
    });
  });

  it("returns the existing stack's id on AlreadyExistsException", async () => {
    cfn.on(CreateStackCommand).rejects(new AlreadyExistsException({ message: "exists", $metadata: {} }));
    cfn.on(DescribeStacksCommand, { StackName: "shop-dr-drill-abc123" }).resolves({
      Stacks: [
        {
          StackId: STACK_ID,
          StackName: "shop-dr-drill-abc123",
          StackStatus: "CREATE_IN_PROGRESS",
          CreationTime: new Date(),
        },
      ],
    });
    await expect(api.createStack(createInput)).resolves.toBe(STACK_ID);
  });

  it("maps InsufficientCapabilities to AwsCallFailed naming the stack", async () => {
    cfn
      .on(CreateStackCommand)
      .rejects(awsError("InsufficientCapabilitiesException", "Requires capabilities"));
    await expect(api.createStack(createInput)).rejects.toMatchObject({
      name: "AwsCallFailed",
      message: expect.stringContaining(
        "cloudformation:CreateStack failed for shop-dr-drill-abc123: InsufficientCapabilitiesException",
      ),
    });
  });
});

describe("cloudFormationApi.describeStack", () => {
  it("maps outputs, tags and status", async () => {
    const created = new Date("2026-03-01T09:00:00Z");
    cfn.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackId: STACK_ID,
          StackName: "shop-dr",
          StackStatus: "CREATE_COMPLETE",
          StackStatusReason: "done",
          CreationTime: created,
          Outputs: [{ OutputKey: "LoadBalancerDnsName", OutputValue: "lb.example" }, { OutputKey: "Empty" }],
          Tags: [{ Key: "drctl:app", Value: "shop" }],
        },
      ],
    });
    await expect(api.describeStack("shop-dr")).resolves.toEqual({
      stackId: STACK_ID,
      name: "shop-dr",
      status: "CREATE_COMPLETE",
      statusReason: "done",
      outputs: { LoadBalancerDnsName: "lb.example", Empty: "" },
      tags: { "drctl:app": "shop" },
      createdAt: created,
    });
  });

  it("returns undefined for ValidationError 'does not exist'", async () => {
    cfn.on(DescribeStacksCommand).rejects(missing());
    await expect(api.describeStack("shop-dr")).resolves.toBeUndefined();
  });

  it("keeps other validation errors as AwsCallFailed", async () => {
    cfn.on(DescribeStacksCommand).rejects(awsError("ValidationError", "1 validation error detected"));
    await expect(api.describeStack("bad name")).rejects.toMatchObject({ name: "AwsCallFailed" });
  });

  it("maps Throttling to AwsTransient", async () => {
    cfn.on(DescribeStacksCommand).rejects(awsError("Throttling", "Rate exceeded"));
    await expect(api.describeStack("shop-dr")).rejects.toMatchObject({ name: "AwsTransient" });
  });
});

describe("cloudFormationApi.firstFailureReason", () => {
  it("reads every page and returns the oldest failed event with a reason", async () => {
    const at = (m: number) => new Date(Date.UTC(2026, 2, 1, 9, m));
    // Newest first, as the API returns them.
    cfn
      .on(DescribeStackEventsCommand, { NextToken: undefined })
      .resolves({
        StackEvents: [
          event({
            LogicalResourceId: "shop-dr",
            ResourceStatus: "ROLLBACK_IN_PROGRESS",
            ResourceStatusReason: "The following resource(s) failed",
            Timestamp: at(5),
          }),
          event({
            LogicalResourceId: "Web",
            ResourceStatus: "CREATE_FAILED",
            ResourceStatusReason: "Resource creation cancelled",
            Timestamp: at(4),
          }),
        ],
        NextToken: "older",
      })
      .on(DescribeStackEventsCommand, { NextToken: "older" })
      .resolves({
        StackEvents: [
          event({
            LogicalResourceId: "Db",
            ResourceStatus: "CREATE_FAILED",
            ResourceStatusReason: "Subnet group not found",
            Timestamp: at(3),
          }),
          event({ LogicalResourceId: "Queue", ResourceStatus: "CREATE_FAILED", Timestamp: at(2) }),
          event({
            LogicalResourceId: "shop-dr",
            ResourceStatus: "CREATE_IN_PROGRESS",
            ResourceStatusReason: "User Initiated",
            Timestamp: at(1),
          }),
        ],
      });
    await expect(api.firstFailureReason("shop-dr")).resolves.toBe("Db: Subnet group not found");
    expect(cfn.commandCalls(DescribeStackEventsCommand)).toHaveLength(2);
  });

  it("keeps the API's order (older last) for events with the same timestamp", async () => {
    const same = new Date("2026-03-01T09:00:00Z");
    cfn.on(DescribeStackEventsCommand).resolves({
      StackEvents: [
        event({
          LogicalResourceId: "Later",
          ResourceStatus: "CREATE_FAILED",
          ResourceStatusReason: "cancelled",
          Timestamp: same,
        }),
        event({
          LogicalResourceId: "First",
          ResourceStatus: "CREATE_FAILED",
          ResourceStatusReason: "quota",
          Timestamp: same,
        }),
      ],
    });
    await expect(api.firstFailureReason("shop-dr")).resolves.toBe("First: quota");
  });

  it("returns undefined when nothing failed", async () => {
    cfn
      .on(DescribeStackEventsCommand)
      .resolves({ StackEvents: [event({ ResourceStatus: "CREATE_COMPLETE", Timestamp: new Date() })] });
    await expect(api.firstFailureReason("shop-dr")).resolves.toBeUndefined();
  });
});

describe("cloudFormationApi.deleteStack", () => {
  it("passes the request token", async () => {
    cfn.on(DeleteStackCommand).resolves({});
    await api.deleteStack(STACK_ID, "tok");
    expect(cfn.commandCalls(DeleteStackCommand)[0]?.args[0].input).toEqual({
      StackName: STACK_ID,
      ClientRequestToken: "tok",
    });
  });

  it("is a no-op for a stack that does not exist", async () => {
    cfn.on(DeleteStackCommand).rejects(missing());
    await expect(api.deleteStack("shop-dr")).resolves.toBeUndefined();
  });
});
