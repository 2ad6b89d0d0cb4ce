import {
  GetParameterCommand,
  ParameterAlreadyExists,
  PutParameterCommand,
  SSMClient,
} from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ssmApi } from "../../../functions/shared/aws/ssm.js";
import { localContext } from "../../../functions/shared/middleware.js";
import { runSuffix } from "../../../functions/shared/naming.js";
import { handler } from "../../../functions/validateInput/handler.js";
import { validateInput } from "../../../functions/validateInput/validateInput.js";
import { appConfigInput, BUCKET, EXECUTION_ARN, memoryS3 } from "../../support/fixtures.js";

const execution = { id: EXECUTION_ARN, name: "exec-1", startTime: "2026-03-01T09:00:12.345Z" };

function setup() {
  const s3 = memoryS3();
  s3.putConfig();
  const client = new SSMClient({ region: "us-west-2" });
  const ssm = mockClient(client);
  const deps = { store: s3.store, ssm: ssmApi(client), defaultApp: "shop", local: true };
  return { s3, ssm, deps };
}

const alreadyExists = () =>
  new ParameterAlreadyExists({ message: "exists", $metadata: { httpStatusCode: 400 } });

describe("validateInput", () => {
  it("builds the run context and takes the lock", async () => {
    // Prepare
    const { ssm, deps } = setup();
    ssm.on(PutParameterCommand).resolves({ Version: 1 });
    // Act
    const run = await validateInput({ input: { mode: "drill", trigger: "schedule" }, execution }, deps);
    // Assess
    const suffix = runSuffix(EXECUTION_ARN);
    expect(run).toEqual({
      name: "drill-shop-20260301T0900Z",
      executionArn: EXECUTION_ARN,
      mode: "drill",
      trigger: "schedule",
      app: "shop",
      startedAt: "2026-03-01T09:00:12.345Z",
      restoreTo: "2026-03-01T09:00:12.345Z",
      dryRun: false,
      force: false,
      local: true,
      artifactsPrefix: "runs/drill-shop-20260301T0900Z/",
      parameterPrefix: "/drctl-drill/drill-shop-20260301T0900Z",
      stackName: `shop-dr-drill-${suffix}`,
      suffix,
    });
    const put = ssm.commandCalls(PutParameterCommand)[0]?.args[0].input;
    expect(put).toMatchObject({ Name: "/drctl/lock/shop", Value: run.name, Overwrite: false });
  });

  it("names failover stacks and prefixes like production and keeps an explicit restoreTo", async () => {
    const { ssm, deps } = setup();
    ssm.on(PutParameterCommand).resolves({ Version: 1 });
    const run = await validateInput(
      { input: { mode: "failover", restoreTo: "2026-03-01T08:30:00+01:00" }, execution },
      deps,
    );
    expect(run.name).toBe("failover-shop-20260301T0900Z");
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

  it("refuses when another run holds the lock", async () => {
    // Prepare
    const { ssm, deps } = setup();
    ssm.on(PutParameterCommand).rejects(alreadyExists());
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: "drill-shop-20260301T0800Z" } });
    // Act
    const err = await validateInput({ input: { mode: "drill" }, execution }, deps).catch((e: unknown) => e);
    // Assess
    expect((err as Error).name).toBe("RecoveryInProgress");
    expect((err as Error).message).toMatch(/drill-shop-20260301T0800Z/);
    expect(ssm.commandCalls(PutParameterCommand)).toHaveLength(1);
  });

  it("accepts its own lock on a retried invocation", async () => {
    const { ssm, deps } = setup();
    ssm.on(PutParameterCommand).rejects(alreadyExists());
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: "drill-shop-20260301T0900Z" } });
    const run = await validateInput({ input: { mode: "drill" }, execution }, deps);
    expect(run.name).toBe("drill-shop-20260301T0900Z");
  });

  it("takes the lock over with force", async () => {
    const { ssm, deps } = setup();
    ssm.on(PutParameterCommand, { Overwrite: false }).rejects(alreadyExists());
    ssm.on(PutParameterCommand, { Overwrite: true }).resolves({ Version: 2 });
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: "failover-shop-20260301T0800Z" } });
    await validateInput({ input: { mode: "failover", force: true }, execution }, deps);
    const overwrite = ssm.commandCalls(PutParameterCommand, { Overwrite: true });
    expect(overwrite).toHaveLength(1);
    expect(overwrite[0]?.args[0].input.Value).toBe("failover-shop-20260301T0900Z");
  });

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
});
