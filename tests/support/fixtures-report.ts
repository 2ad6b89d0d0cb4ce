/**
 * Fixtures for the integrate … notify tests: SDK-shaped Step Functions histories (served through
 * the real sfnApi over a mocked SFNClient), run documents, and SDK-shaped errors.
 */
import { GetExecutionHistoryCommand, type HistoryEvent, SFNClient } from "@aws-sdk/client-sfn";
import { mockClient } from "aws-sdk-client-mock";
import { type SfnApi, sfnApi } from "../../functions/shared/aws/sfn.js";
import type {
  IntegrationDocument,
  IntegrationProgress,
  JobsDocument,
  PlanDocument,
  PlannedRestore,
  RestoreJobRecord,
  RunContext,
} from "../../functions/shared/types.js";
import { ACCOUNT, RECOVERY_REGION, RUN_NAME, runContext, SOURCE_ARNS, STARTED_AT } from "./fixtures.js";

/** An error shaped like an SDK v3 service exception (name = AWS error code). */
export function awsError(code: string, message: string, status = 400): Error {
  return Object.assign(new Error(message), {
    name: code,
    $fault: status >= 500 ? "server" : "client",
    $metadata: { httpStatusCode: status },
  });
}

export const at = (seconds: number, start = STARTED_AT): Date => new Date(Date.parse(start) + seconds * 1000);
export const iso = (seconds: number, start = STARTED_AT): string => at(seconds, start).toISOString();

/**
 * Builds an SDK-shaped execution history. Each state event is chained to the previous event of
 * the same state (previousEventId), as Step Functions does.
 */
export class HistoryBuilder {
  readonly events: HistoryEvent[] = [];
  private readonly lastOf = new Map<string, number>();

  constructor(readonly start = STARTED_AT) {
    this.push(0, { type: "ExecutionStarted", executionStartedEventDetails: { input: '{"mode":"drill"}' } });
  }

  private push(seconds: number, e: Partial<HistoryEvent>, state?: string): this {
    const id = this.events.length + 1;
    const prev = state ? this.lastOf.get(state) : this.events.length || undefined;
    this.events.push({
      id,
      timestamp: at(seconds, this.start),
      type: undefined,
      ...e,
      previousEventId: prev ?? 0,
    });
    if (state) this.lastOf.set(state, id);
    return this;
  }

  /** `<Kind>StateEntered` (Task by default) with an input payload of `bytes` bytes. */
  enter(state: string, seconds: number, kind = "Task", bytes = 100): this {
    return this.push(
      seconds,
      {
        type: `${kind}StateEntered` as HistoryEvent["type"],
        stateEnteredEventDetails: { name: state, input: "x".repeat(bytes) },
      },
      state,
    );
  }

  exit(state: string, seconds: number, kind = "Task", bytes = 100): this {
    return this.push(
      seconds,
      {
        type: `${kind}StateExited` as HistoryEvent["type"],
        stateExitedEventDetails: { name: state, output: "y".repeat(bytes) },
      },
      state,
    );
  }

  /** A Task that ran from `from` to `to` (entered, Lambda scheduled/started/succeeded, exited). */
  task(state: string, from: number, to: number, bytes = 100): this {
    this.enter(state, from, "Task", bytes);
    this.push(
      from,
      { type: "LambdaFunctionScheduled", lambdaFunctionScheduledEventDetails: { resource: "arn" } },
      state,
    );
    this.push(from, { type: "LambdaFunctionStarted" }, state);
    this.push(
      to,
      { type: "LambdaFunctionSucceeded", lambdaFunctionSucceededEventDetails: { output: "{}" } },
      state,
    );
    return this.exit(state, to, "Task", bytes);
  }

  /** A Task whose Lambda failed with `error` (caught: no exit event). */
  failTask(state: string, from: number, to: number, error: string, cause = "{}"): this {
    this.enter(state, from);
    this.push(
      from,
      { type: "LambdaFunctionScheduled", lambdaFunctionScheduledEventDetails: { resource: "arn" } },
      state,
    );
    this.push(from, { type: "LambdaFunctionStarted" }, state);
    return this.push(
      to,
      { type: "LambdaFunctionFailed", lambdaFunctionFailedEventDetails: { error, cause } },
      state,
    );
  }

