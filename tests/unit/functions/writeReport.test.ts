/**
 * WriteReport against the sandbox's World (tests/support/step-world.ts): the run's documents in the
 * World's artifacts bucket, the recovery lock an SSM parameter of the World, the step's calls signed
 * as the writeReport function under its synthesized IAM. The execution history stays a fixture
 * (the World does not model Step Functions; the sandbox's interpreter does).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { ArtifactStore } from "../../../functions/shared/artifacts.js";
import { localContext } from "../../../functions/shared/middleware.js";
import { lockParameter } from "../../../functions/shared/naming.js";
import { Report } from "../../../functions/shared/report/index.js";
import { handler } from "../../../functions/writeReport/handler.js";
import { type WriteReportDeps, writeReport } from "../../../functions/writeReport/writeReport.js";
import { runContext } from "../../support/fixtures.js";
import {
  drillHistory,
  drillState,
  integrationDocument,
  jobsDocument,
  planDocument,
  sfnWith,
} from "../../support/fixtures-report.js";
import { type StepWorld, stepWorld } from "../../support/step-world.js";

const RUN = runContext();
const LOCK = lockParameter(RUN.app);
let w: StepWorld;

beforeAll(async () => {
  w = await stepWorld("writeReport");
});
afterAll(async () => {
  await w.close();
});

/** The run's documents as the earlier steps left them (no cleanup.json), the lock held by `holder`. */
async function documents(holder: string | undefined) {
  await w.putJson(`${RUN.artifactsPrefix}plan.json`, planDocument());
  await w.putJson(`${RUN.artifactsPrefix}jobs.json`, jobsDocument());
  await w.putJson(`${RUN.artifactsPrefix}integration.json`, integrationDocument());
  await w.seed("s3", "DeleteObject", { Bucket: w.names.bucket, Key: `${RUN.artifactsPrefix}cleanup.json` });
  await w.seed("ssm", "DeleteParameter", { Name: LOCK }).catch(() => undefined);
  if (holder !== undefined) await lock(holder);
}

const lock = (value: string) =>
  w.seed("ssm", "PutParameter", { Name: LOCK, Value: value, Type: "String", Overwrite: true });
const parameter = async (name: string) =>
  (await w.seed("ssm", "GetParameter", { Name: name }).then(
    (out) => (out.Parameter as { Value: string }).Value,
    () => undefined,
  )) as string | undefined;
const text = async (key: string) => w.apis.s3.getText(w.names.bucket, key);

beforeEach(async () => {
  await documents(JSON.stringify({ executionArn: RUN.executionArn, run: RUN.name }));
});

function deps(): WriteReportDeps & { sfnMock: ReturnType<typeof sfnWith>["mock"] } {
  const sfn = sfnWith(drillHistory().events);
  return {
    store: w.store,
    sfn: sfn.api,
    sfnMock: sfn.mock,
    ssm: w.apis.ssm,
    now: w.now,
    config: w.config,
  };
}

/** The step's SSM requests since `mark` (w.requests().length before the act). */
const ssmCalls = (mark: number) =>
  w
    .requests()
    .slice(mark)
    .filter((r) => r.service === "ssm");

