import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { AppConfig } from "../../../functions/shared/config.js";
import { SCHEMA_PATH, scenarioJsonSchema } from "../../../scripts/gen-scenario-schema.js";
import { configFromScenario } from "../../../scripts/sandbox/config-from-scenario.js";
import {
  appName,
  DEFAULT_ACCOUNT,
  DEFAULT_START,
  loadScenario,
  parseScenario,
  ScenarioError,
} from "../../../scripts/sandbox/scenario.js";
import { hostedZoneId, sourceArn } from "../../../scripts/sandbox/world/naming.js";
import { EXAMPLES } from "./world-helpers.js";

/** A parsed scenario document the error cases mutate freely. */
// biome-ignore lint/suspicious/noExplicitAny: test cases poke arbitrary (also invalid) values into parsed YAML
type Doc = Record<string, any>;

/** A failover scenario (shop-alarm-failover.yaml's frame). */
const SHOP_ALARM = `
name: alarm-test
mode: failover
regions: { primary: eu-west-1, recovery: eu-central-1 }
objectives: { rtoMinutes: 120, rpoMinutes: 60 }
vault: dr-vault
app: { stackName: shop-dr }
network: { vpcId: vpc-1, subnetIds: [subnet-1], securityGroupIds: [sg-1], dbSubnetGroup: g }
dns: { hostedZone: example.com., record: app.example.com., primaryTarget: lb.example.net }
resources: [{ name: db, type: rds }]
`;

async function exampleFiles(): Promise<string[]> {
  return (await readdir(EXAMPLES)).filter((f) => f.endsWith(".yaml")).map((f) => join(EXAMPLES, f));
}

async function baseDoc(): Promise<Record<string, unknown>> {
  return parseYaml(await readFile(join(EXAMPLES, "shop-drill.yaml"), "utf8")) as Record<string, unknown>;
}

function problemsOf(doc: unknown): string[] {
  try {
    parseScenario(doc, "test.yaml");
  } catch (err) {
    expect(err).toBeInstanceOf(ScenarioError);
    return (err as ScenarioError).problems;
  }
  throw new Error("the scenario was accepted");
}

describe("scenario examples", () => {
  it("loads every example in scenarios/ (at least the 7 documented ones)", async () => {
    // Prepare
    const files = await exampleFiles();
    // Act
    const loaded = await Promise.all(files.map((f) => loadScenario(f)));
    // Assess
    expect(loaded.map((s) => s.name).sort()).toEqual(
      expect.arrayContaining([
        "failover-refused",
        "restore-failure",
        "shop-quarterly-drill",
        "shop-region-outage",
        "small-web-app-drill",
        "stack-rollback",
        "stale-backups",
      ]),
    );
  });

  it("failure examples expect the documented failed steps", async () => {
    // Prepare
    const expected: Record<string, [string, string]> = {
      "restore-failure.yaml": ["FAILED", "PollRestores"],
      "stale-backups.yaml": ["FAILED", "PlanRestores"],
      "stack-rollback.yaml": ["FAILED", "CheckStack"],
      "failover-refused.yaml": ["FAILED", "Detect"],
    };
    for (const [file, [outcome, step]] of Object.entries(expected)) {
      // Act
      const s = await loadScenario(join(EXAMPLES, file));
      // Assess
      expect(s.expect?.outcome, file).toBe(outcome);
      expect(s.expect?.failedStep, file).toBe(step);
    }
    const refused = await loadScenario(join(EXAMPLES, "failover-refused.yaml"));
    expect(refused.mode).toBe("failover");
    expect(refused.primary.healthy).toBe(true);
    const failure = await loadScenario(join(EXAMPLES, "restore-failure.yaml"));
    expect(failure.faults).toEqual([
      expect.objectContaining({ restore: "orders-db", status: "FAILED", times: 3 }),
    ]);
  });

  it("reads JSON as well as YAML", async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), "scenario-"));
    const path = join(dir, "drill.json");
    await writeFile(path, JSON.stringify(await baseDoc()));
    // Act
    const s = await loadScenario(path);
    // Assess
    expect(s.name).toBe("shop-quarterly-drill");
    expect(s.resources.map((r) => r.type)).toEqual(["rds", "ebs", "efs", "dynamodb"]);
  });

  it("applies the documented defaults", () => {
    // Prepare
    const doc = {
      name: "minimal",
      regions: { primary: "us-east-1", recovery: "us-west-2" },
      objectives: { rtoMinutes: 60, rpoMinutes: 60 },
      vault: "dr-vault",
      app: { stackName: "web-dr" },
      network: { vpcId: "vpc-1", subnetIds: ["subnet-1"], securityGroupIds: ["sg-1"], dbSubnetGroup: "g" },
      dns: { hostedZone: "example.com.", record: "www.example.com.", primaryTarget: "lb.example.net" },
      resources: [{ name: "db", type: "rds" }],
      faults: [{ call: "ssm:PutParameter", error: "InternalServerError" }],
    };
    // Act
    const s = parseScenario(doc);
    // Assess
    expect(s.mode).toBe("drill");
    expect(s.start).toBe(DEFAULT_START);
    expect(s.account).toBe(DEFAULT_ACCOUNT);
    expect(s.primary).toEqual({ healthy: true, alarms: [] });
    expect(s.dns.propagationSeconds).toBe(60);
    expect(s.resources[0]?.recoveryPoints).toMatchObject({ count: 24, intervalMinutes: 60, sizeGiB: 50 });
    expect(s.resources[0]?.dependsOn).toEqual([]);
    expect(s.faults[0]).toEqual({ call: "ssm:PutParameter", error: "InternalServerError", times: 1 });
    expect(appName(s)).toBe("web");
  });
});

