import {
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTagsOfResourceCommand,
  TagResourceCommand,
} from "@aws-sdk/client-dynamodb";
import { clientConfig, memoClient } from "./clients.js";
import { callAws, callAwsOptional } from "./errors.js";
import { noteTagged } from "./fresh-tags.js";
import { fromTagList, paginate, toTagList } from "./util.js";

export interface Table {
  name: string;
  arn: string;
  status: string;
}

/** The Amazon DynamoDB operations drctl uses. Pagination happens inside. */
export interface DynamoDbApi {
  /** DescribeTable; undefined when ResourceNotFoundException. */
  describeTable(name: string): Promise<Table | undefined>;
  tagResource(arn: string, tags: Record<string, string>): Promise<void>;
  /** ListTagsOfResource (all pages); empty when the table is gone. */
  listTags(arn: string): Promise<Record<string, string>>;
  /** DeleteTable; no-op when already gone. */
  deleteTable(name: string): Promise<void>;
}

const SERVICE = "dynamodb";

export function dynamoDbApi(client: DynamoDBClient): DynamoDbApi {
  return {
    describeTable: (name) =>
      callAwsOptional(SERVICE, "DescribeTable", name, ["ResourceNotFoundException"], async () => {
        const out = await client.send(new DescribeTableCommand({ TableName: name }));
        const t = out.Table;
        if (!t) return undefined;
        return { name: t.TableName ?? name, arn: t.TableArn ?? "", status: t.TableStatus ?? "" };
      }),

    tagResource: (arn, tags) =>
      callAws(SERVICE, "TagResource", arn, async () => {
        await client.send(new TagResourceCommand({ ResourceArn: arn, Tags: toTagList(tags) }));
        noteTagged([arn]);
      }),

    listTags: async (arn) => {
      const tags = await callAwsOptional(
        SERVICE,
        "ListTagsOfResource",
        arn,
        ["ResourceNotFoundException"],
        () =>
          paginate(async (token) => {
            const out = await client.send(
              new ListTagsOfResourceCommand({
                ResourceArn: arn,
                ...(token !== undefined && { NextToken: token }),
              }),
            );
            return { items: out.Tags, next: out.NextToken };
          }),
      );
      return fromTagList(tags);
    },

    deleteTable: (name) =>
      callAws<void>(
        SERVICE,
        "DeleteTable",
        name,
        async () => {
          await client.send(new DeleteTableCommand({ TableName: name }));
        },
        // Gone already, or a delete is under way: both mean the table is going away.
        (err) =>
          err.code === "ResourceNotFoundException" ||
          (err.code === "ResourceInUseException" && /being deleted|DELETING/i.test(err.message))
            ? { value: undefined }
            : undefined,
      ),
  };
}

/** The wrapper for this container and region (one client per service and region). */
export const dynamoDbFor = (region: string): DynamoDbApi =>
  memoClient(`dynamodb:${region}`, () => dynamoDbApi(new DynamoDBClient(clientConfig("DYNAMODB", region))));
