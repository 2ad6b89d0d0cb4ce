import {
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type DynamoDBPaginationConfiguration,
  ListTagsOfResourceCommand,
  type ListTagsOfResourceCommandInput,
  type ListTagsOfResourceCommandOutput,
  TagResourceCommand,
} from "@aws-sdk/client-dynamodb";
import { createPaginator } from "@smithy/core";
import { clientConfig, memoClient } from "./clients.js";
import { callAws, callAwsOptional, hasCode } from "./errors.js";
import { noteTagged } from "./fresh-tags.js";
import { collectPagesUnlessMissing, fromTagList, toTagList } from "./util.js";

/**
 * ListTagsOfResource pages by NextToken, but its Smithy model has no paginated trait, so the
 * client package ships no paginator: this is the one the SDK would generate (same factory).
 */
const paginateListTagsOfResource = createPaginator<
  DynamoDBPaginationConfiguration,
  ListTagsOfResourceCommandInput,
  ListTagsOfResourceCommandOutput
>(DynamoDBClient, ListTagsOfResourceCommand, "NextToken", "NextToken");

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
  /** ListTagsOfResource (all pages); undefined when the table is gone (ResourceNotFoundException). */
  listTags(arn: string): Promise<Record<string, string> | undefined>;
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
      const tags = await collectPagesUnlessMissing(
        paginateListTagsOfResource({ client, stopOnSameToken: true }, { ResourceArn: arn }),
        [SERVICE, "ListTagsOfResource", arn],
        (out) => out.Tags,
        (err) => hasCode(err, "ResourceNotFoundException"),
      );
      return tags && fromTagList(tags);
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
