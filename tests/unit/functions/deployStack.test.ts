import {
  AlreadyExistsException,
  CreateStackCommand,
  DescribeStacksCommand,
} from "@aws-sdk/client-cloudformation";
import { afterEach, describe, expect, it, vi } from "vitest";
import { deployStack } from "../../../functions/deployStack/deployStack.js";
import { handler } from "../../../functions/deployStack/handler.js";
import { localContext } from "../../../functions/shared/middleware.js";
import { appConfig, appConfigInput, BUCKET, runContext } from "../../support/fixtures.js";
import { mockCloudFormation, STACK_ID, sdkStack } from "../../support/fixtures-stack.js";

describe("deployStack", () => {
  it("creates the stack with the run's parameters, tags and request token", async () => {
    // Prepare
    const run = runContext();
    const { cfn, deps } = mockCloudFormation();
    cfn.on(CreateStackCommand).resolves({ StackId: STACK_ID });
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [sdkStack("CREATE_IN_PROGRESS", run.name) as never] });
    // Act
    const state = await deployStack(run, appConfig(), deps);
    // Assess
    expect(state).toEqual({
      stackId: STACK_ID,
      status: "CREATE_IN_PROGRESS",
      done: false,
      waitSeconds: 30,
      startedAt: "2026-03-01T09:00:30.000Z",
    });
    const input = cfn.commandCalls(CreateStackCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      StackName: run.stackName,
      TemplateURL: "https://drctl-templates.s3.us-west-2.amazonaws.com/shop-dr.yaml",
      ClientRequestToken: run.name,
    });
    expect(input?.Parameters).toEqual(
      expect.arrayContaining([
        { ParameterKey: "InstanceType", ParameterValue: "t3.medium" },
        { ParameterKey: "ParameterPrefix", ParameterValue: run.parameterPrefix },
        { ParameterKey: "DrctlExecution", ParameterValue: run.name },
      ]),
    );
    expect(input?.Tags).toEqual(
      expect.arrayContaining([
        { Key: "drctl:execution", Value: run.name },
        { Key: "drctl:mode", Value: "drill" },
        { Key: "drctl:app", Value: "shop" },
      ]),
    );
    expect(input).not.toHaveProperty("RoleARN"); // no stack.roleArn configured
  });

  it("creates the stack with the configured CloudFormation service role", async () => {
    // Prepare
    const run = runContext();
    const roleArn = "arn:aws:iam::111122223333:role/shop-dr-cloudformation";
    const base = appConfigInput();
    const config = appConfig({ stack: { ...base.stack, roleArn } });
    const { cfn, deps } = mockCloudFormation();
    cfn.on(CreateStackCommand).resolves({ StackId: STACK_ID });
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [sdkStack("CREATE_IN_PROGRESS", run.name) as never] });
    // Act
    await deployStack(run, config, deps);
    // Assess
    expect(cfn.commandCalls(CreateStackCommand)[0]?.args[0].input).toMatchObject({
      StackName: run.stackName,
      RoleARN: roleArn,
    });
  });

  it("adopts its own stack on a retried invocation", async () => {
    const run = runContext();
    const { cfn, deps } = mockCloudFormation();
    cfn.on(CreateStackCommand).rejects(new AlreadyExistsException({ message: "exists", $metadata: {} }));
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [sdkStack("CREATE_IN_PROGRESS", run.name) as never] });
    await expect(deployStack(run, appConfig(), deps)).resolves.toMatchObject({
      stackId: STACK_ID,
      done: false,
    });
  });

  it("refuses a stack of that name that belongs to another run", async () => {
    const run = runContext();
    const { cfn, deps } = mockCloudFormation();
    cfn.on(CreateStackCommand).rejects(new AlreadyExistsException({ message: "exists", $metadata: {} }));
    cfn
      .on(DescribeStacksCommand)
      .resolves({ Stacks: [sdkStack("CREATE_IN_PROGRESS", "drill-shop-20260201T0900Z") as never] });
    await expect(deployStack(run, appConfig(), deps)).rejects.toMatchObject({
      name: "StackFailed",
      message: expect.stringMatching(/created by run 'drill-shop-20260201T0900Z'/),
    });
  });

  it("refuses to fail over onto the stack of a previous failover", async () => {
    const run = runContext({ mode: "failover" });
    const { cfn, deps } = mockCloudFormation();
    cfn.on(CreateStackCommand).rejects(new AlreadyExistsException({ message: "exists", $metadata: {} }));
    cfn
      .on(DescribeStacksCommand)
      .resolves({ Stacks: [sdkStack("CREATE_COMPLETE", "failover-shop-20260101T0000Z") as never] });
    await expect(deployStack(run, appConfig(), deps)).rejects.toMatchObject({
      name: "StackFailed",
      message: expect.stringMatching(/previous failover/),
    });
  });
});

describe("deployStack handler", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("rejects a malformed event with InputInvalid", async () => {
    vi.stubEnv("ARTIFACTS_BUCKET", BUCKET);
    await expect(handler({}, localContext("deployStack"))).rejects.toMatchObject({ name: "InputInvalid" });
  });
});
