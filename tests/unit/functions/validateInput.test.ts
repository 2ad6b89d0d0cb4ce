import { DescribeExecutionCommand, ExecutionDoesNotExist, SFNClient } from "@aws-sdk/client-sfn";
import {
  GetParameterCommand,
  ParameterAlreadyExists,
  PutParameterCommand,
  SSMClient,
} from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it, vi } from "vitest";
import { sfnApi } from "../../../functions/shared/aws/sfn.js";
import { ssmApi } from "../../../functions/shared/aws/ssm.js";
import { MAX_ERROR_FRAMES, MAX_ERROR_MESSAGE, TRUNCATED_MARK } from "../../../functions/shared/errors.js";
import { parseLock, takeoverClaim } from "../../../functions/shared/lock.js";
import { localContext } from "../../../functions/shared/middleware.js";
import { runName, runSuffix } from "../../../functions/shared/naming.js";
import { handler } from "../../../functions/validateInput/handler.js";
import { validateInput } from "../../../functions/validateInput/validateInput.js";
import { appConfigInput, BUCKET, EXECUTION_ARN, memoryS3 } from "../../support/fixtures.js";

const execution = { id: EXECUTION_ARN, name: "exec-1", startTime: "2026-03-01T09:00:12.345Z" };

function setup() {
  const s3 = memoryS3();
  s3.putConfig();
  const client = new SSMClient({ region: "us-west-2" });
  const ssm = mockClient(client);
  const sfnClient = new SFNClient({ region: "us-west-2" });
  const sfn = mockClient(sfnClient);
  const deps = {
    store: s3.store,
    ssm: ssmApi(client),
    sfn: sfnApi(sfnClient),
    defaultApp: "shop",
    local: true,
  };
  return { s3, ssm, sfn, deps };
}

const alreadyExists = () =>
  new ParameterAlreadyExists({ message: "exists", $metadata: { httpStatusCode: 400 } });

const OTHER = "arn:aws:states:us-west-2:111122223333:execution:drctl-recovery:health-1";
const lockOf = (executionArn: string, run: string) => ({
  Parameter: { Value: JSON.stringify({ executionArn, run }) },
});

