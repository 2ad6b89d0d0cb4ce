/**
 * ValidateInput against the sandbox's World (tests/support/step-world.ts, step-executions.ts): the
 * app's configuration in the World's S3, the per-app lock in its SSM, the lock holders real
 * executions of the World's Step Functions (RUNNING, ended, or never started), and the step's calls
 * signed as the validateInput function under its synthesized IAM. One World for the file: each case
 * starts its own executions and begins with no lock.
 */
import { DescribeExecutionCommand, SFNClient } from "@aws-sdk/client-sfn";
import {
  GetParameterCommand,
  ParameterAlreadyExists,
  PutParameterCommand,
  SSMClient,
} from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { sfnApi } from "../../../functions/shared/aws/sfn.js";
import { ssmApi } from "../../../functions/shared/aws/ssm.js";
import { configKey } from "../../../functions/shared/config.js";
import { MAX_ERROR_FRAMES, MAX_ERROR_MESSAGE, TRUNCATED_MARK } from "../../../functions/shared/errors.js";
import { parseLock, takeoverClaim } from "../../../functions/shared/lock.js";
import { localContext } from "../../../functions/shared/middleware.js";
import { runName, runSuffix } from "../../../functions/shared/naming.js";
import { handler } from "../../../functions/validateInput/handler.js";
import {
  type ValidateInputDeps,
  type ValidateInputEvent,
  validateInput,
} from "../../../functions/validateInput/validateInput.js";
import { sandboxConfig } from "../../../scripts/sandbox/runner.js";
import { BUCKET, EXECUTION_ARN, memoryS3 } from "../../support/fixtures.js";
import {
  deleteParameter,
  parameterValue,
  putLock,
  type StepExecutions,
  stepExecutions,
  type WorldExecution,
  worldLock,
} from "../../support/step-executions.js";
import { type StepWorld, stepWorld } from "../../support/step-world.js";

let w: StepWorld;
let x: StepExecutions;
let deps: ValidateInputDeps;
beforeAll(async () => {
  w = await stepWorld("validateInput");
  x = await stepExecutions(w);
  deps = { store: w.store, ssm: w.apis.ssm, sfn: x.sfn("validateInput"), defaultApp: "shop", local: true };
});
afterAll(async () => {
  await x?.close();
  await w?.close();
});
/** Each case starts with no lock (the runs of the cases before it ended). */
beforeEach(() => deleteParameter(w));

const LOCK = "/drctl/lock/shop";
/** The step's requests since `from` (an index into w.requests()), optionally of one operation. */
const since = (from: number, operation?: string) => w.requests(operation).slice(from);
/** Runs ValidateInput as execution `me` (the execution this invocation belongs to). */
const validate = (me: WorldExecution, input: unknown) =>
  validateInput({ input, execution: me.context } as ValidateInputEvent, deps);
const failure = (p: Promise<unknown>) =>
  p.then(
    () => new Error("validateInput succeeded but was expected to fail"),
    (e: unknown) => e as Error,
  );
/** `2026-03-01T09:00:12.345Z` → `20260301T090012Z`, as run names spell the start. */
const stamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");

/** Runs `act` with config/shop.json replaced by `body` (absent when undefined), then puts it back. */
async function withConfig<T>(body: string | undefined, act: () => Promise<T>): Promise<T> {
  const Key = configKey("shop");
  if (body === undefined) await w.seed("s3", "DeleteObject", { Bucket: w.names.bucket, Key });
  else await w.seed("s3", "PutObject", { Bucket: w.names.bucket, Key, Body: body });
  try {
    return await act();
  } finally {
    await w.putJson(Key, sandboxConfig(w.scenario));
  }
}

