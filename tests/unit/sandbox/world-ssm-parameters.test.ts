/**
 * Parameter Store and OpsCenter in the sandbox through the SDK v3 SSMClient. Sources in
 * docs/fidelity.md, "Systems Manager".
 */
import {
  CreateOpsItemCommand,
  DeleteParameterCommand,
  DeleteParametersCommand,
  GetParameterCommand,
  GetParametersByPathCommand,
  ListTagsForResourceCommand,
  OpsItemAlreadyExistsException,
  PutParameterCommand,
  SSMClient,
} from "@aws-sdk/client-ssm";
import { afterAll, describe, expect, it } from "vitest";
import { closeWorlds, rejection, worldWire } from "./world-wire.js";

afterAll(closeWorlds);

const ssmClient = async () => new SSMClient((await worldWire()).config());

describe("SSM PutParameter", () => {
  it("creates version 1 and needs a Type to create; Overwrite makes the next version, keeps type and tags; without Overwrite it is ParameterAlreadyExists", async () => {
    // Prepare
    const ssm = await ssmClient();
    const Name = "/shop/db/endpoint";
    // Act
    const untyped = await rejection(ssm.send(new PutParameterCommand({ Name, Value: "a" })));
    const created = await ssm.send(
      new PutParameterCommand({ Name, Value: "a", Type: "String", Tags: [{ Key: "app", Value: "shop" }] }),
    );
    const again = await rejection(ssm.send(new PutParameterCommand({ Name, Value: "b", Type: "String" })));
    const tagged = await rejection(
      ssm.send(
        new PutParameterCommand({ Name, Value: "b", Overwrite: true, Tags: [{ Key: "x", Value: "y" }] }),
      ),
    );
    const overwritten = await ssm.send(new PutParameterCommand({ Name, Value: "b", Overwrite: true }));
    const read = await ssm.send(new GetParameterCommand({ Name }));
    const tags = await ssm.send(
      new ListTagsForResourceCommand({ ResourceType: "Parameter", ResourceId: Name }),
    );
    // Assess
    expect([untyped.name, untyped.message]).toEqual([
      "ValidationException",
      "A parameter type is required when you create a parameter.",
    ]);
    expect(created).toMatchObject({ Version: 1, Tier: "Standard" });
    expect([again.name, again.message]).toEqual([
      "ParameterAlreadyExists",
      "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.",
    ]);
    expect(tagged).toMatchObject({
      name: "ValidationException",
      message:
        "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
    });
    expect(overwritten.Version).toBe(2);
    expect(read.Parameter).toMatchObject({
      Name,
      Type: "String",
      Value: "b",
      Version: 2,
      ARN: `arn:aws:ssm:us-west-2:111122223333:parameter${Name}`,
      DataType: "text",
    });
    expect(tags.TagList).toEqual([{ Key: "app", Value: "shop" }]);
  });

  it("refuses names prefixed aws or ssm, and values over 4096 characters in the standard tier (Tier Advanced takes them)", async () => {
    // Prepare
    const ssm = await ssmClient();
    const big = "x".repeat(4097);
    // Act
    const reserved = await Promise.all(
      ["/aws/x", "ssm-thing", "/AWSome/x"].map((Name) =>
        rejection(ssm.send(new PutParameterCommand({ Name, Value: "v", Type: "String" }))),
      ),
    );
    const tooLong = await rejection(
      ssm.send(new PutParameterCommand({ Name: "/big", Value: big, Type: "String" })),
    );
    const advanced = await ssm.send(
      new PutParameterCommand({ Name: "/big", Value: big, Type: "String", Tier: "Advanced" }),
    );
    // Assess
    expect(reserved.map((e) => e.name)).toEqual([
      "ValidationException",
      "ValidationException",
      "ValidationException",
    ]);
    expect(reserved[0]?.message).toContain(`can't be prefixed with "aws" or "ssm" (case-insensitive)`);
    expect(tooLong.message).toMatch(
      /^Standard tier parameters support a maximum parameter value of 4096 characters\. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier\./,
    );
    expect(advanced.Tier).toBe("Advanced");
  });
});

describe("SSM reading and deleting parameters", () => {
  it("GetParameter and DeleteParameter of a missing name are ParameterNotFound; DeleteParameters lists what it did not find; GetParametersByPath takes one level unless Recursive", async () => {
    // Prepare
    const ssm = await ssmClient();
    for (const Name of ["/app/a", "/app/b", "/app/deep/c", "/other/d"])
      await ssm.send(new PutParameterCommand({ Name, Value: Name, Type: "String" }));
    // Act
    const missing = await rejection(ssm.send(new GetParameterCommand({ Name: "/nope" })));
    const deleteMissing = await rejection(ssm.send(new DeleteParameterCommand({ Name: "/nope" })));
    const oneLevel = await ssm.send(new GetParametersByPathCommand({ Path: "/app" }));
    const recursive = await ssm.send(new GetParametersByPathCommand({ Path: "/app/", Recursive: true }));
    const deleted = await ssm.send(new DeleteParametersCommand({ Names: ["/app/a", "/nope"] }));
    const untaggable = await rejection(
      ssm.send(new ListTagsForResourceCommand({ ResourceType: "Parameter", ResourceId: "/nope" })),
    );
    // Assess
    expect([missing.name, deleteMissing.name]).toEqual(["ParameterNotFound", "ParameterNotFound"]);
    expect(oneLevel.Parameters?.map((p) => p.Name).sort()).toEqual(["/app/a", "/app/b"]);
    expect(recursive.Parameters?.map((p) => p.Name).sort()).toEqual(["/app/a", "/app/b", "/app/deep/c"]);
    expect(deleted).toMatchObject({ DeletedParameters: ["/app/a"], InvalidParameters: ["/nope"] });
    expect(untaggable.name).toBe("InvalidResourceId");
  });
});

describe("SSM CreateOpsItem", () => {
  it("creates an OpsItem; with the /aws/dedup string of an open one it creates none and answers OpsItemAlreadyExistsException naming it", async () => {
    // Prepare
    const ssm = await ssmClient();
    const item = (dedupString: string) =>
      new CreateOpsItemCommand({
        Title: "drill failed",
        Description: "details",
        Source: "drctl",
        OperationalData: {
          "/aws/dedup": { Value: JSON.stringify({ dedupString }), Type: "SearchableString" },
        },
      });
    // Act
    const first = await ssm.send(item("run-1"));
    const duplicate = await rejection(ssm.send(item("run-1")));
    const other = await ssm.send(item("run-2"));
    // Assess
    expect(first.OpsItemId).toMatch(/^oi-[0-9a-f]{12}$/);
    expect(first.OpsItemArn).toBe(`arn:aws:ssm:us-west-2:111122223333:opsitem/${first.OpsItemId}`);
    expect(duplicate).toBeInstanceOf(OpsItemAlreadyExistsException);
    expect((duplicate as OpsItemAlreadyExistsException).OpsItemId).toBe(first.OpsItemId);
    expect(other.OpsItemId).not.toBe(first.OpsItemId);
  });
});
