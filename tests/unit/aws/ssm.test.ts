import {
  CreateOpsItemCommand,
  DeleteParameterCommand,
  DeleteParametersCommand,
  GetCommandInvocationCommand,
  GetParameterCommand,
  PutParameterCommand,
  SendCommandCommand,
  SSMClient,
} from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { ssmApi } from "../../../functions/shared/aws/ssm.js";
import { awsError } from "./helpers.js";

const ssm = mockClient(SSMClient);
const api = ssmApi(new SSMClient({ region: "us-west-2" }));
const TAGS = { "drctl:execution": "drill-shop-20260301T0900Z" };

beforeEach(() => ssm.reset());

describe("ssmApi.getParameter", () => {
  it("returns the value", async () => {
    ssm
      .on(GetParameterCommand, { Name: "/shop/db/endpoint" })
      .resolves({ Parameter: { Value: "db.example" } });
    await expect(api.getParameter("/shop/db/endpoint")).resolves.toBe("db.example");
  });

  it("returns undefined on ParameterNotFound", async () => {
    ssm.on(GetParameterCommand).rejects(awsError("ParameterNotFound", ""));
    await expect(api.getParameter("/nope")).resolves.toBeUndefined();
  });
});

describe("ssmApi.putParameter", () => {
  it("creates with tags and Overwrite=false", async () => {
    // Prepare
    ssm.on(PutParameterCommand).resolves({ Version: 1 });
    // Act
    const result = await api.putParameter("/drctl/lock/shop", "run-1", { overwrite: false, tags: TAGS });
    // Assess
    expect(result).toBe("created");
    expect(ssm.commandCalls(PutParameterCommand)[0]?.args[0].input).toEqual({
      Name: "/drctl/lock/shop",
      Value: "run-1",
      Type: "String",
      Overwrite: false,
      Tags: [{ Key: "drctl:execution", Value: "drill-shop-20260301T0900Z" }],
    });
  });

  it("returns exists on ParameterAlreadyExists with overwrite=false", async () => {
    ssm.on(PutParameterCommand).rejects(awsError("ParameterAlreadyExists", "The parameter already exists."));
    await expect(api.putParameter("/drctl/lock/shop", "run-2", { overwrite: false })).resolves.toBe("exists");
  });

  it("reports overwritten when the version went past 1, without sending tags", async () => {
    ssm.on(PutParameterCommand).resolves({ Version: 3 });
    await expect(api.putParameter("/shop/db/endpoint", "new", { overwrite: true })).resolves.toBe(
      "overwritten",
    );
    const input = ssm.commandCalls(PutParameterCommand)[0]?.args[0].input;
    expect(input).toMatchObject({ Overwrite: true });
    expect(input?.Tags).toBeUndefined();
  });

  it("reports created on an overwrite that made version 1", async () => {
    ssm.on(PutParameterCommand).resolves({ Version: 1 });
    await expect(api.putParameter("/shop/db/endpoint", "new", { overwrite: true })).resolves.toBe("created");
  });

  it("never sends Tags together with Overwrite=true: creates with tags, else overwrites untagged", async () => {
    ssm
      .on(PutParameterCommand, { Overwrite: false })
      .rejects(awsError("ParameterAlreadyExists", "exists"))
      .on(PutParameterCommand, { Overwrite: true })
      .resolves({ Version: 2 });
    const result = await api.putParameter("/shop/db/endpoint", "v", {
      overwrite: true,
      tags: TAGS,
      description: "d",
    });
    expect(result).toBe("overwritten");
    const calls = ssm.commandCalls(PutParameterCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatchObject({
      Overwrite: false,
      Tags: [{ Key: "drctl:execution" }],
      Description: "d",
    });
    expect(calls[1]).toEqual({
      Name: "/shop/db/endpoint",
      Value: "v",
      Type: "String",
      Overwrite: true,
      Description: "d",
    });
  });

  it("maps a validation error to AwsCallFailed with the parameter name", async () => {
    ssm.on(PutParameterCommand).rejects(awsError("ValidationException", "bad name"));
    await expect(api.putParameter("bad//name", "v", { overwrite: false })).rejects.toMatchObject({
      name: "AwsCallFailed",
      message: "ssm:PutParameter failed for bad//name: ValidationException: bad name",
    });
  });

  it("maps TooManyUpdates-style throttling to AwsTransient", async () => {
    ssm
      .on(PutParameterCommand)
      .rejects(awsError("ThrottlingException", "Rate exceeded", 400, { $retryable: { throttling: true } }));
    await expect(api.putParameter("/x", "v", { overwrite: true })).rejects.toMatchObject({
      name: "AwsTransient",
    });
  });
});

describe("ssmApi.deleteParameter", () => {
  it("is a no-op answering false when the parameter is gone, true when it deleted one", async () => {
    ssm.on(DeleteParameterCommand).resolvesOnce({}).rejects(awsError("ParameterNotFound", ""));
    await expect(api.deleteParameter("/drctl/lock/shop")).resolves.toBe(true);
    await expect(api.deleteParameter("/drctl/lock/shop")).resolves.toBe(false);
    expect(ssm.commandCalls(DeleteParameterCommand)[0]?.args[0].input).toEqual({ Name: "/drctl/lock/shop" });
  });
});

describe("ssmApi.deleteParameters", () => {
  it("deletes 10 names per call and answers the ones it deleted (InvalidParameters: not found)", async () => {
    const names = Array.from({ length: 12 }, (_, i) => `/drctl-drill/run/p${i}`);
    ssm
      .on(DeleteParametersCommand)
      .resolvesOnce({ DeletedParameters: names.slice(0, 9), InvalidParameters: [names[9] ?? ""] })
      .resolvesOnce({ DeletedParameters: names.slice(10) });
    await expect(api.deleteParameters(names)).resolves.toEqual([...names.slice(0, 9), ...names.slice(10)]);
    expect(ssm.commandCalls(DeleteParametersCommand).map((c) => c.args[0].input.Names)).toEqual([
      names.slice(0, 10),
      names.slice(10),
    ]);
  });

  it("maps a refusal to AwsCallFailed naming the first name and how many more", async () => {
    ssm.on(DeleteParametersCommand).rejects(awsError("AccessDeniedException", "not authorized", 400));
    await expect(api.deleteParameters(["/a", "/b", "/c"])).rejects.toMatchObject({
      name: "AwsCallFailed",
      message: "ssm:DeleteParameters failed for /a and 2 more: AccessDeniedException: not authorized",
    });
  });
});

describe("ssmApi.sendShellCommand / getCommandInvocation", () => {
  it("runs AWS-RunShellScript with the commands", async () => {
    ssm.on(SendCommandCommand).resolves({ Command: { CommandId: "cmd-1" } });
    const id = await api.sendShellCommand({
      instanceIds: ["i-1", "i-2"],
      commands: ["mount -a"],
      comment: "x".repeat(150),
    });
    expect(id).toBe("cmd-1");
    expect(ssm.commandCalls(SendCommandCommand)[0]?.args[0].input).toEqual({
      DocumentName: "AWS-RunShellScript",
      InstanceIds: ["i-1", "i-2"],
      Parameters: { commands: ["mount -a"] },
      Comment: "x".repeat(100),
    });
  });

  it("maps the invocation", async () => {
    ssm.on(GetCommandInvocationCommand, { CommandId: "cmd-1", InstanceId: "i-1" }).resolves({
      CommandId: "cmd-1",
      InstanceId: "i-1",
      Status: "Failed",
      StandardOutputContent: "",
      StandardErrorContent: "mount: no such device",
    });
    await expect(api.getCommandInvocation("cmd-1", "i-1")).resolves.toEqual({
      commandId: "cmd-1",
      instanceId: "i-1",
      status: "Failed",
      stderr: "mount: no such device",
    });
  });

  it("returns undefined on InvocationDoesNotExist", async () => {
    ssm.on(GetCommandInvocationCommand).rejects(awsError("InvocationDoesNotExist", ""));
    await expect(api.getCommandInvocation("cmd-1", "i-1")).resolves.toBeUndefined();
  });
});

describe("ssmApi.createOpsItem", () => {
  it("maps operational data to searchable strings", async () => {
    ssm.on(CreateOpsItemCommand).resolves({ OpsItemId: "oi-1" });
    const id = await api.createOpsItem({
      title: "drctl drill failed",
      description: "RestoreFailed",
      source: "drctl",
      severity: "2",
      category: "Recovery",
      operationalData: { run: "drill-shop" },
    });
    expect(id).toBe("oi-1");
    expect(ssm.commandCalls(CreateOpsItemCommand)[0]?.args[0].input).toEqual({
      Title: "drctl drill failed",
      Description: "RestoreFailed",
      Source: "drctl",
      Severity: "2",
      Category: "Recovery",
      OperationalData: { run: { Value: "drill-shop", Type: "SearchableString" } },
    });
  });
});
