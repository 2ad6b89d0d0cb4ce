import { DeleteParameterCommand, GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { ssmApi } from "../../../functions/shared/aws/ssm.js";
import { localContext } from "../../../functions/shared/middleware.js";
import { Report } from "../../../functions/shared/report/index.js";
import { handler } from "../../../functions/writeReport/handler.js";
import { type WriteReportDeps, writeReport } from "../../../functions/writeReport/writeReport.js";
import { type MemoryS3, memoryS3, runContext } from "../../support/fixtures.js";
import {
  awsError,
  drillHistory,
  drillState,
  integrationDocument,
  jobsDocument,
  planDocument,
  sfnWith,
} from "../../support/fixtures-report.js";

const RUN = runContext();
const LOCK = "/drctl/lock/shop";
const ssm = mockClient(new SSMClient({ region: "us-west-2" }));
let s3: MemoryS3;
let lockHolder: string | undefined;

beforeEach(() => {
  ssm.reset();
  s3 = memoryS3();
  s3.putConfig();
  s3.putJson(`${RUN.artifactsPrefix}plan.json`, planDocument());
  s3.putJson(`${RUN.artifactsPrefix}jobs.json`, jobsDocument());
  s3.putJson(`${RUN.artifactsPrefix}integration.json`, integrationDocument());
  lockHolder = JSON.stringify({ executionArn: RUN.executionArn, run: RUN.name });
  ssm.on(GetParameterCommand).callsFake(() => {
    if (lockHolder === undefined) throw awsError("ParameterNotFound", "not found");
    return { Parameter: { Name: LOCK, Value: lockHolder } };
  });
  ssm.on(DeleteParameterCommand).resolves({});
});

function deps(): WriteReportDeps & { sfnMock: ReturnType<typeof sfnWith>["mock"] } {
  const sfn = sfnWith(drillHistory().events);
  return {
    store: s3.store,
    sfn: sfn.api,
    sfnMock: sfn.mock,
    ssm: ssmApi(ssm as unknown as SSMClient),
    now: () => new Date(),
    config: s3.config(),
  };
}

describe("writeReport", () => {
  it("writes report.json, report.md and report.html from the documents and the history", async () => {
    // Prepare
    const d = deps();
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
    const report = Report.parse(s3.getJson(ref.reportKey));
    expect(report).toMatchObject({ outcome: "SUCCEEDED", rtoSeconds: 2260, rpoSeconds: 1500 });
    expect(report.cleanup).toMatchObject({ status: "PENDING", reason: "cleanup runs after this report" });
    expect(report.resources).toHaveLength(3);
    expect(s3.objects.get(`${s3.bucket}/${ref.markdownKey}`)).toContain("```mermaid\ngantt");
    expect(s3.objects.get(`${s3.bucket}/${ref.htmlKey}`)).toContain("<svg");
    expect(d.sfnMock.calls()[0]?.args[0].input).toMatchObject({ executionArn: RUN.executionArn });
    expect(ssm.calls()).toHaveLength(0);
  });

  it("final: includes cleanup and releases the lock this run holds", async () => {
    // Prepare
    s3.putJson(`${RUN.artifactsPrefix}cleanup.json`, {
      run: RUN.name,
      deleted: ["arn:aws:rds:us-west-2:111122223333:db:orders-db-3b5a1c"],
      leftovers: [],
      pending: [],
    });
    // Act
    await writeReport({ state: drillState(), final: true }, deps());
    // Assess
    const report = Report.parse(s3.getJson(`${RUN.artifactsPrefix}report.json`));
    expect(report.cleanup).toEqual({
      status: "COMPLETE",
      reason: null,
      deleted: ["arn:aws:rds:us-west-2:111122223333:db:orders-db-3b5a1c"],
      leftovers: [],
    });
    expect(ssm.commandCalls(DeleteParameterCommand)[0]?.args[0].input).toEqual({ Name: LOCK });
  });

  it("final: leaves a lock another execution holds, even one with this run's name", async () => {
    lockHolder = JSON.stringify({ executionArn: `${RUN.executionArn}-other`, run: RUN.name });
    await writeReport({ state: drillState(), final: true }, deps());
    lockHolder = "drill-shop-20260301T1000Z"; // not a lock document (older drctl, hand-written)
    await writeReport({ state: drillState(), final: true }, deps());
    expect(ssm.commandCalls(DeleteParameterCommand)).toHaveLength(0);
  });

  it("final: releases a lock it took over, with the takeover's claim", async () => {
    const takeover = "/drctl/lock-takeover/shop/0123456789abcdef0123456789abcdef";
    lockHolder = JSON.stringify({ executionArn: RUN.executionArn, run: RUN.name, takeover });
    await writeReport({ state: drillState(), final: true }, deps());
    expect(ssm.commandCalls(DeleteParameterCommand).map((c) => c.args[0].input.Name)).toEqual([
      LOCK,
      takeover,
    ]);
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
    const report = Report.parse(s3.getJson(ref.reportKey));
    expect(report).toMatchObject({
      outcome: "FAILED",
      failedStep: "ValidateHealth",
      error: { name: "AppUnhealthy", cause: "https://x/health answered HTTP 503" },
      rtoSeconds: null,
    });
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
