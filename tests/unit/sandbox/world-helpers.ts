import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
/** Test helpers for the sandbox world: build a world from a scenario and call it like the wire layer does. */
import { VirtualClock } from "../../../scripts/sandbox/clock.js";
import { functionCredentials } from "../../../scripts/sandbox/iam/principals.js";
import {
  loadScenario,
  parseScenario,
  type Scenario,
  type ScenarioInput,
} from "../../../scripts/sandbox/scenario.js";
import { scenarioFrame } from "../../../scripts/sandbox/scenario-frame.js";
import type { SandboxError, SandboxOutput, ServiceName } from "../../../scripts/sandbox/types.js";
import { conform } from "../../../scripts/sandbox/wire/conform.js";
import { modelFromModule } from "../../../scripts/sandbox/wire/schema.js";
import { SERVICE_SPECS } from "../../../scripts/sandbox/wire/services.js";
import { createWorld, type World } from "../../../scripts/sandbox/world/index.js";
import type { FunctionKey } from "../../../state-machines/names.js";

/** The project's example scenarios (scenarios/ at the repository root). */
export const EXAMPLES = fileURLToPath(new URL("../../../scenarios/", import.meta.url));

export interface Harness {
  scenario: Scenario;
  clock: VirtualClock;
  world: World;
  /** Calls the world; region defaults to the scenario's recovery region. */
  call(
    service: ServiceName,
    operation: string,
    input?: Record<string, unknown>,
    region?: string,
  ): Promise<SandboxOutput>;
  /** The SandboxError a call throws (fails the test when it succeeds). */
  fail(
    service: ServiceName,
    operation: string,
    input?: Record<string, unknown>,
    region?: string,
  ): Promise<SandboxError>;
}

/**
 * A world for a scenario. `step`: every call is signed as that step's function (scenario call
 * faults hit only drctl's steps); without it, calls come from an in-process client, as the runner's.
 */
export function harness(scenario: Scenario, port = 4566, step?: FunctionKey): Harness {
  const clock = new VirtualClock(scenario.start);
  const world = createWorld(scenario, clock, { port });
  const caller = step === undefined ? {} : { accessKeyId: functionCredentials(step).accessKeyId };
  const call: Harness["call"] = async (
    service,
    operation,
    input = {},
    region = scenario.regions.recovery,
  ) => {
    const output = await world.call({ service, operation, region, input }, caller);
    RECORDED.push({ service, operation, output });
    return output;
  };
  return {
    scenario,
    clock,
    world,
    call,
    async fail(service, operation, input = {}, region) {
      try {
        await call(service, operation, input, region);
      } catch (err) {
        return err as SandboxError;
      }
      throw new Error(`${service}:${operation} succeeded but was expected to fail`);
    },
  };
}

/** The DR app template the examples deploy (templates/dr-app.yaml). */
export const DR_APP_TEMPLATE = readFileSync(
  fileURLToPath(new URL("../../../templates/dr-app.yaml", import.meta.url)),
  "utf8",
);

/** Uploads a template (default: the DR app template) to the sandbox's S3; returns its path-style URL. */
export async function putTemplate(h: Harness, body = DR_APP_TEMPLATE, key = "dr-app.yaml"): Promise<string> {
  if (!h.world.s3.has("dr-templates-111122223333")) {
    await h.call("s3", "CreateBucket", {
      Bucket: "dr-templates-111122223333",
      CreateBucketConfiguration: { LocationConstraint: "us-west-2" },
    });
  }
  await h.call("s3", "PutObject", { Bucket: "dr-templates-111122223333", Key: key, Body: body });
  return `https://s3.us-west-2.amazonaws.com/dr-templates-111122223333/${key}`;
}

/** The DR app template's network parameters for the unit scenario (what configFromScenario passes). */
export const NETWORK_PARAMETERS = [
  { ParameterKey: "VpcId", ParameterValue: "vpc-0dr" },
  { ParameterKey: "SubnetIds", ParameterValue: "subnet-0dra,subnet-0drb" },
];

export async function exampleHarness(file: string): Promise<Harness> {
  return harness(await loadScenario(`${EXAMPLES}${file}`));
}