describe("validateInput", () => {
  it("builds the run context and takes the lock", async () => {
    // Prepare
    const me = await x.start("RUNNING");
    const from = w.requests("PutParameter").length;
    // Act
    const run = await validate(me, { mode: "drill", trigger: "schedule" });
    // Assess
    const suffix = runSuffix(me.executionArn);
    const name = `drill-shop-${stamp(me.startDate)}-${suffix}`;
    const startedAt = me.startDate.toISOString();
    expect(name).toMatch(/^drill-shop-20260301T\d{6}Z-[0-9a-z]+$/);
    expect(run).toEqual({
      name,
      executionArn: me.executionArn,
      mode: "drill",
      trigger: "schedule",
      app: "shop",
      startedAt,
      restoreTo: startedAt,
      dryRun: false,
      force: false,
      local: true,
      artifactsPrefix: `runs/${name}/`,
      parameterPrefix: `/drctl-drill/${name}`,
      stackName: `shop-dr-drill-${suffix}`,
      suffix,
    });
    expect(since(from, "PutParameter").map((r) => [r.input.Name, r.input.Overwrite])).toEqual([
      [LOCK, false],
    ]);
    expect(await worldLock(w)).toEqual({ executionArn: me.executionArn, run: name, startedAt });
  });

  it("gives executions started in the same second their own run names and documents", async () => {
    // Prepare: two executions started at the same instant
    const first = await x.start("RUNNING");
    const second = await x.start("RUNNING");
    expect(second.startDate).toEqual(first.startDate);
    // Act: the first run ends (releases its lock) before the second starts
    const a = await validate(first, { mode: "drill" });
    await deleteParameter(w);
    const b = await validate(second, { mode: "drill" });
    // Assess
    expect(a.name).not.toBe(b.name);
    expect(a.artifactsPrefix).not.toBe(b.artifactsPrefix);
    expect(a.parameterPrefix).not.toBe(b.parameterPrefix);
    expect(b.name).toBe(runName("drill", "shop", second.startDate, second.executionArn));
    expect((await worldLock(w))?.run).toBe(b.name);
  });

  it("names failover stacks and prefixes like production and keeps an explicit restoreTo", async () => {
    const me = await x.start("RUNNING");
    const run = await validate(me, { mode: "failover", restoreTo: "2026-03-01T08:30:00+01:00" });
    expect(run.name).toBe(`failover-shop-${stamp(me.startDate)}-${runSuffix(me.executionArn)}`);
    expect(run.stackName).toBe("shop-dr");
    expect(run.parameterPrefix).toBe("");
    expect(run.restoreTo).toBe("2026-03-01T07:30:00.000Z");
  });

  it("rejects a bad mode naming the field and the allowed values", async () => {
    const me = await x.start("RUNNING");
    const err = await failure(validate(me, { mode: "test" }));
    expect(err.name).toBe("InputInvalid");
    expect(err.message).toMatch(/mode/);
    expect(err.message).toMatch(/drill/);
    expect(err.message).toMatch(/failover/);
    expect(await parameterValue(w)).toBeUndefined();
  });

  it("rejects a restoreTo in the future", async () => {
    const me = await x.start("RUNNING");
    const future = new Date(me.startDate.getTime() + 3_600_000).toISOString();
    await expect(validate(me, { mode: "drill", restoreTo: future })).rejects.toMatchObject({
      name: "InputInvalid",
      message: expect.stringMatching(/restoreTo.*future/),
    });
  });

  it("fails with ConfigInvalid when the app has no configuration", async () => {
    const me = await x.start("RUNNING");
    const err = await withConfig(undefined, () => failure(validate(me, { mode: "drill" })));
    expect(err).toMatchObject({ name: "ConfigInvalid", message: expect.stringMatching(/no configuration/) });
    expect(await parameterValue(w)).toBeUndefined();
  });

  it("fails with ConfigInvalid when the configuration is invalid", async () => {
    const me = await x.start("RUNNING");
    const invalid = JSON.stringify({ ...sandboxConfig(w.scenario), vault: "" });
    const err = await withConfig(invalid, () => failure(validate(me, { mode: "drill" })));
    expect(err).toMatchObject({ name: "ConfigInvalid", message: expect.stringMatching(/vault/) });
  });

  it("may read its own app's configuration only: another app's is refused by IAM", async () => {
    const me = await x.start("RUNNING");
    const err = await failure(validate(me, { mode: "drill", app: "other" }));
    expect(err.name).toBe("AwsCallFailed");
    expect(err.message).toMatch(/AccessDenied/);
    expect(w.requests("GetObject").at(-1)).toMatchObject({
      input: { Key: "config/other.json" },
      error: "AccessDenied",
    });
  });

  it("refuses when a running execution holds the lock, naming its execution and run", async () => {
    // Prepare
    const holder = await x.start("RUNNING");
    await putLock(w, { executionArn: holder.executionArn, run: "drill-shop-20260301T090000Z-0a0b0c" });
    const me = await x.start("RUNNING");
    const from = w.requests().length;
    // Act
    const err = await failure(validate(me, { mode: "drill" }));
    // Assess
    expect(err.name).toBe("RecoveryInProgress");
    expect(err.message).toContain(holder.executionArn);
    expect(err.message).toContain("drill-shop-20260301T090000Z-0a0b0c");
    expect(err.message).toContain("RUNNING");
    expect(since(from).map((r) => r.operation)).toEqual([
      "GetObject",
      "PutParameter",
      "GetParameter",
      "DescribeExecution",
    ]);
    expect((await worldLock(w))?.executionArn).toBe(holder.executionArn);
  });

  it("a throttled DescribeExecution of the holder is retried (the SDK's standard retry), then the running holder is named", async () => {
    // Prepare: Step Functions throttles the first DescribeExecution
    const holder = await x.start("RUNNING");
    await putLock(w, { executionArn: holder.executionArn, run: "drill-shop-throttled" });
    const me = await x.start("RUNNING");
    const from = w.requests("DescribeExecution").length;
    w.fault({ call: "sfn:DescribeExecution", error: "ThrottlingException", times: 1 });
    // Act
    const err = await failure(validate(me, { mode: "drill" }));
    // Assess
    expect(err).toMatchObject({ name: "RecoveryInProgress", message: expect.stringContaining("RUNNING") });
    expect(since(from, "DescribeExecution").map((r) => r.error)).toEqual(["ThrottlingException", undefined]);
  });

  it("refuses a lock value that names no execution, without force", async () => {
    await putLock(w, "drill-shop-20260301T0800Z");
    const me = await x.start("RUNNING");
    const from = w.requests().length;
    await expect(validate(me, { mode: "drill" })).rejects.toMatchObject({
      name: "RecoveryInProgress",
      message: expect.stringMatching(/drill-shop-20260301T0800Z.*not a drctl lock document/),
    });
    expect(since(from).filter((r) => r.service === "sfn")).toHaveLength(0);
    expect(await parameterValue(w)).toBe("drill-shop-20260301T0800Z");
  });

  it("may describe only its own state machine's executions: a holder of another one is refused by IAM", async () => {
    const other = EXECUTION_ARN.replace(":drctl-recovery:", ":drctl-other:");
    await putLock(w, { executionArn: other, run: "drill-other-x" });
    const me = await x.start("RUNNING");
    const err = await failure(validate(me, { mode: "drill" }));
    expect(err.name).toBe("AwsCallFailed");
    expect(err.message).toMatch(/DescribeExecution.*AccessDeniedException/);
    expect(w.requests("DescribeExecution").at(-1)?.error).toBe("AccessDeniedException");
  });

  it.each([
    ["has ended (FAILED)", "FAILED"],
    ["has succeeded", "SUCCEEDED"],
    ["was stopped (ABORTED)", "ABORTED"],
    ["does not exist", undefined],
  ] as const)(
    "takes over a lock whose holder %s: claims the takeover, then overwrites the lock",
    async (_what, status) => {
      // Prepare
      const holder = status ? (await x.start(status)).executionArn : x.unknownArn();
      const stale = JSON.stringify({ executionArn: holder, run: "drill-shop-20260301T080000Z-0a0b0c" });
      await putLock(w, stale);
      const me = await x.start("RUNNING");
      const from = w.requests("PutParameter").length;
      // Act
      const run = await validate(me, { mode: "drill" });
      // Assess
      const puts = since(from, "PutParameter").map((r) => r.input);
      const claim = takeoverClaim("shop", stale);
      expect(puts.map((p) => [p.Name, p.Overwrite])).toEqual([
        [LOCK, false],
        [claim, false],
        [LOCK, true],
      ]);
      const mine = { executionArn: me.executionArn, run: run.name, startedAt: run.startedAt };
      expect(await worldLock(w)).toEqual({ ...mine, takeover: claim });
      expect(parseLock(await parameterValue(w, claim))).toEqual(mine);
    },
  );

  it("leaves a stale lock to the execution that claimed its takeover first", async () => {
    // Prepare: the holder was stopped; another execution already claimed the takeover
    const holder = await x.start("ABORTED");
    const stale = JSON.stringify({ executionArn: holder.executionArn, run: "drill-shop-x" });
    await putLock(w, stale);
    const rival = await x.start("RUNNING");
    await putLock(
      w,
      { executionArn: rival.executionArn, run: "drill-shop-rival" },
      takeoverClaim("shop", stale),
    );
    const me = await x.start("RUNNING");
    const from = w.requests("PutParameter").length;
    // Act
    const err = await failure(validate(me, { mode: "drill" }));
    // Assess
    expect(err.name).toBe("RecoveryInProgress");
    expect(err.message).toMatch(/another execution is taking over the stale lock/);
    expect(since(from, "PutParameter").filter((r) => r.input.Overwrite === true)).toHaveLength(0);
    expect(await parameterValue(w)).toBe(stale);
  });

  it("accepts its own lock on a retried invocation", async () => {
    const me = await x.start("RUNNING");
    await putLock(w, { executionArn: me.executionArn, run: "whatever" });
    const from = w.requests("PutParameter").length;
    const run = await validate(me, { mode: "drill" });
    expect(run.executionArn).toBe(me.executionArn);
    expect(since(from, "PutParameter")).toHaveLength(1);
    expect((await worldLock(w))?.run).toBe("whatever");
  });

  it("takes the lock over with force", async () => {
    const holder = await x.start("RUNNING");
    await putLock(w, { executionArn: holder.executionArn, run: "failover-shop-x" });
    const me = await x.start("RUNNING");
    const from = w.requests("PutParameter").length;
    const run = await validate(me, { mode: "failover", force: true });
    const overwrite = since(from, "PutParameter").filter((r) => r.input.Overwrite === true);
    expect(overwrite).toHaveLength(1);
    expect(parseLock(overwrite[0]?.input.Value as string)?.run).toBe(run.name);
    expect(await worldLock(w)).toMatchObject({ executionArn: me.executionArn, run: run.name });
  });

  it("names an unknown field without repeating the input, however large", async () => {
    const me = await x.start("RUNNING");
    const notes = "x".repeat(200 * 1024);
    const err = await failure(validate(me, { mode: "drill", notes }));
    expect(err.name).toBe("InputInvalid");
    expect(err.message).toMatch(/notes/);
    expect(err.message.length).toBeLessThan(300);
  });

  it.each([[null], [[]], ["drill"], [42]])(
    "rejects an execution input that is not an object (%j)",
    async (input) => {
      const me = await x.start("RUNNING");
      await expect(validate(me, input)).rejects.toMatchObject({
        name: "InputInvalid",
        message: expect.stringMatching(/execution input: .*object/),
      });
    },
  );

  it("takes no lock for a dry run", async () => {
    const me = await x.start("RUNNING");
    const from = w.requests().length;
    const run = await validate(me, { mode: "drill", dryRun: true });
    expect(run.dryRun).toBe(true);
    expect(since(from).filter((r) => r.service === "ssm")).toHaveLength(0);
    expect(await parameterValue(w)).toBeUndefined();
  });

  // Last: the World's clock moves past the executions' TimeoutSeconds (48 h).
  it("finishes its own takeover on a retried invocation (its claim exists, the lock is still stale)", async () => {
    // Prepare: the holder timed out; this execution claimed the takeover, then its invocation was retried
    const holder = await x.start("TIMED_OUT");
    const stale = JSON.stringify({ executionArn: holder.executionArn, run: "drill-shop-x" });
    await putLock(w, stale);
    const me = await x.start("RUNNING");
    const claim = takeoverClaim("shop", stale);
    await putLock(w, { executionArn: me.executionArn, run: "mine" }, claim);
    const from = w.requests("PutParameter").length;
    // Act
    await validate(me, { mode: "drill" });
    // Assess
    const overwrite = since(from, "PutParameter").filter((r) => r.input.Overwrite === true);
    expect(overwrite.map((r) => r.input.Name)).toEqual([LOCK]);
    expect(await worldLock(w)).toMatchObject({ executionArn: me.executionArn, takeover: claim });
  });
});