describe("scenario errors name the field, the bad value and what is allowed", () => {
  const cases: [string, (d: Doc) => void, string[]][] = [
    [
      "resource type",
      (d) => (d.resources[1].type = "s3"),
      ['resources.1.type: got "s3", allowed: rds | aurora | ebs | ec2 | efs | dynamodb'],
    ],
    [
      "unknown resource field",
      (d) => (d.resources[0].size = 3),
      ["resources.0.size: unknown field, allowed: name | type | tags"],
    ],
    [
      "unknown top-level field",
      (d) => (d.region = "x"),
      ["region: unknown field, allowed: name | description | mode"],
    ],
    [
      "unknown nested field",
      (d) => (d.app.timeout = 3),
      [
        "app.timeout: unknown field, allowed: stackName | deploySeconds | healthyAfterSeconds | ssmRegistrationSeconds",
      ],
    ],
    ["name pattern", (d) => (d.name = "Shop Drill"), ['name: got "Shop Drill", allowed: [a-z0-9-]{1,64}']],
    ["mode", (d) => (d.mode = "test"), ['mode: got "test", allowed: drill | failover']],
    ["start", (d) => (d.start = "tomorrow"), ['start: got "tomorrow", allowed: an ISO-8601 date-time']],
    ["account", (d) => (d.account = "123"), ['account: got "123", allowed: a 12-digit account id']],
    ["missing required", (d) => delete d.vault, ["vault: missing, required"]],
    [
      "negative seconds",
      (d) => (d.resources[0].restoreSeconds = -5),
      ["resources.0.restoreSeconds: got -5, allowed: >= 0"],
    ],
    [
      "restore progress model",
      (d) => (d.resources[0].restoreProgress = "smooth"),
      ['resources.0.restoreProgress: got "smooth", allowed: linear | stuck | absent'],
    ],
    [
      "restore size model",
      (d) => (d.resources[2].restoreSize = 5),
      ["resources.2.restoreSize: got 5, allowed: reported | zero | absent"],
    ],
    [
      "duplicate names",
      (d) => (d.resources[1].name = "orders-db"),
      ['resources.1.name: got "orders-db", allowed: a name not used by another resource'],
    ],
    [
      "dependsOn unknown",
      (d) => (d.resources[3].dependsOn = ["payments"]),
      ['resources.3.dependsOn.0: got "payments", allowed: orders-db | web-data | shared-files'],
    ],
    [
      "dependsOn cycle",
      (d) => (d.resources[0].dependsOn = ["carts"]),
      [
        'resources.0.dependsOn: got ["carts"], allowed: no dependsOn cycles (found orders-db -> carts -> orders-db)',
      ],
    ],
    [
      "integrate field for the wrong type",
      (d) => (d.resources[0].integrate = { mountPath: "/mnt/x" }),
      ['resources.0.integrate.mountPath: got "/mnt/x", not allowed for type rds; allowed: ssmParameter'],
    ],
    [
      "source field for the wrong type",
      (d) => (d.resources[1].source = { deletionProtection: true }),
      ["resources.1.source.deletionProtection: got true, not allowed for type ebs; allowed: kmsKeyId"],
    ],
    [
      "ebs integrate without device",
      (d) => (d.resources[1].integrate = { attachToTag: "role=web" }),
      ["resources.1.integrate.device: missing, required: ebs integration needs both attachToTag and device"],
    ],
    [
      "attachToTag format",
      (d) => (d.resources[1].integrate.attachToTag = "web"),
      ['resources.1.integrate.attachToTag: got "web", allowed: a tag filter KEY=VALUE'],
    ],
    [
      "fault call service",
      (d) => (d.faults = [{ call: "lambda:Invoke", error: "TooManyRequestsException" }]),
      [
        'faults.0.call: got "lambda:Invoke", unknown service "lambda"; allowed services: backup | rds | ec2 | efs | dynamodb | cloudformation | route53 | ssm | sns | sfn | s3',
      ],
    ],
    [
      "fault call format",
      (d) => (d.faults = [{ call: "StartRestoreJob", error: "ThrottlingException" }]),
      ['faults.0.call: got "StartRestoreJob", allowed: service:Operation'],
    ],
    [
      "fault call resource",
      (d) =>
        (d.faults = [{ call: "backup:StartRestoreJob", resource: "payments", error: "ThrottlingException" }]),
      ['faults.0.resource: got "payments", allowed: orders-db | web-data | shared-files | carts'],
    ],
    [
      "restore fault resource",
      (d) => (d.faults = [{ restore: "payments", status: "FAILED" }]),
      ['faults.0.restore: got "payments", allowed: orders-db | web-data | shared-files | carts'],
    ],
    [
      "restore fault status",
      (d) => (d.faults = [{ restore: "web-data", status: "EXPIRED" }]),
      ['faults.0.status: got "EXPIRED", allowed: FAILED | ABORTED'],
    ],
    [
      "restore fault times",
      (d) => (d.faults = [{ restore: "web-data", status: "FAILED", times: 0 }]),
      ["faults.0.times: got 0, allowed: >= 1"],
    ],
    [
      "stack fault name",
      (d) => (d.faults = [{ stack: "web-dr", status: "ROLLBACK_COMPLETE" }]),
      ['faults.0.stack: got "web-dr", allowed: shop-dr'],
    ],
    [
      "stack fault status",
      (d) => (d.faults = [{ stack: "shop-dr", status: "UPDATE_FAILED" }]),
      ['faults.0.status: got "UPDATE_FAILED", allowed: ROLLBACK_COMPLETE | ROLLBACK_FAILED | CREATE_FAILED'],
    ],
    [
      "recoveryPoints fault resource",
      (d) => (d.faults = [{ recoveryPoints: "payments", newestAgeMinutes: 600 }]),
      ['faults.0.recoveryPoints: got "payments", allowed: orders-db | web-data | shared-files | carts'],
    ],
    [
      "fault extra field",
      (d) => (d.faults = [{ stack: "shop-dr", status: "ROLLBACK_COMPLETE", when: 5 }]),
      ["faults.0.when: unknown field, allowed: stack | status | reason | resource | times"],
    ],
    [
      "fault of no known kind",
      (d) => (d.faults = [{ outage: "us-east-1" }]),
      [
        'faults.0: got {"outage":"us-east-1"}, allowed: one of {call, error}, {call, hang}, {restore, status}, {restore, extraSeconds}, {stack, status}, {recoveryPoints, newestAgeMinutes}',
      ],
    ],
    [
      "expect outcome",
      (d) => (d.expect.outcome = "PASSED"),
      ['expect.outcome: got "PASSED", allowed: SUCCEEDED | FAILED'],
    ],
    [
      "expect failedStep",
      (d) => (d.expect.failedStep = "Restore"),
      ['expect.failedStep: got "Restore", allowed: ValidateInput | Detect'],
    ],
    [
      "same regions",
      (d) => (d.regions.recovery = "us-east-1"),
      ['regions.recovery: got "us-east-1", allowed: a region other than primary'],
    ],
    [
      "subnet id",
      (d) => (d.network.subnetIds = ["dr-a"]),
      ['network.subnetIds.0: got "dr-a", allowed: an id starting with subnet-'],
    ],
    [
      "a resource found by the selection tags with a config entry's fields",
      (d) => {
        d.selection = { tags: { tier: "db" } };
        d.resources[0].tags.tier = "db";
      },
      [
        'resources.0.integrate: got {"ssmParameter":"/shop/db/endpoint"}, not allowed: the resource matches selection.tags',
        'resources.3.dependsOn.0: got "orders-db", not allowed: orders-db matches selection.tags',
      ],
    ],
  ];

  it.each(cases)("%s", async (_label, mutate, expected) => {
    // Prepare
    const doc = await baseDoc();
    mutate(doc as Doc);
    // Act
    const problems = problemsOf(doc);
    // Assess
    for (const e of expected)
      expect(
        problems.some((p) => p.startsWith(e)),
        `${problems.join("\n")}\n≠ ${e}`,
      ).toBe(true);
  });

  it("puts the file name and every problem into the error message", async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), "scenario-"));
    const path = join(dir, "bad.yaml");
    await writeFile(path, "name: ok\nmode: nope\nresources: []\n");
    // Act
    const err = await loadScenario(path).catch((e: unknown) => e);
    // Assess
    expect(err).toBeInstanceOf(ScenarioError);
    const message = (err as Error).message;
    expect(message).toContain(path);
    expect(message).toContain('mode: got "nope", allowed: drill | failover');
    expect(message).toContain("resources: got [], allowed: at least one resource");
    expect(message).toContain("regions: missing, required");
  });

  it("rejects text that is not YAML", async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), "scenario-"));
    const path = join(dir, "broken.yaml");
    await writeFile(path, "name: [unclosed\n");
    // Act
    const err = await loadScenario(path).catch((e: unknown) => e);
    // Assess
    expect((err as ScenarioError).problems[0]).toMatch(/^not valid YAML\/JSON/);
  });
});

