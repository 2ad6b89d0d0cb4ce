/** awsJson1.0 (DynamoDB, Step Functions) and awsJson1.1 (SSM) through the sandbox server with the SDK v3 clients. */
import {
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  TagResourceCommand,
} from "@aws-sdk/client-dynamodb";
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  paginateGetExecutionHistory,
  SFNClient,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import {
  CreateOpsItemCommand,
  DeleteParameterCommand,
  GetCommandInvocationCommand,
  GetParameterCommand,
  PutParameterCommand,
  SendCommandCommand,
  SSMClient,
} from "@aws-sdk/client-ssm";
import { describe, expect, it } from "vitest";
import { SandboxError } from "../../../scripts/sandbox/types.js";
import { body, useFakeSandbox } from "./wire-fake.js";

const sb = useFakeSandbox();

const T0 = new Date("2026-03-01T09:00:00.000Z");
const T1 = new Date("2026-03-01T09:00:01.500Z");

describe("dynamodb (awsJson1.0)", () => {
  const table = {
    TableName: "orders-a1b2c3",
    TableArn: "arn:aws:dynamodb:us-west-2:1:table/orders-a1b2c3",
    TableStatus: "ACTIVE",
    CreationDateTime: T0,
    ItemCount: 42,
    TableSizeBytes: 1024,
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
    AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
    BillingModeSummary: { BillingMode: "PAY_PER_REQUEST" },
  };

  it("DescribeTable, TagResource, DeleteTable", async () => {
    // Prepare
    sb.backend.on("dynamodb", "DescribeTable", { Table: table });
    sb.backend.on("dynamodb", "TagResource", {});
    sb.backend.on("dynamodb", "DeleteTable", { TableDescription: { ...table, TableStatus: "DELETING" } });
    const client = new DynamoDBClient(sb.config());
    // Act
    const described = await client.send(new DescribeTableCommand({ TableName: "orders-a1b2c3" }));
    await client.send(
      new TagResourceCommand({ ResourceArn: table.TableArn, Tags: [{ Key: "drctl:mode", Value: "drill" }] }),
    );
    const deleted = await client.send(new DeleteTableCommand({ TableName: "orders-a1b2c3" }));
    // Assess
    expect(sb.backend.calls).toEqual([
      {
        service: "dynamodb",
        operation: "DescribeTable",
        region: "us-west-2",
        input: { TableName: "orders-a1b2c3" },
      },
      {
        service: "dynamodb",
        operation: "TagResource",
        region: "us-west-2",
        input: { ResourceArn: table.TableArn, Tags: [{ Key: "drctl:mode", Value: "drill" }] },
      },
      {
        service: "dynamodb",
        operation: "DeleteTable",
        region: "us-west-2",
        input: { TableName: "orders-a1b2c3" },
      },
    ]);
    expect(body(described)).toEqual({ Table: table });
    expect(deleted.TableDescription?.TableStatus).toBe("DELETING");
    expect(deleted.TableDescription?.CreationDateTime).toEqual(T0);
  });

  it("errors: ResourceNotFoundException", async () => {
    // Prepare
    sb.backend.on("dynamodb", "DescribeTable", () => {
      throw new SandboxError("ResourceNotFoundException", "Requested resource not found: Table: x not found");
    });
    // Act
    const err = await new DynamoDBClient(sb.config())
      .send(new DescribeTableCommand({ TableName: "x" }))
      .catch((e) => e);
    // Assess
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toBe("Requested resource not found: Table: x not found");
    expect(err.$metadata.httpStatusCode).toBe(400);
  });
});