describe("writeReport", () => {
  it("writes report.json, report.md and report.html from the documents and the history", async () => {
    // Prepare
    const d = deps();
    const mark = w.requests().length;
    // Act
    const ref = await writeReport({ state: drillState(), final: false }, d);
    // Assess
    expect(ref).toEqual({
      reportKey: `${RUN.artifactsPrefix}report.json`,
      markdownKey: `${RUN.artifactsPrefix}report.md`,
      htmlKey: `${RUN.artifactsPrefix}report.html`,
      outcome: "SUCCEEDED",
      final: false,
    });
    const report = Report.parse(JSON.parse((await text(ref.reportKey)) ?? "null"));
    expect(report).toMatchObject({ outcome: "SUCCEEDED", rtoSeconds: 2260, rpoSeconds: 1500 });
    expect(report.cleanup).toMatchObject({ status: "PENDING", reason: "cleanup runs after this report" });
    expect(report.resources).toHaveLength(3);
    expect(await text(ref.markdownKey)).toContain("```mermaid\ngantt");
    expect(await text(ref.htmlKey)).toContain("<svg");
    expect(d.sfnMock.calls()[0]?.args[0].input).toMatchObject({ executionArn: RUN.executionArn });
    expect(ssmCalls(mark)).toEqual([]);
    expect(await parameter(LOCK)).toBeDefined();
  });

  it("final: includes cleanup and releases the lock this run holds", async () => {
    // Prepare
    await w.putJson(`${RUN.artifactsPrefix}cleanup.json`, {
      run: RUN.name,
      deleted: ["arn:aws:rds:us-west-2:111122223333:db:orders-db-3b5a1c"],
      leftovers: [],
      pending: [],
    });
    const mark = w.requests().length;
    // Act
    await writeReport({ state: drillState(), final: true }, deps());
    // Assess
    const report = Report.parse(JSON.parse((await text(`${RUN.artifactsPrefix}report.json`)) ?? "null"));
    expect(report.cleanup).toEqual({
      status: "COMPLETE",
      reason: null,
      deleted: ["arn:aws:rds:us-west-2:111122223333:db:orders-db-3b5a1c"],
      leftovers: [],
    });
    expect(
      ssmCalls(mark)
        .filter((r) => r.operation === "DeleteParameter")
        .map((r) => r.input),
    ).toEqual([{ Name: LOCK }]);
    expect(await parameter(LOCK)).toBeUndefined();
  });

  it("final: leaves a lock another execution holds, even one with this run's name", async () => {
    const other = JSON.stringify({ executionArn: `${RUN.executionArn}-other`, run: RUN.name });
    await lock(other);
    const mark = w.requests().length;
    await writeReport({ state: drillState(), final: true }, deps());
    expect(await parameter(LOCK)).toBe(other);
    const legacy = "drill-shop-20260301T1000Z"; // not a lock document (older drctl, hand-written)
    await lock(legacy);
    await writeReport({ state: drillState(), final: true }, deps());
    expect(await parameter(LOCK)).toBe(legacy);
    expect(ssmCalls(mark).filter((r) => r.operation === "DeleteParameter")).toEqual([]);
  });

  it("final: releases a lock it took over, with the takeover's claim", async () => {
    const takeover = "/drctl/lock-takeover/shop/0123456789abcdef0123456789abcdef";
    await w.seed("ssm", "PutParameter", { Name: takeover, Value: "claim", Type: "String", Overwrite: true });
    await lock(JSON.stringify({ executionArn: RUN.executionArn, run: RUN.name, takeover }));
    const mark = w.requests().length;
    await writeReport({ state: drillState(), final: true }, deps());
    expect(
      ssmCalls(mark)
        .filter((r) => r.operation === "DeleteParameter")
        .map((r) => r.input.Name),
    ).toEqual([LOCK, takeover]);
    expect(await parameter(LOCK)).toBeUndefined();
    expect(await parameter(takeover)).toBeUndefined();
  });

  it("final: a lock already gone (released by an earlier attempt) is no error", async () => {
    await documents(undefined);
    const ref = await writeReport({ state: drillState(), final: true }, deps());
    expect(ref.final).toBe(true);
    expect(await parameter(LOCK)).toBeUndefined();
  });

  it("reports a failure with its step and error", async () => {
    // Prepare
    const state = {
      ...drillState(),
      health: undefined,
      failure: {
        step: "ValidateHealth",
        error: { Error: "AppUnhealthy", Cause: "https://x/health answered HTTP 503" },
      },
    };
    // Act
    const ref = await writeReport({ state, final: true }, deps());
    // Assess
    expect(ref.outcome).toBe("FAILED");
    const report = Report.parse(JSON.parse((await text(ref.reportKey)) ?? "null"));
    expect(report).toMatchObject({
      outcome: "FAILED",
      failedStep: "ValidateHealth",
      error: { name: "AppUnhealthy", cause: "https://x/health answered HTTP 503" },
      rtoSeconds: null,
    });
  });
});

describe("writeReport: the integration document", () => {
  const key = `${RUN.artifactsPrefix}integration.json`;
  const reads = (mark: number) =>
    w
      .requests()
      .slice(mark)
      .filter((r) => r.operation === "GetObject" && r.input.Key === key);

  it("is not read again by FinalizeReport when $.recovery.integration names the version WriteReport saw", async () => {
    // Prepare
    const d = deps();
    await writeReport({ state: drillState(), final: false }, d);
    const version = d.store.seenVersion(key);
    expect(version).toBeDefined();
    const state = drillState();
    state.recovery.integration = { ...state.recovery.integration, version };
    const mark = w.requests().length;
    // Act
    await writeReport({ state, final: true }, d);
    // Assess
    expect(reads(mark)).toEqual([]);
  });

  it("is read when the run failed before Integrate: $.recovery.integration is the restore branch's start", async () => {
    // Prepare
    const state = {
      ...drillState(),
      health: undefined,
      failure: { step: "Integrate", error: { Error: "IntegrationFailed", Cause: "denied" } },
    };
    state.recovery.integration = { restoresSeen: 0, active: 0 } as never;
    const mark = w.requests().length;
    // Act
    const ref = await writeReport(
      { state, final: true },
      { ...deps(), store: new ArtifactStore(w.apis.s3, w.names.bucket) },
    );
    // Assess
    expect(ref.outcome).toBe("FAILED");
    expect(reads(mark)).toHaveLength(1);
    const report = Report.parse(JSON.parse((await text(ref.reportKey)) ?? "null"));
    expect(report.resources).toHaveLength(3);
  });
});

describe("writeReport handler", () => {
  it("rejects a bad event with InputInvalid", async () => {
    vi.stubEnv("ARTIFACTS_BUCKET", "drctl-artifacts-test");
    const err = await handler(
      { state: { run: { name: 3 } }, final: "yes" },
      localContext("writeReport"),
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "InputInvalid" });
    vi.unstubAllEnvs();
  });

  it("rejects a state without run", async () => {
    vi.stubEnv("ARTIFACTS_BUCKET", "drctl-artifacts-test");
    const err = await handler({ state: {}, final: true }, localContext("writeReport")).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ name: "InputInvalid" });
    expect((err as Error).message).toContain("writeReport input: state.run");
    vi.unstubAllEnvs();
  });
});
