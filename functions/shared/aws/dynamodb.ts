import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";

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
  /** DeleteTable; no-op when already gone. */
  deleteTable(name: string): Promise<void>;
}

export function dynamoDbApi(_client: DynamoDBClient): DynamoDbApi {
  throw new Error("dynamoDbApi: not implemented yet");
}