/**
 * How one answer of the SDK maps to drctl's outcome, for an answer the World does not give: Step
 * Functions shows PENDING_REDRIVE only for the child workflow executions of a redriven Distributed
 * Map run (ListExecutions statusFilter, "Redriving Map Runs"), never for a drctl execution.
 */
describe("validateInput error mapping", () => {
  it("treats a holder waiting for its redrive (PENDING_REDRIVE) as running", async () => {
    const s3 = memoryS3();
    s3.putConfig();
    const client = new SSMClient({ region: "us-west-2" });
    const ssm = mockClient(client);
    const sfnClient = new SFNClient({ region: "us-west-2" });
    const sfn = mockClient(sfnClient);
    const other = "arn:aws:states:us-west-2:111122223333:execution:drctl-recovery:health-1";
    ssm.on(PutParameterCommand).rejects(new ParameterAlreadyExists({ message: "exists", $metadata: {} }));
    ssm
      .on(GetParameterCommand)
      .resolves({ Parameter: { Value: JSON.stringify({ executionArn: other, run: "x" }) } });
    sfn.on(DescribeExecutionCommand).resolves({ status: "PENDING_REDRIVE" });
    const mocked = {
      store: s3.store,
      ssm: ssmApi(client),
      sfn: sfnApi(sfnClient),
      defaultApp: "shop",
      local: true,
    };
    const execution = { id: EXECUTION_ARN, name: "exec-1", startTime: "2026-03-01T09:00:12.345Z" };
    await expect(validateInput({ input: { mode: "drill" }, execution }, mocked)).rejects.toMatchObject({
      name: "RecoveryInProgress",
      message: expect.stringMatching(/PENDING_REDRIVE/),
    });
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
    const execution = { id: EXECUTION_ARN, name: "exec-1", startTime: "2026-03-01T09:00:12.345Z" };
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
