/**
 * PlanRestores against the sandbox's World (tests/support/step-world.ts): the recovery vault holds
 * each scenario resource's copies as an explicit series (gaps, a copy still in flight, the tags of
 * each backup), and the step lists, selects and reads them through the product's wrappers, signed
 * as the planRestores function under its synthesized IAM. Each case plans with its own config (the
 * step's input; IAM does not depend on the resource list) over the one World, at t=0.
 */
import { EC2Client } from "@aws-sdk/client-ec2";
import { RDSClient } from "@aws-sdk/client-rds";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { handler } from "../../../functions/planRestores/handler.js";
import { type PlanRestoresDeps, planRestores } from "../../../functions/planRestores/planRestores.js";
import { copyTagsApi } from "../../../functions/shared/aws/copy-tags.js";
import { AppConfig, type AppConfigInput } from "../../../functions/shared/config.js";
import { localContext } from "../../../functions/shared/middleware.js";
import { PlanDocument, type RunContext } from "../../../functions/shared/types.js";
import type { ScenarioInput } from "../../../scripts/sandbox/scenario.js";
import { sourceArn, sourceId } from "../../../scripts/sandbox/world/naming.js";
import { BUCKET, runContext } from "../../support/fixtures.js";
import { type StepWorld, stepClient, stepWorld } from "../../support/step-world.js";

const T0 = Date.parse("2026-03-01T09:00:00Z");
const minutesAgo = (m: number) => new Date(T0 - m * 60_000);

const RESOURCES: ScenarioInput["resources"] = [
  // Newest COMPLETED 25 min old; a newer backup's copy has been in flight for 5 of its 30 minutes.
  {
    name: "orders-db",
    type: "rds",
    recoveryPoints: { points: [{ ageMinutes: 25 }, { ageMinutes: 85 }, { ageMinutes: 5, copyMinutes: 30 }] },
  },
  { name: "web-data", type: "ebs", recoveryPoints: { points: [{ ageMinutes: 40 }] } },
  {
    name: "shared-files",
    type: "efs",
    dependsOn: ["orders-db"],
    recoveryPoints: { points: [{ ageMinutes: 10 }, { ageMinutes: 70 }] },
  },
  // Backups stopped 10 hours ago (hourly copies until then).
  { name: "archive-data", type: "ebs", recoveryPoints: { count: 3, newestAgeMinutes: 600 } },
  // A new file system: its first copy is still in flight.
  { name: "new-files", type: "efs", recoveryPoints: { points: [{ ageMinutes: 5, copyMinutes: 60 }] } },
  // Found by tags: the newest copy's tags decide (each copy has its backup's tags).
  {
    name: "carts",
    type: "dynamodb",
    tags: { backup: "true", app: "shop" },
    recoveryPoints: { points: [{ ageMinutes: 15 }, { ageMinutes: 75, tags: { backup: "true" } }] },
  },
  {
    name: "other",
    type: "dynamodb",
    tags: { backup: "true", app: "blog" },
    recoveryPoints: {
      points: [{ ageMinutes: 15 }, { ageMinutes: 75, tags: { backup: "true", app: "shop" } }],
    },
  },
  // Tagged for the shop only from a backup whose copy is still in flight.
  {
    name: "sessions",
    type: "dynamodb",
    tags: { backup: "true", app: "shop" },
    recoveryPoints: {
      points: [
        { ageMinutes: 3, copyMinutes: 30 },
        { ageMinutes: 63, tags: { backup: "true" } },
      ],
    },
  },
  {
    name: "billing",
    type: "rds",
    tags: { cost: "ledger" },
    recoveryPoints: { points: [{ ageMinutes: 20 }] },
  },
  {
    name: "ledger-vol",
    type: "ebs",
    tags: { cost: "ledger" },
    recoveryPoints: { points: [{ ageMinutes: 20 }] },
  },
  {
    name: "ledger-host",
    type: "ec2",
    tags: { cost: "other" },
    recoveryPoints: { points: [{ ageMinutes: 20 }] },
  },
  {
    name: "ledger-files",
    type: "efs",
    tags: { cost: "ledger" },
    recoveryPoints: { points: [{ ageMinutes: 20 }] },
  },
];
const STANDARD = ["orders-db", "web-data", "shared-files"];