describe("scenario JSON Schema", () => {
  it("scenarios/scenario.schema.json equals a fresh generation from the zod schema", async () => {
    // Prepare
    const committed = await readFile(SCHEMA_PATH, "utf8");
    // Act
    const fresh = scenarioJsonSchema();
    // Assess
    expect(committed).toBe(fresh);
    const schema = JSON.parse(fresh) as {
      properties: Record<string, unknown>;
      additionalProperties: boolean;
      required: string[];
    };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(expect.arrayContaining(["name", "regions", "resources"]));
    expect(Object.keys(schema.properties)).toContain("faults");
  });
});

describe("configFromScenario", () => {
  it("builds a valid AppConfig for every example, matching the world's names", async () => {
    for (const file of await exampleFiles()) {
      // Prepare
      const s = await loadScenario(file);
      // Act
      const config = AppConfig.parse(
        configFromScenario(s, { templateUrl: "https://example.com/dr-app.yaml" }),
      );
      // Assess
      expect(config.app).toBe(appName(s));
      expect(config.stack.name).toBe(s.app.stackName);
      expect(config.dns.hostedZoneId).toBe(hostedZoneId(s));
      expect(config.detect.primaryInstanceTag).toBe(`app=${config.app}`);
      expect(config.detect.alarmNames).toEqual(s.primary.alarms.map((a) => a.name));
      expect(config.resources.map((r) => r.sourceArn)).toEqual(s.resources.map((r) => sourceArn(s, r)));
      expect(config.resources.map((r) => r.integrate)).toEqual(s.resources.map((r) => r.integrate));
      const { vpcId, subnetIds, securityGroupIds, dbSubnetGroup } = s.network;
      expect(config.network).toEqual({ vpcId, subnetIds, securityGroupIds, dbSubnetGroup });
    }
  });

  it("names a stack role in the scenario's account and passes the DR app template's network and role-tag parameters", async () => {
    // Prepare
    const s = await loadScenario(join(EXAMPLES, "shop-drill.yaml"));
    const db = {
      ...s,
      resources: s.resources.map((r) => ({
        ...r,
        integrate: r.type === "ebs" ? { attachToTag: "role=db", device: "/dev/sdf" } : r.integrate,
      })),
    };
    // Act
    const config = AppConfig.parse(configFromScenario(s, { templateUrl: "https://example.com/t.yaml" }));
    const dbConfig = AppConfig.parse(configFromScenario(db, { templateUrl: "https://example.com/t.yaml" }));
    // Assess
    expect(config.stack.roleArn).toBe("arn:aws:iam::111122223333:role/shop-dr-cloudformation");
    expect(config.stack.parameters).toEqual({
      VpcId: "vpc-0dr",
      SubnetIds: "subnet-0dra,subnet-0drb",
      InstanceRoleTag: "web",
    });
    expect(dbConfig.stack.parameters.InstanceRoleTag).toBe("db");
  });

  it("primary alarms: names unique and free of control characters, a known state", async () => {
    // Prepare
    const doc = (alarms: unknown) => ({ ...parseYaml(SHOP_ALARM), primary: { healthy: false, alarms } });
    // Act
    const ok = parseScenario(doc([{ name: "shop-alb-5xx", state: "ALARM" }]));
    const problems = [
      problemsOf(
        doc([
          { name: "a", state: "OK" },
          { name: "a", state: "ALARM" },
        ]),
      ),
      problemsOf(doc([{ name: "bad\nname", state: "OK" }])),
      problemsOf(doc([{ name: "a", state: "FIRING" }])),
    ];
    // Assess
    expect(ok.primary.alarms).toEqual([{ name: "shop-alb-5xx", state: "ALARM" }]);
    expect(problems[0]?.join()).toMatch(/primary\.alarms.*unique alarm names/);
    expect(problems[1]?.join()).toMatch(/primary\.alarms\.0\.name.*no ASCII control characters/);
    expect(problems[2]?.join()).toMatch(/primary\.alarms\.0\.state/);
  });

  it("derives the app name from the stack name", async () => {
    // Prepare
    const s = await loadScenario(join(EXAMPLES, "shop-drill.yaml"));
    // Act
    const config = configFromScenario(s, {
      templateUrl: "https://example.com/t.yaml",
      maxRestoreAttempts: 3,
    });
    // Assess
    expect(config.app).toBe("shop");
    expect(config.maxRestoreAttempts).toBe(3);
    expect(config.resources?.[0]?.sourceArn).toBe("arn:aws:rds:us-east-1:111122223333:db:orders-db");
    expect(config.resources?.[3]?.dependsOn).toEqual(["orders-db"]);
  });

  it("leaves the resources the scenario's selection tags match to the config's selection", async () => {
    // Prepare
    const s = await loadScenario(join(EXAMPLES, "shop-drill.yaml"));
    const tagged = parseScenario({
      ...s,
      selection: { tags: { found: "by-tags" } },
      resources: [
        ...s.resources,
        { name: "sessions", type: "dynamodb", tags: { app: "shop", found: "by-tags" } },
      ],
    });
    // Act
    const config = AppConfig.parse(configFromScenario(tagged, { templateUrl: "https://example.com/t.yaml" }));
    // Assess
    expect(config.selection).toEqual({ tags: { found: "by-tags" } });
    expect(config.resources.map((r) => r.name)).toEqual(s.resources.map((r) => r.name));
    expect(configFromScenario(s, { templateUrl: "https://example.com/t.yaml" }).selection).toBeUndefined();
  });
});