describe("validateInput", () => {
  it("builds the run context and takes the lock", async () => {
    // Prepare
    const { ssm, deps } = setup();
    ssm.on(PutParameterCommand).resolves({ Version: 1 });
    // Act
    const run = await validateInput({ input: { mode: "drill", trigger: "schedule" }, execution }, deps);
    // Assess
    const suffix = runSuffix(EXECUTION_ARN);
    const name = `drill-shop-20260301T090012Z-${suffix}`;
    expect(run).toEqual({
      name,
      executionArn: EXECUTION_ARN,
      mode: "drill",
      trigger: "schedule",
      app: "shop",
      startedAt: "2026-03-01T09:00:12.345Z",
      restoreTo: "2026-03-01T09:00:12.345Z",
      dryRun: false,
      force: false,
      local: true,
      artifactsPrefix: `runs/${name}/`,
      parameterPrefix: `/drctl-drill/${name}`,
      stackName: `shop-dr-drill-${suffix}`,
      suffix,
    });
    const put = ssm.commandCalls(PutParameterCommand)[0]?.args[0].input;
    expect(put).toMatchObject({ Name: "/drctl/lock/shop", Overwrite: false });
    expect(JSON.parse(put?.Value ?? "")).toEqual({
      executionArn: EXECUTION_ARN,
      run: name,
      startedAt: "2026-03-01T09:00:12.345Z",
    });
  });

  it("gives executions started in the same second their own run names and documents", async () => {
    // Prepare
    const { ssm, deps } = setup();
    ssm.on(PutParameterCommand).resolves({ Version: 1 });
    // Act
    const a = await validateInput({ input: { mode: "drill" }, execution }, deps);
    const b = await validateInput({ input: { mode: "drill" }, execution: { ...execution, id: OTHER } }, deps);
    // Assess
    expect(a.name).not.toBe(b.name);
    expect(a.artifactsPrefix).not.toBe(b.artifactsPrefix);
    expect(a.parameterPrefix).not.toBe(b.parameterPrefix);
    expect(b.name).toBe(runName("drill", "shop", new Date(execution.startTime), OTHER));
  });

  it("names failover stacks and prefixes like production and keeps an explicit restoreTo", async () => {
    const { ssm, deps } = setup();
    ssm.on(PutParameterCommand).resolves({ Version: 1 });
    const run = await validateInput(
      { input: { mode: "failover", restoreTo: "2026-03-01T08:30:00+01:00" }, execution },
      deps,
    );
    expect(run.name).toBe(`failover-shop-20260301T090012Z-${runSuffix(EXECUTION_ARN)}`);
    expect(run.stackName).toBe("shop-dr");
    expect(run.parameterPrefix).toBe("");
    expect(run.restoreTo).toBe("2026-03-01T07:30:00.000Z");
  });

  it("rejects a bad mode naming the field and the allowed values", async () => {
    const { deps } = setup();
    const err = await validateInput({ input: { mode: "test" }, execution }, deps).catch((e: unknown) => e);
    expect((err as Error).name).toBe("InputInvalid");
    expect((err as Error).message).toMatch(/mode/);
    expect((err as Error).message).toMatch(/drill/);
    expect((err as Error).message).toMatch(/failover/);
  });

  it("rejects a restoreTo in the future", async () => {
    const { deps } = setup();
    await expect(
      validateInput({ input: { mode: "drill", restoreTo: "2026-03-01T10:00:00Z" }, execution }, deps),
    ).rejects.toMatchObject({ name: "InputInvalid", message: expect.stringMatching(/restoreTo.*future/) });
  });

  it("fails with ConfigInvalid when the app has no configuration", async () => {
    const { deps } = setup();
    await expect(
      validateInput({ input: { mode: "drill", app: "other" }, execution }, deps),
    ).rejects.toMatchObject({
      name: "ConfigInvalid",
    });
  });

  it("fails with ConfigInvalid when the configuration is invalid", async () => {
    const { s3, deps } = setup();
    s3.putConfig({ ...appConfigInput(), vault: "" });
    await expect(validateInput({ input: { mode: "drill" }, execution }, deps)).rejects.toMatchObject({
      name: "ConfigInvalid",
      message: expect.stringMatching(/vault/),
    });
  });

  it("refuses when a running execution holds the lock, naming its execution and run", async () => {
    // Prepare
    const { ssm, sfn, deps } = setup();
    ssm.on(PutParameterCommand).rejects(alreadyExists());
    ssm.on(GetParameterCommand).resolves(lockOf(OTHER, "drill-shop-20260301T090000Z-0a0b0c"));
    sfn.on(DescribeExecutionCommand, { executionArn: OTHER }).resolves({ status: "RUNNING" });
    // Act
    const err = await validateInput({ input: { mode: "drill" }, execution }, deps).catch((e: unknown) => e);
    // Assess
    expect((err as Error).name).toBe("RecoveryInProgress");
    expect((err as Error).message).toContain(OTHER);
    expect((err as Error).message).toContain("drill-shop-20260301T090000Z-0a0b0c");
    expect(ssm.commandCalls(PutParameterCommand)).toHaveLength(1);
  });

  it("treats a holder waiting for its redrive as running", async () => {
    const { ssm, sfn, deps } = setup();
    ssm.on(PutParameterCommand).rejects(alreadyExists());
    ssm.on(GetParameterCommand).resolves(lockOf(OTHER, "drill-shop-x"));
    sfn.on(DescribeExecutionCommand).resolves({ status: "PENDING_REDRIVE" });
    await expect(validateInput({ input: { mode: "drill" }, execution }, deps)).rejects.toMatchObject({
      name: "RecoveryInProgress",
    });
  });

  it("refuses a lock value that names no execution, without force", async () => {
    const { ssm, sfn, deps } = setup();
    ssm.on(PutParameterCommand).rejects(alreadyExists());
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: "drill-shop-20260301T0800Z" } });
    await expect(validateInput({ input: { mode: "drill" }, execution }, deps)).rejects.toMatchObject({
      name: "RecoveryInProgress",
      message: expect.stringMatching(/drill-shop-20260301T0800Z.*not a drctl lock document/),
    });
    expect(sfn.calls()).toHaveLength(0);
  });

  it.each([
    ["has ended (FAILED)", () => ({ status: "FAILED" as const })],
    ["does not exist", () => new ExecutionDoesNotExist({ message: "no", $metadata: {} })],
  ])(
    "takes over a lock whose holder %s: claims the takeover, then overwrites the lock",
    async (_what, answer) => {
      // Prepare
      const { ssm, sfn, deps } = setup();
      const stale = JSON.stringify({ executionArn: OTHER, run: "drill-shop-20260301T080000Z-0a0b0c" });
      ssm.on(PutParameterCommand).resolves({ Version: 2 });
      ssm.on(PutParameterCommand, { Name: "/drctl/lock/shop", Overwrite: false }).rejects(alreadyExists());
      ssm.on(GetParameterCommand).resolves({ Parameter: { Value: stale } });
      const reply = answer();
      if (reply instanceof Error) sfn.on(DescribeExecutionCommand).rejects(reply);
      else sfn.on(DescribeExecutionCommand).resolves(reply);
      // Act
      const run = await validateInput({ input: { mode: "drill" }, execution }, deps);
      // Assess
      const puts = ssm.commandCalls(PutParameterCommand).map((c) => c.args[0].input);
      const claim = takeoverClaim("shop", stale);
      expect(puts.map((p) => [p.Name, p.Overwrite])).toEqual([
        ["/drctl/lock/shop", false],
        [claim, false],
        ["/drctl/lock/shop", true],
      ]);
      expect(parseLock(puts[2]?.Value)).toEqual({
        executionArn: EXECUTION_ARN,
        run: run.name,
        startedAt: run.startedAt,
        takeover: claim,
      });
    },
  );

  it("leaves a stale lock to the execution that claimed its takeover first", async () => {
    // Prepare
    const { ssm, sfn, deps } = setup();
    ssm.on(PutParameterCommand).rejects(alreadyExists()); // the lock and the claim both exist
    ssm.on(GetParameterCommand).resolves(lockOf(OTHER, "drill-shop-x"));
    sfn.on(DescribeExecutionCommand).resolves({ status: "ABORTED" });
    // Act
    const err = await validateInput({ input: { mode: "drill" }, execution }, deps).catch((e: unknown) => e);
    // Assess
    expect((err as Error).name).toBe("RecoveryInProgress");
    expect((err as Error).message).toMatch(/another execution is taking over the stale lock/);
    expect(ssm.commandCalls(PutParameterCommand, { Overwrite: true })).toHaveLength(0);
  });

  it("finishes its own takeover on a retried invocation (its claim exists, the lock is still stale)", async () => {
    // Prepare
    const { ssm, sfn, deps } = setup();
    const stale = JSON.stringify({ executionArn: OTHER, run: "drill-shop-x" });
    const claim = takeoverClaim("shop", stale);
    ssm.on(PutParameterCommand).resolves({ Version: 2 });
    ssm.on(PutParameterCommand, { Overwrite: false }).rejects(alreadyExists());
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: stale } });
    ssm.on(GetParameterCommand, { Name: claim }).resolves(lockOf(EXECUTION_ARN, "mine"));
    sfn.on(DescribeExecutionCommand).resolves({ status: "TIMED_OUT" });
    // Act
    await validateInput({ input: { mode: "drill" }, execution }, deps);
    // Assess
    const overwrite = ssm.commandCalls(PutParameterCommand, { Overwrite: true });
    expect(overwrite.map((c) => c.args[0].input.Name)).toEqual(["/drctl/lock/shop"]);
    expect(parseLock(overwrite[0]?.args[0].input.Value)?.executionArn).toBe(EXECUTION_ARN);
  });

  it("accepts its own lock on a retried invocation", async () => {
    const { ssm, deps } = setup();
    ssm.on(PutParameterCommand).rejects(alreadyExists());
    ssm.on(GetParameterCommand).resolves(lockOf(EXECUTION_ARN, "whatever"));
    const run = await validateInput({ input: { mode: "drill" }, execution }, deps);
    expect(run.executionArn).toBe(EXECUTION_ARN);
    expect(ssm.commandCalls(PutParameterCommand)).toHaveLength(1);
  });

  it("takes the lock over with force", async () => {
    const { ssm, sfn, deps } = setup();
    ssm.on(PutParameterCommand, { Overwrite: false }).rejects(alreadyExists());
    ssm.on(PutParameterCommand, { Overwrite: true }).resolves({ Version: 2 });
    ssm.on(GetParameterCommand).resolves(lockOf(OTHER, "failover-shop-x"));
    sfn.on(DescribeExecutionCommand).resolves({ status: "RUNNING" });
    const run = await validateInput({ input: { mode: "failover", force: true }, execution }, deps);
    const overwrite = ssm.commandCalls(PutParameterCommand, { Overwrite: true });
    expect(overwrite).toHaveLength(1);
    expect(parseLock(overwrite[0]?.args[0].input.Value)?.run).toBe(run.name);
  });

  it("names an unknown field without repeating the input, however large", async () => {
    const { deps } = setup();
    const notes = "x".repeat(200 * 1024);
    const err = (await validateInput({ input: { mode: "drill", notes }, execution }, deps).catch(
      (e: unknown) => e,
    )) as Error;
    expect(err.name).toBe("InputInvalid");
    expect(err.message).toMatch(/notes/);
    expect(err.message.length).toBeLessThan(300);
  });

  it.each([[null], [[]], ["drill"], [42]])(
    "rejects an execution input that is not an object (%j)",
    async (input) => {
      const { deps } = setup();
      await expect(validateInput({ input, execution }, deps)).rejects.toMatchObject({
        name: "InputInvalid",
        message: expect.stringMatching(/execution input: .*object/),
      });
    },
  );

  it("takes no lock for a dry run", async () => {
    const { ssm, deps } = setup();
    const run = await validateInput({ input: { mode: "drill", dryRun: true }, execution }, deps);
    expect(run.dryRun).toBe(true);
    expect(ssm.calls()).toHaveLength(0);
  });
});