describe("ssm (awsJson1.1)", () => {
  it("GetParameter, PutParameter (tags, booleans), DeleteParameter", async () => {
    // Prepare
    sb.backend.on("ssm", "GetParameter", {
      Parameter: {
        Name: "/shop/db/endpoint",
        Type: "String",
        Value: "db.example",
        Version: 3,
        LastModifiedDate: T1,
      },
    });
    sb.backend.on("ssm", "PutParameter", { Version: 1, Tier: "Standard" });
    sb.backend.on("ssm", "DeleteParameter", {});
    const client = new SSMClient(sb.config("us-east-2"));
    // Act
    const got = await client.send(
      new GetParameterCommand({ Name: "/shop/db/endpoint", WithDecryption: false }),
    );
    const put = await client.send(
      new PutParameterCommand({
        Name: "/drctl/lock/shop",
        Value: "drill-shop-20260301T0900Z",
        Type: "String",
        Overwrite: false,
        Tags: [{ Key: "drctl:app", Value: "shop" }],
      }),
    );
    await client.send(new DeleteParameterCommand({ Name: "/drctl/lock/shop" }));
    // Assess
    expect(sb.backend.calls).toEqual([
      {
        service: "ssm",
        operation: "GetParameter",
        region: "us-east-2",
        input: { Name: "/shop/db/endpoint", WithDecryption: false },
      },
      {
        service: "ssm",
        operation: "PutParameter",
        region: "us-east-2",
        input: {
          Name: "/drctl/lock/shop",
          Value: "drill-shop-20260301T0900Z",
          Type: "String",
          Overwrite: false,
          Tags: [{ Key: "drctl:app", Value: "shop" }],
        },
      },
      {
        service: "ssm",
        operation: "DeleteParameter",
        region: "us-east-2",
        input: { Name: "/drctl/lock/shop" },
      },
    ]);
    expect(body(got)).toEqual({
      Parameter: {
        Name: "/shop/db/endpoint",
        Type: "String",
        Value: "db.example",
        Version: 3,
        LastModifiedDate: T1,
      },
    });
    expect(body(put)).toEqual({ Version: 1, Tier: "Standard" });
  });

  it("SendCommand (map of lists), GetCommandInvocation, CreateOpsItem (map of structures)", async () => {
    // Prepare
    sb.backend.on("ssm", "SendCommand", {
      Command: {
        CommandId: "cmd-1",
        DocumentName: "AWS-RunShellScript",
        RequestedDateTime: T0,
        InstanceIds: ["i-1"],
      },
    });
    sb.backend.on("ssm", "GetCommandInvocation", {
      CommandId: "cmd-1",
      InstanceId: "i-1",
      Status: "Success",
      ResponseCode: 0,
      StandardOutputContent: "mounted\n",
      StandardErrorContent: "",
    });
    sb.backend.on("ssm", "CreateOpsItem", { OpsItemId: "oi-1", OpsItemArn: "arn:opsitem:oi-1" });
    const client = new SSMClient(sb.config());
    // Act
    const sent = await client.send(
      new SendCommandCommand({
        InstanceIds: ["i-1"],
        DocumentName: "AWS-RunShellScript",
        Parameters: { commands: ["mount -a", "echo mounted"] },
        Comment: "drctl integrate",
      }),
    );
    const inv = await client.send(new GetCommandInvocationCommand({ CommandId: "cmd-1", InstanceId: "i-1" }));
    const ops = await client.send(
      new CreateOpsItemCommand({
        Title: "drill failed",
        Description: "see report",
        Source: "drctl",
        Severity: "2",
        Category: "Recovery",
        OperationalData: { run: { Value: "drill-shop-1", Type: "SearchableString" } },
      }),
    );
    // Assess
    expect(sb.backend.calls.map((c) => c.input)).toEqual([
      {
        InstanceIds: ["i-1"],
        DocumentName: "AWS-RunShellScript",
        Parameters: { commands: ["mount -a", "echo mounted"] },
        Comment: "drctl integrate",
      },
      { CommandId: "cmd-1", InstanceId: "i-1" },
      {
        Title: "drill failed",
        Description: "see report",
        Source: "drctl",
        Severity: "2",
        Category: "Recovery",
        OperationalData: { run: { Value: "drill-shop-1", Type: "SearchableString" } },
      },
    ]);
    expect(sent.Command).toEqual({
      CommandId: "cmd-1",
      DocumentName: "AWS-RunShellScript",
      RequestedDateTime: T0,
      InstanceIds: ["i-1"],
    });
    expect(body(inv)).toEqual({
      CommandId: "cmd-1",
      InstanceId: "i-1",
      Status: "Success",
      ResponseCode: 0,
      StandardOutputContent: "mounted\n",
      StandardErrorContent: "",
    });
    expect(body(ops)).toEqual({ OpsItemId: "oi-1", OpsItemArn: "arn:opsitem:oi-1" });
  });

  it("errors: ParameterNotFound, ParameterAlreadyExists, ThrottlingException", async () => {
    // Prepare
    sb.backend.on("ssm", "GetParameter", () => {
      throw new SandboxError("ParameterNotFound", "");
    });
    sb.backend.on("ssm", "PutParameter", () => {
      throw new SandboxError("ParameterAlreadyExists", "The parameter already exists.");
    });
    sb.backend.on("ssm", "DeleteParameter", () => {
      throw new SandboxError("ThrottlingException", "Rate exceeded");
    });
    const client = new SSMClient(sb.config());
    // Act
    const e1 = await client.send(new GetParameterCommand({ Name: "/nope" })).catch((e) => e);
    const e2 = await client.send(new PutParameterCommand({ Name: "/a", Value: "b" })).catch((e) => e);
    const e3 = await client.send(new DeleteParameterCommand({ Name: "/a" })).catch((e) => e);
    // Assess
    expect([e1.name, e2.name, e3.name]).toEqual([
      "ParameterNotFound",
      "ParameterAlreadyExists",
      "ThrottlingException",
    ]);
    expect(e2.message).toBe("The parameter already exists.");
    expect(e3.$metadata.httpStatusCode).toBe(400);
  });
});