  wait(state: string, from: number, to: number): this {
    return this.enter(state, from, "Wait").exit(state, to, "Wait");
  }

  pass(state: string, seconds: number): this {
    return this.enter(state, seconds, "Pass").exit(state, seconds, "Pass");
  }

  choice(state: string, seconds: number): this {
    return this.enter(state, seconds, "Choice").exit(state, seconds, "Choice");
  }

  parallelFailed(state: string, seconds: number, error: string): this {
    return this.push(
      seconds,
      { type: "ParallelStateFailed" as HistoryEvent["type"], executionFailedEventDetails: { error } },
      state,
    );
  }

  end(seconds: number, type: "ExecutionSucceeded" | "ExecutionFailed" = "ExecutionSucceeded"): this {
    return this.push(seconds, { type });
  }
}

/** The real sfnApi over a mocked SFNClient that serves `events` (two pages). */
export function sfnWith(events: HistoryEvent[]): { api: SfnApi; mock: ReturnType<typeof mockClient> } {
  const client = new SFNClient({ region: RECOVERY_REGION });
  const mock = mockClient(client);
  const half = Math.ceil(events.length / 2);
  mock
    .on(GetExecutionHistoryCommand)
    .callsFake((input: { nextToken?: string }) =>
      input.nextToken === "page2"
        ? { events: events.slice(half) }
        : { events: events.slice(0, half), ...(events.length > half && { nextToken: "page2" }) },
    );
  return { api: sfnApi(client), mock: mock as unknown as ReturnType<typeof mockClient> };
}

/**
 * A successful drill, times in seconds from the start: lock 0-2, deploy 3-543 (stack 540 s),
 * plan 3-10, restore 10-2115 (orders-db 2100 s, web-data 300 s), integrate 2116-2200,
 * validate 2201-2260, report 2261-.
 */
export function drillHistory(): HistoryBuilder {
  const h = new HistoryBuilder();
  h.task("ValidateInput", 0, 2).choice("FailoverOrDrill", 2).choice("DryRun?", 2);
  h.enter("Recover", 3, "Parallel");
  h.task("DeployStack", 3, 5).choice("StackReady?", 5);
  h.task("PlanRestores", 3, 10, 4000);
  h.task("StartRestores", 10, 15).choice("RestoresDone?", 15);
  h.wait("WaitForStack", 5, 300).task("CheckStack", 300, 301).choice("StackReady?", 301);
  h.wait("WaitForStack", 301, 542)
    .task("CheckStack", 542, 543)
    .choice("StackReady?", 543)
    .pass("StackDeployed", 543);
  h.wait("WaitForRestores", 15, 2100).task("PollRestores", 2100, 2115).choice("RestoresDone?", 2115);
  h.pass("RestoresFinished", 2115).exit("Recover", 2115, "Parallel");
  h.task("Integrate", 2116, 2120).choice("IntegrationDone?", 2120);
  h.wait("WaitForIntegration", 2120, 2180).task("Integrate", 2180, 2200).choice("IntegrationDone?", 2200);
  h.task("ValidateHealth", 2201, 2260, 9120).choice("RouteTraffic?", 2260);
  h.enter("WriteReport", 2261);
  return h;
}

export function planned(
  overrides: Partial<PlannedRestore> & Pick<PlannedRestore, "name" | "type">,
): PlannedRestore {
  return {
    sourceArn: `arn:aws:rds:us-east-1:${ACCOUNT}:db:${overrides.name}`,
    recoveryPointArn: `arn:aws:backup:${RECOVERY_REGION}:${ACCOUNT}:recovery-point:${overrides.name}-rp`,
    recoveryPointCreatedAt: iso(-1500),
    rpoSeconds: 1500,
    targetName: `${overrides.name}-3b5a1c`,
    dependsOn: [],
    metadata: {},
    ...overrides,
  };
}

/** Plan of the default config: orders-db (rds), web-data (ebs), shared-files (efs, after orders-db). */
export function planDocument(restores?: PlannedRestore[]): PlanDocument {
  return {
    run: RUN_NAME,
    createdAt: iso(10),
    restores: restores ?? [
      planned({ name: "orders-db", type: "rds", sourceArn: SOURCE_ARNS.ordersDb, rpoSeconds: 1500 }),
      planned({ name: "web-data", type: "ebs", sourceArn: SOURCE_ARNS.webData, rpoSeconds: 900 }),
      planned({
        name: "shared-files",
        type: "efs",
        sourceArn: SOURCE_ARNS.sharedFiles,
        rpoSeconds: 600,
        dependsOn: ["orders-db"],
      }),
    ],
  };
}

