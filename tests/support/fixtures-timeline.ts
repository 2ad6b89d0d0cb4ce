/** Reports for the renderer tests: the fixture drill, and the same drill with many resources. */
import { RESOURCE_TYPES } from "../../functions/shared/config.js";
import {
  buildReport,
  type Report,
  type ReportResource,
  StateSnapshot,
} from "../../functions/shared/report/index.js";
import { appConfig, runContext } from "./fixtures.js";
import {
  drillHistory,
  drillState,
  integrationDocument,
  iso,
  jobsDocument,
  planDocument,
  sfnWith,
} from "./fixtures-report.js";

/** The fixture drill (orders-db, web-data, shared-files), final, with one deleted resource. */
export async function drillReport(): Promise<Report> {
  const history = await sfnWith(drillHistory().events).api.getExecutionHistory("arn");
  return buildReport({
    run: runContext(),
    config: appConfig(),
    state: StateSnapshot.parse(drillState()),
    history,
    plan: planDocument(),
    jobs: jobsDocument(),
    integration: integrationDocument(),
    cleanup: {
      run: "r",
      deleted: ["arn:aws:rds:us-west-2:111122223333:db:orders-db-3b5a1c"],
      leftovers: [],
      pending: [],
    },
    final: true,
    now: history[history.length - 1]?.timestamp ?? new Date(),
  });
}

/**
 * Resource `i` of a generated drill: types in turn (rds, aurora, ebs, ec2, efs, dynamodb), restore
 * from t=10 s for 600 + (i·37 mod 1800) s, integrated at 2200 s, named `<type>-<i>`.
 */
export function generatedResource(i: number, overrides: Partial<ReportResource> = {}): ReportResource {
  const type = RESOURCE_TYPES[i % RESOURCE_TYPES.length] ?? "rds";
  const restoreSeconds = 600 + ((i * 37) % 1800);
  const name = `${type}-${String(i).padStart(4, "0")}`;
  return {
    name,
    type,
    recoveryPointArn: `arn:aws:backup:us-west-2:111122223333:recovery-point:${name}`,
    recoveryPointCreatedAt: iso(-1200),
    rpoSeconds: 1200,
    restoreJobId: `job-${name}`,
    status: "COMPLETED",
    restoreSeconds,
    restoredArn: `arn:aws:rds:us-west-2:111122223333:db:${name}-3b5a1c`,
    integratedAt: iso(2200),
    attempts: 1,
    restoreCreatedAt: iso(10),
    restoreCompletedAt: iso(10 + restoreSeconds),
    noticedAt: iso(40 + restoreSeconds),
    detectionGapSeconds: 30,
    ...overrides,
  };
}

/** The fixture drill's report with `n` generated resources instead of its three. */
export async function reportWith(n: number, change: (r: ReportResource) => ReportResource = (r) => r) {
  const base = await drillReport();
  return { ...base, resources: Array.from({ length: n }, (_, i) => change(generatedResource(i))) };
}
