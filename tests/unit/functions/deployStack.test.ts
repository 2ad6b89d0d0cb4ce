import {
  AlreadyExistsException,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
  GetTemplateSummaryCommand,
} from "@aws-sdk/client-cloudformation";
import { afterEach, describe, expect, it, vi } from "vitest";
import { deployStack } from "../../../functions/deployStack/deployStack.js";
import { handler } from "../../../functions/deployStack/handler.js";
import { STACK_DELETE_LIMIT_SECONDS } from "../../../functions/deployStack/replace.js";
import { logger } from "../../../functions/shared/logger.js";
import { localContext } from "../../../functions/shared/middleware.js";
import { appConfig, appConfigInput, BUCKET, runContext, STACK_ROLE_ARN } from "../../support/fixtures.js";
import {
  CFN_NOW,
  mockCloudFormation,
  STACK_ID,
  sdkStack,
  templateSummary,
} from "../../support/fixtures-stack.js";

describe("deployStack", () => {
  it("creates the stack with the run's parameters, tags and request token", async () => {
    // Prepare
    const run = runContext();
    const { cfn, deps } = mockCloudFormation();
    cfn.on(CreateStackCommand).resolves({ StackId: STACK_ID });
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [sdkStack("CREATE_IN_PROGRESS", run.name) as never] });
    // Act
    const state = await deployStack({ run: run }, { ...deps, config: appConfig() });
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
    expect(input?.RoleARN).toBe(STACK_ROLE_ARN);
  });

  it("passes only the parameters the template declares (GetTemplateSummary) and warns about the others", async () => {
    // Prepare
    const run = runContext();
    const base = appConfigInput();
    const config = appConfig({
      stack: { ...base.stack, parameters: { InstanceType: "t3.medium", Legacy: "x" } },
    });
    const { cfn, deps } = mockCloudFormation();
    cfn.on(GetTemplateSummaryCommand).resolves(templateSummary(["ParameterPrefix", "InstanceType"]));
    cfn.on(CreateStackCommand).resolves({ StackId: STACK_ID });
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [sdkStack("CREATE_IN_PROGRESS", run.name) as never] });
    const warn = vi.spyOn(logger, "warn");
    // Act
    await deployStack({ run: run }, { ...deps, config: config });
    // Assess
    expect(cfn.commandCalls(GetTemplateSummaryCommand)[0]?.args[0].input).toEqual({
      TemplateURL: config.stack.templateUrl,
    });
    expect(cfn.commandCalls(CreateStackCommand)[0]?.args[0].input.Parameters).toEqual([
      { ParameterKey: "InstanceType", ParameterValue: "t3.medium" },
      { ParameterKey: "ParameterPrefix", ParameterValue: run.parameterPrefix },
    ]);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/does not declare/), {
      templateUrl: config.stack.templateUrl,
      dropped: ["Legacy", "DrctlExecution"],
    });
    warn.mockRestore();
  });

  it("names the template's required parameters that nothing provides, before CreateStack", async () => {
    // Prepare
    const run = runContext();
    const { cfn, deps } = mockCloudFormation();
    cfn.on(GetTemplateSummaryCommand).resolves(templateSummary(["ParameterPrefix", "VpcId"], ["VpcId"]));
    // Act
    const failure = deployStack({ run: run }, { ...deps, config: appConfig() });
    // Assess
    await expect(failure).rejects.toMatchObject({
      name: "ConfigInvalid",
      message: expect.stringMatching(/requires parameters \[VpcId\] without defaults/),
    });
    expect(cfn.commandCalls(CreateStackCommand)).toHaveLength(0);
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
    await deployStack({ run: run }, { ...deps, config: config });
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
    await expect(deployStack({ run: run }, { ...deps, config: appConfig() })).resolves.toMatchObject({
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
    await expect(deployStack({ run: run }, { ...deps, config: appConfig() })).rejects.toMatchObject({
      name: "StackFailed",
      message: expect.stringMatching(/created by run 'drill-shop-20260201T0900Z'/),
    });
  });

  it("refuses to fail over onto the stack of a previous failover that succeeded", async () => {
    const run = runContext({ mode: "failover" });
    const { cfn, deps } = mockCloudFormation();
    cfn.on(CreateStackCommand).rejects(new AlreadyExistsException({ message: "exists", $metadata: {} }));
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [failoverStack("CREATE_COMPLETE") as never] });
    const outcomeOf = vi.fn(async () => "SUCCEEDED");
    await expect(
      deployStack({ run: run }, { ...deps, outcomeOf, config: appConfig() }),
    ).rejects.toMatchObject({
      name: "StackFailed",
      message: expect.stringMatching(/previous failover that succeeded/),
    });
    expect(outcomeOf).toHaveBeenCalledWith(PREVIOUS);
  });

  it("adopts the DR stack a failed failover left: usable as it is, or waited for while it settles", async () => {
    const run = runContext({ mode: "failover" });
    for (const [status, done] of [
      ["CREATE_COMPLETE", true],
      ["UPDATE_ROLLBACK_COMPLETE", true],
      ["CREATE_IN_PROGRESS", false],
    ] as const) {
      const { cfn, deps } = mockCloudFormation();
      cfn.on(CreateStackCommand).rejects(new AlreadyExistsException({ message: "exists", $metadata: {} }));
      cfn.on(DescribeStacksCommand).resolves({ Stacks: [failoverStack(status) as never] });
      const state = await deployStack(
        { run: run },
        { ...deps, outcomeOf: async () => "FAILED", config: appConfig() },
      );
      expect(state).toMatchObject({ stackId: STACK_ID, status, done });
    }
  });

  it("never takes over a failed failover's stack CloudFormation only lets you delete, nor another kind of stack", async () => {
    const failover = runContext({ mode: "failover" });
    const cases: [ReturnType<typeof runContext>, object, RegExp][] = [
      [
        failover,
        failoverStack("ROLLBACK_COMPLETE"),
        /ROLLBACK_COMPLETE, a state CloudFormation only lets you delete/,
      ],
      [failover, sdkStack("CREATE_COMPLETE", PREVIOUS), /never takes over/],
      [failover, failoverStack("CREATE_COMPLETE", { app: "other" }), /never takes over/],
      [runContext(), failoverStack("CREATE_COMPLETE"), /never takes over/],
    ];
    for (const [run, stack, message] of cases) {
      const { cfn, deps } = mockCloudFormation();
      cfn.on(CreateStackCommand).rejects(new AlreadyExistsException({ message: "exists", $metadata: {} }));
      cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack as never] });
      await expect(
        deployStack({ run: run }, { ...deps, outcomeOf: async () => "FAILED", config: appConfig() }),
      ).rejects.toMatchObject({ name: "StackFailed", message: expect.stringMatching(message) });
    }
  });
});