describe("validateInput handler", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("rejects a malformed event with InputInvalid", async () => {
    vi.stubEnv("ARTIFACTS_BUCKET", BUCKET);
    vi.stubEnv("DEFAULT_APP", "shop");
    await expect(handler({ input: { mode: "drill" } }, localContext("validateInput"))).rejects.toMatchObject({
      name: "InputInvalid",
      message: expect.stringMatching(/execution/),
    });
  });

  it("reports an error of any size bounded: message cut with a marker, a few stack frames", async () => {
    // Prepare: 5,000 unknown fields, each named in the message.
    vi.stubEnv("ARTIFACTS_BUCKET", BUCKET);
    vi.stubEnv("DEFAULT_APP", "shop");
    const input = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`field${i}`, i]));
    // Act
    const err = (await handler({ input, execution }, localContext("validateInput")).catch(
      (e: unknown) => e,
    )) as Error;
    // Assess
    expect(err.name).toBe("InputInvalid");
    expect(err.message).toHaveLength(MAX_ERROR_MESSAGE);
    expect(err.message.endsWith(TRUNCATED_MARK)).toBe(true);
    const trace = err.stack?.split("\n") ?? [];
    expect(trace[0]).toBe(`InputInvalid: ${err.message}`);
    expect(trace.length).toBeLessThanOrEqual(1 + MAX_ERROR_FRAMES);
    // The cause as Lambda reports it stays far below the 256 KiB state limit.
    const cause = JSON.stringify({ errorType: err.name, errorMessage: err.message, trace });
    expect(Buffer.byteLength(cause)).toBeLessThan(8 * 1024);
  });
});