export const RESTORED = {
  ordersDb: `arn:aws:rds:${RECOVERY_REGION}:${ACCOUNT}:db:orders-db-3b5a1c`,
  webData: `arn:aws:ec2:${RECOVERY_REGION}:${ACCOUNT}:volume/vol-0dr00000000000001`,
  sharedFiles: `arn:aws:elasticfilesystem:${RECOVERY_REGION}:${ACCOUNT}:file-system/fs-0dr0000000000001`,
} as const;

export function job(
  overrides: Partial<RestoreJobRecord> & Pick<RestoreJobRecord, "name" | "type">,
): RestoreJobRecord {
  return {
    recoveryPointArn: `arn:aws:backup:${RECOVERY_REGION}:${ACCOUNT}:recovery-point:${overrides.name}-rp`,
    restoreJobId: `job-${overrides.name}`,
    attempt: 1,
    status: "COMPLETED",
    startedAt: iso(10),
    completedAt: iso(310),
    previousJobIds: [],
    ...overrides,
  };
}

/** Jobs of planDocument(): orders-db 2100 s, web-data 300 s, shared-files 900 s. */
export function jobsDocument(jobs?: RestoreJobRecord[]): JobsDocument {
  return {
    run: RUN_NAME,
    jobs: jobs ?? [
      job({ name: "orders-db", type: "rds", completedAt: iso(2110), createdResourceArn: RESTORED.ordersDb }),
      job({ name: "web-data", type: "ebs", completedAt: iso(310), createdResourceArn: RESTORED.webData }),
      job({
        name: "shared-files",
        type: "efs",
        completedAt: iso(910),
        createdResourceArn: RESTORED.sharedFiles,
      }),
    ],
  };
}

/** Integration: orders-db 2116-2120, web-data 2116-2180, shared-files (after orders-db) 2120-2200. */
export function integrationDocument(): IntegrationDocument {
  return {
    run: RUN_NAME,
    resources: [
      {
        name: "orders-db",
        status: "DONE",
        restoredArn: RESTORED.ordersDb,
        actions: [],
        parameters: [`/drctl-drill/${RUN_NAME}/shop/db/endpoint`],
        startedAt: iso(2116),
        integratedAt: iso(2120),
      },
      {
        name: "web-data",
        status: "DONE",
        restoredArn: RESTORED.webData,
        actions: [],
        parameters: [],
        startedAt: iso(2116),
        integratedAt: iso(2180),
      },
      {
        name: "shared-files",
        status: "DONE",
        restoredArn: RESTORED.sharedFiles,
        actions: [],
        parameters: [`/drctl-drill/${RUN_NAME}/shop/efs/id`],
        startedAt: iso(2120),
        integratedAt: iso(2200),
      },
    ],
  };
}

/** The state a WriteReport of a successful drill receives. */
export function drillState(run: RunContext = runContext()) {
  return {
    mode: "drill",
    run,
    recovery: {
      stack: {
        stackId: `arn:aws:cloudformation:${RECOVERY_REGION}:${ACCOUNT}:stack/${run.stackName}/1`,
        status: "CREATE_COMPLETE",
        done: true,
        waitSeconds: 30,
        startedAt: iso(3),
        completedAt: iso(543),
      },
      plan: { planKey: `${run.artifactsPrefix}plan.json`, total: 3, worstRpoSeconds: 1500, rpoExceeded: [] },
      restores: {
        jobsKey: `${run.artifactsPrefix}jobs.json`,
        total: 3,
        completed: 3,
        running: 0,
        failed: 0,
        allTerminal: true,
        waitSeconds: 30,
        ticks: 2,
      },
      integration: {
        integrationKey: `${run.artifactsPrefix}integration.json`,
        total: 3,
        done: 3,
        pending: 0,
        allDone: true,
        waitSeconds: 1,
      } as IntegrationProgress,
    },
    health: { url: "https://shop-dr.example.com/health", status: 200, checkedAt: iso(2260) },
  };
}