/** A small valid scenario, with overrides. */
export function scenarioOf(overrides: Partial<ScenarioInput> = {}): Scenario {
  return parseScenario({
    name: "unit",
    ...scenarioFrame({
      stackName: "shop-dr",
      record: "app.example.com.",
      primaryTarget: "primary-alb-123.us-east-1.elb.amazonaws.com",
    }),
    objectives: { rtoMinutes: 240, rpoMinutes: 60 },
    resources: [
      {
        name: "orders-db",
        type: "rds",
        tags: { app: "shop" },
        recoveryPoints: { count: 5, newestAgeMinutes: 25 },
        restoreSeconds: 2100,
        integrate: { ssmParameter: "/shop/db/endpoint" },
      },
      {
        name: "web-data",
        type: "ebs",
        restoreSeconds: 300,
        integrate: { attachToTag: "role=web", device: "/dev/sdf" },
      },
    ],
    ...overrides,
  });
}

/** Keys naming primary-region things (groups, key pair, KMS keys) that drctl drops by default. */
const REGIONAL = [
  "DBParameterGroupName",
  "OptionGroupName",
  "DBClusterParameterGroupName",
  "KeyName",
  "KmsKeyId",
  "kmsKeyId",
  "kmsMasterKeyArn",
  "BlockDeviceMappings",
  "Placement",
];

/**
 * DR-network restore metadata for the unit scenario's resources (what planRestores would send for a
 * drill): primary-region names dropped, deletion protection off, placed in the DR network.
 */
export function drMetadata(
  source: Record<string, string>,
  type: string,
  target: string,
  region = "us-west-2",
): Record<string, string> {
  const base = Object.fromEntries(Object.entries(source).filter(([k]) => !REGIONAL.includes(k)));
  switch (type) {
    case "rds":
      return {
        ...base,
        DeletionProtection: "false",
        DBInstanceIdentifier: target,
        DBSubnetGroupName: "dr-db-subnets",
        VpcSecurityGroupIds: '["sg-0drdb"]',
        AvailabilityZone: `${region}a`,
      };
    case "aurora":
      return {
        ...base,
        DeletionProtection: "false",
        DBClusterIdentifier: target,
        DBSubnetGroupName: "dr-db-subnets",
        VpcSecurityGroupIds: '["sg-0drdb"]',
        AvailabilityZones: JSON.stringify([`${region}a`, `${region}b`]),
      };
    case "ebs":
      return { ...base, availabilityZone: `${region}a` };
    case "ec2":
      return {
        ...base,
        DisableApiTermination: "false",
        SubnetId: "subnet-0dra",
        SecurityGroupIds: '["sg-0drdb"]',
      };
    case "dynamodb":
      return { ...base, deletionProtection: "false", targetTableName: target };
    default:
      return { ...base, CreationToken: target };
  }
}

export const ROLE = "arn:aws:iam::111122223333:role/drctl-restore";

export const at = (h: Harness, seconds: number): Date =>
  new Date(new Date(h.scenario.start).getTime() + seconds * 1000);

// --- outputs vs the SDK models -----------------------------------------------------------------

/** Every successful world output of this test file, to check against the SDK's models afterwards. */
export const RECORDED: { service: ServiceName; operation: string; output: SandboxOutput }[] = [];

/** Problems of the recorded outputs against the SDK v3 models (members the SDK would drop, wrong types). */
export async function modelProblems(): Promise<string[]> {
  const problems = new Set<string>();
  const models = new Map<ServiceName, Awaited<ReturnType<typeof modelFromModule>>>();
  for (const r of RECORDED) {
    if (r.service === "sfn") continue;
    let model = models.get(r.service);
    if (!model) {
      model = modelFromModule(await SERVICE_SPECS[r.service].load());
      models.set(r.service, model);
    }
    const op = model.operations.get(r.operation);
    if (!op) {
      problems.add(`${r.service}:${r.operation}: no such operation in the SDK`);
      continue;
    }
    const out: string[] = [];
    conform(op.output, r.output, `${r.service}:${r.operation}`, out);
    for (const p of out) problems.add(p.replace(/\[\d+\]/g, "[]"));
  }
  return [...problems];
}