describe("deployStack with replaceStack", () => {
  const exists = () => new AlreadyExistsException({ message: "exists", $metadata: {} });
  const replacing = (since: string) => ({
    stackId: STACK_ID,
    status: "DELETE_IN_PROGRESS",
    done: false,
    waitSeconds: 30,
    startedAt: since,
    replacing: { from: PREVIOUS, since },
  });

  it("deletes the stack a failed failover left, in any state, and waits for the delete", async () => {
    const run = runContext({ mode: "failover", replaceStack: true });
    for (const status of ["CREATE_COMPLETE", "ROLLBACK_COMPLETE", "DELETE_FAILED"]) {
      const { cfn, deps } = mockCloudFormation();
      cfn.on(CreateStackCommand).rejects(exists());
      cfn.on(DescribeStacksCommand).resolves({ Stacks: [failoverStack(status) as never] });
      const state = await deployStack(
        { run },
        { ...deps, outcomeOf: async () => "FAILED", config: appConfig() },
      );
      expect(state).toMatchObject({
        stackId: STACK_ID,
        status: "DELETE_IN_PROGRESS",
        done: false,
        replacing: { from: PREVIOUS },
      });
      expect(cfn.commandCalls(DeleteStackCommand).map((c) => c.args[0].input.StackName)).toEqual([STACK_ID]);
    }
  });

  it("never deletes a stack adoption would refuse: another app's, a drill's, not drctl's, a succeeded failover's", async () => {
    const run = runContext({ mode: "failover", replaceStack: true });
    const cases: [object, string, RegExp][] = [
      [failoverStack("CREATE_COMPLETE", { app: "other" }), "FAILED", /never takes over/],
      [sdkStack("CREATE_COMPLETE", PREVIOUS), "FAILED", /never takes over/],
      [failoverStack("CREATE_COMPLETE"), "SUCCEEDED", /previous failover that succeeded/],
    ];
    for (const [stack, outcome, message] of cases) {
      const { cfn, deps } = mockCloudFormation();
      cfn.on(CreateStackCommand).rejects(exists());
      cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack as never] });
      await expect(
        deployStack({ run }, { ...deps, outcomeOf: async () => outcome, config: appConfig() }),
      ).rejects.toMatchObject({ name: "StackFailed", message: expect.stringMatching(message) });
      expect(cfn.commandCalls(DeleteStackCommand)).toHaveLength(0);
    }
  });

  it("keeps waiting while DELETE_IN_PROGRESS, then creates the new stack once DELETE_COMPLETE", async () => {
    const run = runContext({ mode: "failover", replaceStack: true });
    const { cfn, deps } = mockCloudFormation();
    const since = new Date(CFN_NOW.getTime() - 60_000).toISOString();
    cfn.on(DescribeStacksCommand, { StackName: STACK_ID }).resolves({
      Stacks: [failoverStack("DELETE_IN_PROGRESS") as never],
    });
    const waiting = await deployStack({ run, stack: replacing(since) }, { ...deps, config: appConfig() });
    expect(waiting).toMatchObject({ status: "DELETE_IN_PROGRESS", done: false, replacing: { since } });
    expect(cfn.commandCalls(CreateStackCommand)).toHaveLength(0);

    cfn.on(DescribeStacksCommand, { StackName: STACK_ID }).resolves({
      Stacks: [failoverStack("DELETE_COMPLETE") as never],
    });
    cfn.on(CreateStackCommand).resolves({ StackId: `${STACK_ID}-new` });
    cfn
      .on(DescribeStacksCommand, { StackName: `${STACK_ID}-new` })
      .resolves({ Stacks: [sdkStack("CREATE_IN_PROGRESS", run.name) as never] });
    const created = await deployStack({ run, stack: replacing(since) }, { ...deps, config: appConfig() });
    expect(created).toMatchObject({ status: "CREATE_IN_PROGRESS", done: false });
    expect(created.replacing).toBeUndefined();
    expect(cfn.commandCalls(CreateStackCommand)).toHaveLength(1);
  });

  it("DELETE_FAILED, or a delete past the limit, is StackReplaceFailed", async () => {
    const run = runContext({ mode: "failover", replaceStack: true });
    const failed = mockCloudFormation();
    failed.cfn.on(DescribeStacksCommand).resolves({
      Stacks: [
        failoverStack("DELETE_FAILED", {}, "The following resource(s) failed to delete: [Bucket].") as never,
      ],
    });
    await expect(
      deployStack({ run, stack: replacing(CFN_NOW.toISOString()) }, { ...failed.deps, config: appConfig() }),
    ).rejects.toMatchObject({
      name: "StackReplaceFailed",
      message: expect.stringMatching(
        /DELETE_FAILED: The following resource\(s\) failed to delete: \[Bucket\]/,
      ),
    });
    const slow = mockCloudFormation();
    slow.cfn.on(DescribeStacksCommand).resolves({ Stacks: [failoverStack("DELETE_IN_PROGRESS") as never] });
    const longAgo = new Date(CFN_NOW.getTime() - (STACK_DELETE_LIMIT_SECONDS + 1) * 1000).toISOString();
    await expect(
      deployStack({ run, stack: replacing(longAgo) }, { ...slow.deps, config: appConfig() }),
    ).rejects.toMatchObject({
      name: "StackReplaceFailed",
      message: expect.stringMatching(/still DELETE_IN_PROGRESS/),
    });
    expect(slow.cfn.commandCalls(CreateStackCommand)).toHaveLength(0);
  });
});

const PREVIOUS = "failover-shop-20260101T0000Z";
/** The DR stack a previous failover of shop created (drctl's tags). */
const failoverStack = (status: string, tags: { app?: string } = {}, reason?: string) =>
  sdkStack(status, PREVIOUS, {
    ...(reason !== undefined && { StackStatusReason: reason }),
    Tags: [
      { Key: "drctl:execution", Value: PREVIOUS },
      { Key: "drctl:mode", Value: "failover" },
      { Key: "drctl:app", Value: tags.app ?? "shop" },
    ],
  });

describe("deployStack handler", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("rejects a malformed event with InputInvalid", async () => {
    vi.stubEnv("ARTIFACTS_BUCKET", BUCKET);
    await expect(handler({}, localContext("deployStack"))).rejects.toMatchObject({ name: "InputInvalid" });
  });
});