describe("sfn (awsJson1.0)", () => {
  it("StartExecution and DescribeExecution", async () => {
    // Prepare
    sb.backend.on("sfn", "StartExecution", { executionArn: "arn:exec:1", startDate: T0 });
    sb.backend.on("sfn", "DescribeExecution", {
      executionArn: "arn:exec:1",
      stateMachineArn: "arn:sm",
      name: "drill-shop-20260301T0900Z",
      status: "SUCCEEDED",
      startDate: T0,
      stopDate: T1,
      input: "{}",
      output: '{"ok":true}',
    });
    const client = new SFNClient(sb.config());
    // Act
    const started = await client.send(
      new StartExecutionCommand({
        stateMachineArn: "arn:sm",
        name: "drill-shop-20260301T0900Z",
        input: '{"mode":"drill"}',
      }),
    );
    const described = await client.send(new DescribeExecutionCommand({ executionArn: "arn:exec:1" }));
    // Assess
    expect(sb.backend.calls.map((c) => [c.service, c.operation, c.input])).toEqual([
      [
        "sfn",
        "StartExecution",
        { stateMachineArn: "arn:sm", name: "drill-shop-20260301T0900Z", input: '{"mode":"drill"}' },
      ],
      ["sfn", "DescribeExecution", { executionArn: "arn:exec:1" }],
    ]);
    expect(body(started)).toEqual({ executionArn: "arn:exec:1", startDate: T0 });
    expect(described.stopDate).toEqual(T1);
    expect(described.status).toBe("SUCCEEDED");
  });

  it("GetExecutionHistory: paging tokens round-trip, event timestamps and details", async () => {
    // Prepare
    const events = [
      {
        id: 1,
        timestamp: T0,
        type: "ExecutionStarted",
        executionStartedEventDetails: { input: "{}", roleArn: "arn:role" },
      },
      {
        id: 2,
        previousEventId: 1,
        timestamp: T1,
        type: "PassStateEntered",
        stateEnteredEventDetails: { name: "ValidateInput", input: "{}" },
      },
    ];
    sb.backend.on("sfn", "GetExecutionHistory", (call) =>
      call.input.nextToken === "p2" ? { events: [events[1]] } : { events: [events[0]], nextToken: "p2" },
    );
    const client = new SFNClient(sb.config());
    // Act
    const got = [];
    for await (const page of paginateGetExecutionHistory(
      { client },
      { executionArn: "arn:exec:1", includeExecutionData: true, maxResults: 1 },
    )) {
      got.push(...(page.events ?? []));
    }
    // Assess
    expect(sb.backend.calls.map((c) => c.input)).toEqual([
      { executionArn: "arn:exec:1", includeExecutionData: true, maxResults: 1 },
      { executionArn: "arn:exec:1", includeExecutionData: true, maxResults: 1, nextToken: "p2" },
    ]);
    expect(got).toEqual(events);
  });

  it("errors: ExecutionDoesNotExist", async () => {
    // Prepare
    sb.backend.on("sfn", "GetExecutionHistory", () => {
      throw new SandboxError("ExecutionDoesNotExist", "Execution does not exist: arn:exec:9");
    });
    // Act
    const err = await new SFNClient(sb.config())
      .send(new GetExecutionHistoryCommand({ executionArn: "arn:exec:9" }))
      .catch((e) => e);
    // Assess
    expect(err.name).toBe("ExecutionDoesNotExist");
    expect(err.message).toBe("Execution does not exist: arn:exec:9");
    expect(err.$metadata.httpStatusCode).toBe(400);
  });
});
