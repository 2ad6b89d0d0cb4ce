/**
 * Amazon DynamoDB in the sandbox, through the real SDK client: restored tables, their deletion (and
 * its protection) and their tags. Each test pins a row of docs/fidelity.md ("EC2, EFS, RDS,
 * DynamoDB: lifecycles, errors and limits").
 */
import {
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTagsOfResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from "@aws-sdk/client-dynamodb";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TIMINGS } from "../../../scripts/sandbox/world/index.js";
import { rejection, type SdkWorld, sdkWorld, shape } from "./sdk-world.js";

let s: SdkWorld;
let ddb: DynamoDBClient;
beforeEach(async () => {
  s = await sdkWorld();
  ddb = s.client(DynamoDBClient);
});
afterEach(() => s.close());

describe("dynamodb: tables", () => {
  it("a restored table is ACTIVE, by name or ARN, with deletion protection as the restore set it", async () => {
    // Prepare
    const arn = await s.restore("carts", "carts-dr", { deletionProtection: "true" });
    await s.restore("carts", "carts-off");
    // Act
    const byName = (await ddb.send(new DescribeTableCommand({ TableName: "carts-dr" }))).Table;
    const byArn = (await ddb.send(new DescribeTableCommand({ TableName: arn }))).Table;
    const off = (await ddb.send(new DescribeTableCommand({ TableName: "carts-off" }))).Table;
    const refused = await rejection(ddb.send(new DeleteTableCommand({ TableName: "carts-dr" })));
    // Assess
    expect(byName).toMatchObject({ TableName: "carts-dr", TableArn: arn, TableStatus: "ACTIVE" });
    expect(byArn?.TableName).toBe("carts-dr");
    expect(byName?.DeletionProtectionEnabled).toBe(true);
    expect(off?.DeletionProtectionEnabled).toBe(false);
    expect(shape(refused)).toEqual({
      name: "ValidationException",
      message:
        "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.",
      status: 400,
    });
  });

  it("DeleteTable: DELETING, a second DeleteTable is no error, then the table is gone", async () => {
    // Prepare
    await s.restore("carts", "carts-dr");
    // Act
    const first = await ddb.send(new DeleteTableCommand({ TableName: "carts-dr" }));
    const second = await ddb.send(new DeleteTableCommand({ TableName: "carts-dr" }));
    s.clock.advanceBy(TIMINGS.tableDeleteSeconds);
    const gone = await rejection(ddb.send(new DescribeTableCommand({ TableName: "carts-dr" })));
    const deleteGone = await rejection(ddb.send(new DeleteTableCommand({ TableName: "carts-dr" })));
    // Assess
    expect(first.TableDescription?.TableStatus).toBe("DELETING");
    expect(second.TableDescription?.TableStatus).toBe("DELETING");
    expect(shape(gone)).toEqual({
      name: "ResourceNotFoundException",
      message: "Requested resource not found: Table: carts-dr not found",
      status: 400,
    });
    expect(deleteGone.name).toBe("ResourceNotFoundException");
  });
});

describe("dynamodb: tags", () => {
  it("TagResource, UntagResource and ListTagsOfResource take the table's ARN; an index ARN is a ValidationException, an ARN of no table ResourceNotFoundException", async () => {
    // Prepare
    const arn = await s.restore("carts", "carts-dr");
    const missing = arn.replace("carts-dr", "nope");
    // Act
    await ddb.send(
      new TagResourceCommand({
        ResourceArn: arn,
        Tags: [
          { Key: "drctl:execution", Value: "run-1" },
          { Key: "x", Value: "y" },
        ],
      }),
    );
    await ddb.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ["x"] }));
    const tags = await ddb.send(new ListTagsOfResourceCommand({ ResourceArn: arn }));
    const index = `${arn}/index/by-user`;
    const byIndex = await rejection(ddb.send(new ListTagsOfResourceCommand({ ResourceArn: index })));
    const noTable = await rejection(
      ddb.send(new TagResourceCommand({ ResourceArn: missing, Tags: [{ Key: "k", Value: "v" }] })),
    );
    // Assess
    expect(tags.Tags).toEqual([{ Key: "drctl:execution", Value: "run-1" }]);
    expect(shape(byIndex)).toEqual({
      name: "ValidationException",
      message: `Invalid TableArn: Invalid ResourceArn provided as input ${index}`,
      status: 400,
    });
    expect(shape(noTable)).toEqual({
      name: "ResourceNotFoundException",
      message: `Requested resource not found: ResourcArn: ${missing} not found`,
      status: 400,
    });
  });
});