let w: StepWorld;
let deps: Omit<PlanRestoresDeps, "config">;
beforeAll(async () => {
  // drctl's config (as the sandbox derives it) lists the resources by name, except those it finds
  // by the ledger tag.
  w = await stepWorld("planRestores", {
    scenario: { resources: RESOURCES, selection: { tags: { cost: "ledger" } } },
  });
  deps = {
    backup: w.apis.backup,
    ec2: w.apis.ec2,
    copyTags: copyTagsApi({
      ec2: stepClient(w, "planRestores", EC2Client, "EC2"),
      rds: stepClient(w, "planRestores", RDSClient, "RDS"),
      backup: w.apis.backup,
    }),
    store: w.store,
    now: w.now,
  };
});
afterAll(async () => {
  await w.close();
});

/** The World's config with only `names` listed (in that order), no selection, and `overrides`. */
function configOf(names: string[], overrides: Partial<AppConfigInput> = {}): AppConfig {
  const resources = names.map((n) => {
    const r = w.config.resources.find((x) => x.name === n);
    if (!r) throw new Error(`no resource ${n} in the config`);
    return r;
  });
  return AppConfig.parse({ ...w.config, resources, selection: undefined, ...overrides });
}

/** Runs the step with `config`; `since(operation)` are its requests of this run only. */
async function plan(config: AppConfig, run: RunContext = runContext()) {
  const before = w.requests().length;
  const since = (operation: string) =>
    w
      .requests()
      .slice(before)
      .filter((r) => r.operation === operation);
  const outcome = await planRestores({ run }, { ...deps, config }).then(
    (summary) => ({ summary, error: undefined }),
    (error: Error) => ({ summary: undefined, error }),
  );
  const doc = async () => {
    if (!outcome.summary) throw new Error(`planRestores failed: ${outcome.error?.message}`);
    // Read with the seed client: the step's role may write the plan, not read it back.
    const out = await w.seed("s3", "GetObject", { Bucket: w.names.bucket, Key: outcome.summary.planKey });
    return PlanDocument.parse(JSON.parse(String(out.Body)));
  };
  return { ...outcome, doc, since };
}

/** The vault's copies of a resource, newest first, as the World lists them. */
async function pointsOf(name: string) {
  const out = await w.seed("backup", "ListRecoveryPointsByBackupVault", {
    BackupVaultName: w.scenario.vault,
    ByResourceArn: sourceArn(w.scenario, { name, type: resourceType(name) }),
  });
  return out.RecoveryPoints as { RecoveryPointArn: string; CreationDate: Date; Status: string }[];
}
const resourceType = (name: string) => RESOURCES.find((r) => r.name === name)?.type ?? "rds";
/** The ARN of the copy of `name` created `age` minutes before t=0. */
async function pointAt(name: string, age: number): Promise<string> {
  const rp = (await pointsOf(name)).find((p) => +new Date(p.CreationDate) === +minutesAgo(age));
  if (!rp) throw new Error(`no copy of ${name} ${age} min old`);
  return rp.RecoveryPointArn;
}

