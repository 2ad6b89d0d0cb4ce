import {
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTagsOfResourceCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  TagResourceCommand,
} from "@aws-sdk/client-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { dynamoDbApi } from "../../../functions/shared/aws/dynamodb.js";
import { awsError } from "./helpers.js";

const ddb = mockClient(DynamoDBClient);
const api = dynamoDbApi(new DynamoDBClient({ region: "us-west-2" }));
const notFound = () =>
  new ResourceNotFoundException({ message: "Requested resource not found", $metadata: {} });

beforeEach(() => ddb.reset());

describe("dynamoDbApi", () => {
  it("describes a table", async () => {
    ddb.on(DescribeTableCommand, { TableName: "orders-abc123" }).resolves({
      Table: {
        TableName: "orders-abc123",
        TableArn: "arn:aws:dynamodb:us-west-2:1:table/orders-abc123",
        TableStatus: "ACTIVE",
      },
    });
    await expect(api.describeTable("orders-abc123")).resolves.toEqual({
      name: "orders-abc123",
      arn: "arn:aws:dynamodb:us-west-2:1:table/orders-abc123",
      status: "ACTIVE",
    });
  });

  it("returns undefined for a missing table", async () => {
    ddb.on(DescribeTableCommand).rejects(notFound());
    await expect(api.describeTable("nope")).resolves.toBeUndefined();
  });

  it("tags by ARN", async () => {
    ddb.on(TagResourceCommand).resolves({});
    await api.tagResource("arn:t", { k: "v" });
    expect(ddb.commandCalls(TagResourceCommand)[0]?.args[0].input).toEqual({
      ResourceArn: "arn:t",
      Tags: [{ Key: "k", Value: "v" }],
    });
  });

  it("lists a table's tags over every page, and undefined for a gone table", async () => {
    // Prepare
    ddb
      .on(ListTagsOfResourceCommand, { ResourceArn: "arn:t" })
      .resolves({ Tags: [{ Key: "drctl:app", Value: "shop" }], NextToken: "p2" })
      .on(ListTagsOfResourceCommand, { ResourceArn: "arn:t", NextToken: "p2" })
      .resolves({ Tags: [{ Key: "drctl:mode", Value: "drill" }] })
      .on(ListTagsOfResourceCommand, { ResourceArn: "arn:gone" })
      .rejects(notFound());
    // Act
    const tags = await api.listTags("arn:t");
    const gone = await api.listTags("arn:gone");
    // Assess
    expect(tags).toEqual({ "drctl:app": "shop", "drctl:mode": "drill" });
    expect(gone).toBeUndefined();
  });

  it("answers undefined for a table deleted between two pages", async () => {
    ddb
      .on(ListTagsOfResourceCommand, { ResourceArn: "arn:t" })
      .resolves({ Tags: [{ Key: "drctl:app", Value: "shop" }], NextToken: "p2" })
      .on(ListTagsOfResourceCommand, { ResourceArn: "arn:t", NextToken: "p2" })
      .rejects(notFound());
    await expect(api.listTags("arn:t")).resolves.toBeUndefined();
  });

  it("deleting a gone or deleting table is a no-op", async () => {
    ddb
      .on(DeleteTableCommand)
      .rejectsOnce(notFound())
      .rejects(
        new ResourceInUseException({
          message: "Attempt to change a resource which is still in use: Table is being deleted",
          $metadata: {},
        }),
      );
    await expect(api.deleteTable("t")).resolves.toBeUndefined();
    await expect(api.deleteTable("t")).resolves.toBeUndefined();
  });

  it("maps ProvisionedThroughputExceeded to AwsTransient and access denied to AwsCallFailed", async () => {
    ddb
      .on(DescribeTableCommand)
      .rejectsOnce(awsError("ProvisionedThroughputExceededException", "slow down"))
      .rejects(awsError("AccessDeniedException", "not authorized"));
    await expect(api.describeTable("t")).rejects.toMatchObject({ name: "AwsTransient" });
    await expect(api.describeTable("t")).rejects.toMatchObject({
      name: "AwsCallFailed",
      message: "dynamodb:DescribeTable failed for t: AccessDeniedException: not authorized",
    });
  });
});
