/** Amazon DynamoDB: tables restored by AWS Backup. */
import type { TableDescription, TableStatus } from "@aws-sdk/client-dynamodb";
import { SandboxError } from "../../types.js";
import { optNumber, optString, outOfRange, requireString, stringList } from "../errors.js";
import { type DynamoDb, serviceHandlers } from "../handlers.js";
import { type Region, type Table, type Tags, TIMINGS, type WorldCore } from "../model.js";
import { resourceArn, uuidFrom } from "../naming.js";
import { removeWhenGone } from "../schedule.js";
import { lifecycleStatus } from "./lifecycle.js";
import { fromTagList, toTagList } from "./tags.js";

export function tableStatus(t: Table, now: number): TableStatus {
  return lifecycleStatus(t, now, { creating: "CREATING", ready: "ACTIVE", deleting: "DELETING" });
}

const notFound = (name: string) =>
  new SandboxError(
    "ResourceNotFoundException",
    `Requested resource not found: Table: ${name} not found`,
    400,
  );

export function newTable(
  w: WorldCore,
  region: Region,
  at: number,
  o: { name: string; sizeBytes: number; tags?: Tags; createdByJob?: string },
): Table {
  const t: Table = {
    name: o.name,
    arn: resourceArn("dynamodb", region.name, w.account, o.name),
    tableId: uuidFrom(region.name, o.name, String(at)),
    itemCount: Math.floor(o.sizeBytes / 400),
    sizeBytes: o.sizeBytes,
    createdAt: at,
    readyAt: at,
    tags: { ...(o.tags ?? {}) },
    ...(o.createdByJob ? { createdByJob: o.createdByJob } : {}),
  };
  region.tables.set(t.name, t);
  return t;
}

function tableOut(t: Table, now: number): TableDescription {
  return {
    TableName: t.name,
    TableArn: t.arn,
    TableId: t.tableId,
    TableStatus: tableStatus(t, now),
    CreationDateTime: new Date(t.createdAt),
    ItemCount: t.itemCount,
    TableSizeBytes: t.sizeBytes,
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
    AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
    BillingModeSummary: { BillingMode: "PAY_PER_REQUEST" },
    ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
    DeletionProtectionEnabled: t.deletionProtection ?? false,
  };
}

/** DescribeTable and DeleteTable take the table's name or ARN. */
function tableFrom(region: Region, nameOrArn: string): Table {
  const name = nameOrArn.startsWith("arn:") ? (nameOrArn.split("/").pop() ?? nameOrArn) : nameOrArn;
  const t = region.tables.get(name);
  if (!t) throw notFound(name);
  return t;
}

/** A table's ARN: the only resource the tagging operations take here (no index or stream ARNs). */
const TABLE_ARN = /^arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/[^/]+$/;

/** The tagging operations take the table's ARN only (AWS's wording, "ResourcArn" included). */
function taggedTable(region: Region, arn: string): Table {
  if (!TABLE_ARN.test(arn)) {
    throw new SandboxError(
      "ValidationException",
      `Invalid TableArn: Invalid ResourceArn provided as input ${arn}`,
      400,
    );
  }
  const t = [...region.tables.values()].find((x) => x.arn === arn);
  if (!t) {
    throw new SandboxError(
      "ResourceNotFoundException",
      `Requested resource not found: ResourcArn: ${arn} not found`,
      400,
    );
  }
  return t;
}

export const dynamodbHandlers = serviceHandlers<DynamoDb>()({
  DescribeTable({ region, input, now }) {
    return { Table: tableOut(tableFrom(region, requireString("dynamodb", input, "TableName")), now) };
  },

  DeleteTable({ world, region, input, now }) {
    const t = tableFrom(region, requireString("dynamodb", input, "TableName"));
    const status = tableStatus(t, now);
    // "If table is already in the DELETING state, no error is returned" (DeleteTable reference).
    if (status === "DELETING") return { TableDescription: tableOut(t, now) };
    if (status !== "ACTIVE") {
      throw new SandboxError(
        "ResourceInUseException",
        `Attempt to change a resource which is still in use: Table is being created: ${t.name}`,
        400,
      );
    }
    t.deletingAt = now;
    t.goneAt = now + TIMINGS.tableDeleteSeconds * 1000;
    removeWhenGone(world, region.tables, t.name, t);
    return { TableDescription: tableOut(t, now) };
  },

  TagResource({ region, input }) {
    const t = taggedTable(region, requireString("dynamodb", input, "ResourceArn"));
    t.tags = { ...t.tags, ...fromTagList(input.Tags) };
    return {};
  },

  UntagResource({ region, input }) {
    const t = taggedTable(region, requireString("dynamodb", input, "ResourceArn"));
    for (const k of stringList(input, "TagKeys")) delete t.tags[k];
    return {};
  },

  ListTagsOfResource({ region, input }) {
    const t = taggedTable(region, requireString("dynamodb", input, "ResourceArn"));
    return { Tags: toTagList(t.tags) };
  },

  ListTables({ region, input }) {
    const names = [...region.tables.keys()].sort();
    const start = optString(input, "ExclusiveStartTableName");
    const asked = optNumber(input, "Limit");
    const bad = outOfRange("dynamodb", "Limit", asked, 1, 100);
    if (bad) throw bad;
    const limit = asked ?? 100;
    const from = start === undefined ? 0 : names.findIndex((n) => n > start);
    const slice = from < 0 ? [] : names.slice(from, from + limit);
    const more = from >= 0 && from + limit < names.length;
    return { TableNames: slice, ...(more ? { LastEvaluatedTableName: slice[slice.length - 1] } : {}) };
  },
});