describe("planRestores", () => {
  it("plans the newest COMPLETED point per resource, in dependency order, into the DR network", async () => {
    // Prepare: orders-db's newest copy (5 min) is still CREATING
    const run = runContext();
    expect((await pointsOf("orders-db")).map((p) => p.Status)).toEqual([
      "CREATING",
      "COMPLETED",
      "COMPLETED",
    ]);
    // Act
    const { summary, doc, since } = await plan(configOf(STANDARD), run);
    // Assess
    expect(summary).toEqual({
      planKey: `${run.artifactsPrefix}plan.json`,
      total: 3,
      worstRpoSeconds: 2400,
      rpoExceeded: [],
    });
    const restores = (await doc()).restores;
    expect(restores.map((r) => [r.name, r.recoveryPointArn, r.rpoSeconds])).toEqual([
      ["orders-db", await pointAt("orders-db", 25), 1500],
      ["web-data", await pointAt("web-data", 40), 2400],
      ["shared-files", await pointAt("shared-files", 10), 600],
    ]);
    const [db, volume, files] = restores;
    expect(db?.targetName).toBe(`orders-db-${run.suffix}`);
    expect(db?.metadata).toMatchObject({
      DBInstanceIdentifier: `orders-db-${run.suffix}`,
      DBSubnetGroupName: "dr-db-subnets",
      VpcSecurityGroupIds: '["sg-0drdb"]',
      DeletionProtection: "false",
      Engine: "postgres",
    });
    // The primary's AZ, parameter and option groups and KMS keys are not in the recovery region.
    for (const key of ["AvailabilityZone", "DBParameterGroupName", "OptionGroupName", "KmsKeyId"]) {
      expect(db?.metadata).not.toHaveProperty(key);
    }
    expect(volume?.metadata).toMatchObject({ availabilityZone: "us-west-2a", volumeType: "gp3" });
    expect(volume?.metadata).not.toHaveProperty("kmsKeyId");
    expect(files?.metadata).toMatchObject({
      newFileSystem: "true",
      CreationToken: `shared-files-${run.suffix}`,
    });
    // One listing of the vault's recent window covers every resource (not one call per resource).
    const listings = since("ListRecoveryPointsByBackupVault").map((r) => r.input);
    expect(listings).toHaveLength(1);
    expect(listings[0]).toMatchObject({ BackupVaultName: "dr-vault", MaxResults: 1000 });
    expect(listings[0]?.ByResourceArn).toBeUndefined();
    expect(listings[0]?.ByCreatedBefore).toBeDefined();
    expect(listings[0]?.ByCreatedAfter).toBeDefined();
  });

  it("still plans and writes the document for a dry run", async () => {
    const run = runContext({ dryRun: true });
    const { summary, doc, since } = await plan(configOf(STANDARD), run);
    expect(since("PutObject").map((r) => r.input.Key)).toEqual([summary?.planKey]);
    expect((await doc()).run).toBe(run.name);
  });

  it("restores to an earlier point in time when restoreTo says so", async () => {
    const run = runContext({ restoreTo: minutesAgo(30).toISOString(), force: true });
    const { doc } = await plan(configOf(STANDARD), run);
    const restores = (await doc()).restores;
    expect(restores[2]).toMatchObject({
      name: "shared-files",
      recoveryPointArn: await pointAt("shared-files", 70),
      rpoSeconds: 40 * 60,
    });
    expect(restores[0]).toMatchObject({
      name: "orders-db",
      recoveryPointArn: await pointAt("orders-db", 85),
      rpoSeconds: 55 * 60,
    });
  });

  it("stops with RpoExceeded naming the resource, its recovery point time and the objective", async () => {
    // Act
    const { error, since } = await plan(configOf(["orders-db", "archive-data", "shared-files"]));
    // Assess
    expect(error?.name).toBe("RpoExceeded");
    expect(error?.message).toMatch(/RPO objective 60 min/);
    expect(error?.message).toMatch(
      /archive-data: newest recovery point 2026-02-28T23:00:00.000Z \(600 min\)/,
    );
    expect(error?.message).not.toMatch(/orders-db/);
    expect(since("PutObject")).toEqual([]);
  });

  it("records an exceeded RPO and continues when forced", async () => {
    const config = configOf(["orders-db", "archive-data", "shared-files"]);
    const { summary, since } = await plan(config, runContext({ force: true }));
    expect(summary).toMatchObject({ rpoExceeded: ["archive-data"], worstRpoSeconds: 36000, total: 3 });
    // Nothing of archive-data in the recent window: only it is listed on its own.
    const byArn = since("ListRecoveryPointsByBackupVault").flatMap((r) =>
      r.input.ByResourceArn ? [r.input.ByResourceArn] : [],
    );
    expect(byArn).toEqual([sourceArn(w.scenario, { name: "archive-data", type: "ebs" })]);
  });

  it("fails with NoRecoveryPoint when a resource's only copy is still CREATING", async () => {
    expect((await pointsOf("new-files")).map((p) => p.Status)).toEqual(["CREATING"]);
    const { error } = await plan(configOf(["orders-db", "new-files"]));
    expect(error).toMatchObject({
      name: "NoRecoveryPoint",
      message: expect.stringMatching(/new-files \(arn:aws:elasticfilesystem/),
    });
    expect(error?.message).not.toMatch(/orders-db/);
  });

  it("selects resources by the tags of their newest copy and names them from their ARN", async () => {
    // Prepare: carts' newest copy has both tags (its older one not); other's older one only;
    // sessions' newest COMPLETED copy lacks app=shop (the CREATING one has it)
    const run = runContext();
    const config = configOf([], { selection: { tags: { app: "shop", backup: "true" } } });
    // Act
    const { doc } = await plan(config, run);
    // Assess
    const restores = (await doc()).restores;
    expect(restores).toHaveLength(1);
    expect(restores[0]).toMatchObject({
      name: "carts",
      type: "dynamodb",
      recoveryPointArn: await pointAt("carts", 15),
      metadata: { targetTableName: `carts-${run.suffix}` },
    });
  });

  it("selects by the tags each copy carries in the recovery region, read from the service that owns it", async () => {
    // Prepare: RDS and EBS/EC2 copies are not AWS Backup ARNs; ListTags on them fails on AWS.
    expect(w.config.resources.map((r) => r.name)).not.toContain("billing");
    const config = configOf([], { selection: w.config.selection });
    expect(config.selection).toEqual({ tags: { cost: "ledger" } });
    // Act
    const { doc, since } = await plan(config);
    // Assess
    const id = (name: string, type: "ebs" | "efs") => sourceId(w.scenario, { name, type });
    expect((await doc()).restores.map((r) => [r.name, r.type]).sort()).toEqual(
      [
        ["billing", "rds"],
        [id("ledger-files", "efs"), "efs"],
        [id("ledger-vol", "ebs"), "ebs"],
      ].sort(),
    );
    const listTags = since("ListTags");
    expect(listTags.length).toBeGreaterThan(0);
    expect(listTags.filter((r) => !String(r.input.ResourceArn).startsWith("arn:aws:backup:"))).toEqual([]);
    expect(listTags.map((r) => r.input.ResourceArn)).toContain(await pointAt("ledger-files", 20));
    expect(since("ListTagsForResource").map((r) => r.input.ResourceName)).toContain(
      await pointAt("billing", 20),
    );
    expect(since("DescribeImages")).toHaveLength(1);
    expect(since("DescribeSnapshots")).toHaveLength(1);
  });

  it("lets config restoreMetadata win over the computed metadata", async () => {
    const config = configOf(STANDARD);
    const resources = config.resources.map((r) =>
      r.name === "orders-db"
        ? { ...r, restoreMetadata: { DBInstanceClass: "db.t3.medium", MultiAZ: "false" } }
        : r,
    );
    const { doc } = await plan({ ...config, resources });
    expect((await doc()).restores[0]?.metadata).toMatchObject({
      DBInstanceClass: "db.t3.medium",
      MultiAZ: "false",
    });
  });

  it("rejects a dependsOn cycle with ConfigInvalid", async () => {
    const config = configOf(STANDARD);
    const resources = config.resources.map((r) =>
      r.name === "orders-db" ? { ...r, dependsOn: ["shared-files"] } : r,
    );
    const { error } = await plan({ ...config, resources });
    expect(error).toMatchObject({ name: "ConfigInvalid", message: expect.stringMatching(/cycle/) });
  });

  it("rejects a DR network whose subnets are in another VPC with ConfigInvalid", async () => {
    const config = configOf(STANDARD);
    const { error, since } = await plan({ ...config, network: { ...config.network, vpcId: "vpc-0other" } });
    expect(error).toMatchObject({
      name: "ConfigInvalid",
      message: expect.stringMatching(/subnet subnet-0dra is in vpc-0dr, not vpc-0other/),
    });
    expect(since("PutObject")).toEqual([]);
  });
});

describe("planRestores handler", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("rejects a malformed event with InputInvalid", async () => {
    vi.stubEnv("ARTIFACTS_BUCKET", BUCKET);
    await expect(
      handler({ run: { ...runContext(), mode: "test" } }, localContext("planRestores")),
    ).rejects.toMatchObject({
      name: "InputInvalid",
      message: expect.stringMatching(/run.mode/),
    });
  });
});
