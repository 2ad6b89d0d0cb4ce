import { createRequire } from "node:module";
import { Annotations, Match, Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { STEP_ENV } from "../../functions/shared/env.js";
import type { DrctlStacks } from "../../infra/app.js";
import { FUNCTIONS, substitutionKey } from "../../state-machines/names.js";
import { EXECUTION_TIMEOUT_SECONDS, TIMEOUTS } from "../../state-machines/tasks.asl.js";
import { exampleConfig, synthApp } from "./synth.js";

type Json = Record<string, unknown>;
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Json;
}

const aslValidator = createRequire(import.meta.url)("asl-validator") as (
  definition: unknown,
  opts?: { checkArn?: boolean; checkPaths?: boolean },
) => { isValid: boolean; errorsText: (separator?: string) => string };

const config = exampleConfig();
let stacks: DrctlStacks;
let template: Template;

/** Every Allow statement of every policy in the template, with the policy's logical id. */
function statements(t: Template): (Statement & { policy: string })[] {
  const out: (Statement & { policy: string })[] = [];
  for (const [id, res] of Object.entries(t.findResources("AWS::IAM::Policy"))) {
    const doc = (res as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties
      .PolicyDocument;
    for (const s of doc.Statement) out.push({ ...s, policy: id });
  }
  return out;
}
const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const resourcesOf = (s: Statement): unknown[] => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);

/**
 * Evaluates the condition operators drctl's policies use, as IAM does for a tagging or delete
 * request: `request` = the tags in the request (aws:RequestTag, aws:TagKeys), `resource` = the
 * resource's tags (aws:ResourceTag). Unknown operators fail the test.
 */
function conditionsHold(
  condition: Json,
  request: Record<string, string>,
  resource: Record<string, string>,
): boolean {
  const tagValues = (key: string): string[] | undefined => {
    if (key === "aws:TagKeys") return Object.keys(request);
    const [, kind, tag] = /^aws:(RequestTag|ResourceTag)\/(.+)$/.exec(key) ?? [];
    if (!kind || !tag) throw new Error(`condition key ${key} not modelled`);
    const v = (kind === "RequestTag" ? request : resource)[tag];
    return v === undefined ? undefined : [v];
  };
  return Object.entries(condition).every(([operator, entries]) =>
    Object.entries(entries as Record<string, string | string[]>).every(([key, expected]) => {
      const allowed = Array.isArray(expected) ? expected : [expected];
      const actual = tagValues(key);
      switch (operator) {
        case "StringEquals":
          return actual?.every((v) => allowed.includes(v)) ?? false;
        case "StringEqualsIfExists":
          return actual === undefined || actual.every((v) => allowed.includes(v));
        case "ForAllValues:StringEquals":
          return (actual ?? []).every((v) => allowed.includes(v));
        default:
          throw new Error(`condition operator ${operator} not modelled`);
      }
    }),
  );
}

/** Replaces {"Fn::GetAtt": [id, "Arn"]} substitutions with a literal Lambda ARN. */
function renderedDefinition(t: Template): { definition: Json; substitutions: Json } {
  const machine = Object.values(t.findResources("AWS::StepFunctions::StateMachine"))[0] as {
    Properties: { DefinitionString: string; DefinitionSubstitutions: Json };
  };
  let text = machine.Properties.DefinitionString;
  for (const key of Object.keys(machine.Properties.DefinitionSubstitutions)) {
    const arn = `arn:aws:lambda:us-west-2:111122223333:function:drctl-${key}`;
    text = text.split(`\${${key}}`).join(arn);
  }
  return { definition: JSON.parse(text) as Json, substitutions: machine.Properties.DefinitionSubstitutions };
}

beforeAll(() => {
  stacks = synthApp().stacks;
  template = Template.fromStack(stacks.orchestrator);
});

describe("triggers", () => {
  it("starts a failover when a configured primary alarm goes into ALARM", () => {
    template.hasResourceProperties("AWS::Events::Rule", {
      EventPattern: {
        source: ["aws.cloudwatch"],
        "detail-type": ["CloudWatch Alarm State Change"],
        region: ["us-east-1"],
        detail: { alarmName: config.detect.alarmNames, state: { value: ["ALARM"] } },
      },
      Targets: [Match.objectLike({ Input: JSON.stringify({ mode: "failover", trigger: "alarm" }) })],
    });
  });

  it("starts a failover on an open AWS Health issue of a service the app uses in the primary region", () => {
    template.hasResourceProperties("AWS::Events::Rule", {
      EventPattern: {
        source: ["aws.health"],
        "detail-type": ["AWS Health Event"],
        region: ["us-east-1"],
        detail: {
          eventTypeCategory: ["issue"],
          statusCode: ["open"],
          service: ["DYNAMODB", "EBS", "EC2", "ELASTICFILESYSTEM", "ELASTICLOADBALANCING", "RDS"],
        },
      },
      Targets: [Match.objectLike({ Input: JSON.stringify({ mode: "failover", trigger: "health" }) })],
    });
  });

  it("runs a drill every quarter through EventBridge Scheduler", () => {
    const schedules = Object.values(template.findResources("AWS::Scheduler::Schedule")) as {
      Properties: {
        ScheduleExpression: string;
        ScheduleExpressionTimezone: string;
        Target: Json;
        State: string;
      };
    }[];
    expect(schedules).toHaveLength(1);
    const p = schedules[0]?.Properties;
    expect(p?.ScheduleExpression).toBe("cron(0 9 ? 1,4,7,10 TUE#1 *)");
    expect(p?.ScheduleExpressionTimezone).toBe("Etc/UTC");
    expect(p?.State).toBe("ENABLED");
    expect(JSON.parse(String(p?.Target.Input))).toEqual({ mode: "drill", trigger: "schedule" });
  });

  it("creates no alarm rule when no alarm is configured", () => {
    const noAlarms = { ...config, detect: { ...config.detect, alarmNames: [] } };
    const t = Template.fromStack(synthApp({ config: noAlarms }).stacks.orchestrator);
    const rules = Object.values(t.findResources("AWS::Events::Rule")) as {
      Properties: { EventPattern: Json };
    }[];
    const sources = rules.map((r) => (r.Properties.EventPattern.source as string[])[0]);
    expect(sources.sort()).toEqual(["aws.health", "aws.states"]);
  });

  it("forwards the same events from the primary region to the recovery region's default bus", () => {
    const forwarder = Template.fromStack(stacks.forwarder ?? stacks.orchestrator);
    expect(stacks.forwarder?.region).toBe("us-east-1");
    forwarder.resourceCountIs("AWS::Events::Rule", 2);
    forwarder.hasResourceProperties("AWS::Events::Rule", {
      EventPattern: Match.objectLike({ source: ["aws.cloudwatch"] }),
      Targets: [Match.objectLike({ Arn: "arn:aws:events:us-west-2:111122223333:event-bus/default" })],
    });
  });
});

describe("failure alarm", () => {
  it("alarms on ExecutionsFailed + ExecutionsTimedOut >= 1 and notifies the topic", () => {
    const alarms = Object.values(template.findResources("AWS::CloudWatch::Alarm")) as {
      Properties: { Metrics: Json[]; Threshold: number; ComparisonOperator: string; AlarmActions: unknown[] };
    }[];
    expect(alarms).toHaveLength(1);
    const alarm = alarms[0]?.Properties;
    expect(alarm?.Threshold).toBe(1);
    expect(alarm?.ComparisonOperator).toBe("GreaterThanOrEqualToThreshold");
    const names = alarm?.Metrics.flatMap((m) => {
      const stat = m.MetricStat as { Metric: { MetricName: string } } | undefined;
      return stat ? [stat.Metric.MetricName] : [];
    });
    expect(names?.sort()).toEqual(["ExecutionsFailed", "ExecutionsTimedOut"]);
    expect(
      alarm?.Metrics.some((m) => String(m.Expression).includes("failed") && m.ReturnData !== false),
    ).toBe(true);
    expect(alarm?.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^Notifications/) }]);
  });
});

describe("storage and notifications", () => {
  it("keeps artifacts encrypted, versioned, private and logged", () => {
    template.hasResourceProperties("AWS::S3::Bucket", {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
      },
      VersioningConfiguration: { Status: "Enabled" },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: "artifacts/" }),
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Prefix: "runs/", NoncurrentVersionExpiration: { NoncurrentDays: 90 } }),
        ]),
      },
    });
    template.hasResourceProperties("AWS::S3::BucketPolicy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ]),
      },
    });
  });

  it("uploads the validated config as config/<app>.json", () => {
    template.hasResourceProperties("Custom::CDKBucketDeployment", { Prune: false });
  });

  it("encrypts the topic with a rotated customer managed key", () => {
    template.hasResourceProperties("AWS::SNS::Topic", { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties("AWS::KMS::Key", { EnableKeyRotation: true });
  });

  it("subscribes the email from context", () => {
    const t = Template.fromStack(
      synthApp({ context: { notifyEmail: "ops@example.com" } }).stacks.orchestrator,
    );
    t.hasResourceProperties("AWS::SNS::Subscription", { Protocol: "email", Endpoint: "ops@example.com" });
  });
});

describe("state machine", () => {
  it("is a STANDARD machine named drctl-<app> with logging and tracing", () => {
    template.hasResourceProperties("AWS::StepFunctions::StateMachine", {
      StateMachineName: "drctl-shop",
      StateMachineType: "STANDARD",
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: "ALL", IncludeExecutionData: false }),
    });
  });

  it("substitutes every function ARN and the rendered definition passes asl-validator", () => {
    const { definition, substitutions } = renderedDefinition(template);
    expect(Object.keys(substitutions).sort()).toEqual(FUNCTIONS.map(substitutionKey).sort());
    expect(JSON.stringify(definition)).not.toContain("${");
    const result = aslValidator(definition, { checkArn: true, checkPaths: true });
    expect(result.errorsText(), result.errorsText()).toBe("");
    expect(result.isValid).toBe(true);
    expect(definition.TimeoutSeconds).toBe(EXECUTION_TIMEOUT_SECONDS);
  });

  it("gives every Task a TimeoutSeconds (a callback Task: TimeoutSecondsPath) and a non-empty Retry", () => {
    const { definition } = renderedDefinition(template);
    const tasks: [string, Json][] = [];
    const walk = (states: Record<string, Json>) => {
      for (const [name, state] of Object.entries(states)) {
        if (state.Type === "Task") tasks.push([name, state]);
        for (const branch of (state.Branches as { States: Record<string, Json> }[] | undefined) ?? []) {
          walk(branch.States);
        }
      }
    };
    walk(definition.States as Record<string, Json>);
    expect(tasks.length).toBeGreaterThanOrEqual(FUNCTIONS.length);
    for (const [name, task] of tasks) {
      if (String(task.Resource).endsWith(".waitForTaskToken"))
        expect(task.TimeoutSecondsPath, name).toBe("$.run.approval.timeoutSeconds");
      else expect(task.TimeoutSeconds, name).toBeGreaterThan(0);
      expect((task.Retry as unknown[]).length, name).toBeGreaterThan(0);
    }
  });

  it("may invoke exactly the step functions, unqualified", () => {
    const invoke = statements(template).filter((s) => actionsOf(s).includes("lambda:InvokeFunction"));
    expect(invoke).toHaveLength(1);
    const resources = resourcesOf(invoke[0] as Statement) as { "Fn::GetAtt": [string, string] }[];
    expect(resources).toHaveLength(FUNCTIONS.length);
    for (const r of resources) expect(r["Fn::GetAtt"][1]).toBe("Arn");
  });
});

describe("step functions", () => {
  const stepFunctions = () =>
    Object.values(template.findResources("AWS::Lambda::Function")).filter((f) =>
      String((f as { Properties: Json }).Properties.Description ?? "").startsWith("drctl step "),
    ) as { Properties: Json & { Environment: { Variables: Json }; Description: string } }[];

  it("run nodejs24.x on arm64 with X-Ray, one per step", () => {
    const fns = stepFunctions();
    expect(fns).toHaveLength(FUNCTIONS.length);
    for (const fn of fns) {
      expect(fn.Properties.Runtime).toBe("nodejs24.x");
      expect(fn.Properties.Architectures).toEqual(["arm64"]);
      expect(fn.Properties.TracingConfig).toEqual({ Mode: "Active" });
      expect(fn.Properties.Handler).toBe("index.handler");
    }
  });

  it("get exactly their STEP_ENV variables (minus AWS_REGION) and a timeout past the Task's", () => {
    for (const fn of stepFunctions()) {
      const key = fn.Properties.Description.replace("drctl step ", "") as (typeof FUNCTIONS)[number];
      const expected = Object.keys(STEP_ENV[key].shape).filter((k) => k !== "AWS_REGION");
      const vars = Object.keys(fn.Properties.Environment.Variables).filter(
        (k) => !["POWERTOOLS_SERVICE_NAME", "POWERTOOLS_LOG_LEVEL", "NODE_OPTIONS"].includes(k),
      );
      expect(vars.sort(), key).toEqual(expected.sort());
      expect(fn.Properties.Timeout as number, key).toBeGreaterThan(TIMEOUTS[key]);
      expect(fn.Properties.Timeout as number, key).toBeLessThanOrEqual(900);
    }
  });
});

describe("least privilege", () => {
  it("never grants route53 actions on '*'", () => {
    const route53 = statements(template).filter((s) => actionsOf(s).some((a) => a.startsWith("route53:")));
    expect(route53.length).toBeGreaterThan(0);
    for (const s of route53) expect(resourcesOf(s)).not.toContain("*");
    const change = route53.find((s) => actionsOf(s).includes("route53:ChangeResourceRecordSets"));
    expect(resourcesOf(change as Statement)).toEqual([
      `arn:aws:route53:::hostedzone/${config.dns.hostedZoneId}`,
    ]);
    expect(change?.Condition).toMatchObject({
      "ForAllValues:StringEquals": {
        "route53:ChangeResourceRecordSetsNormalizedRecordNames": ["app.example.com"],
      },
    });
  });

  it("scopes the recovery-point actions to the vault and its recovery points (every ARN form, recovery region)", () => {
    const scoped = [
      "backup:StartRestoreJob",
      "backup:ListRecoveryPointsByBackupVault",
      "backup:GetRecoveryPointRestoreMetadata",
    ];
    const found = statements(template).filter((s) => actionsOf(s).some((a) => scoped.includes(a)));
    expect(found.length).toBeGreaterThanOrEqual(3);
    for (const s of found) {
      expect(resourcesOf(s)).not.toContain("*");
      for (const r of resourcesOf(s)) {
        expect(String(r)).toMatch(
          /^arn:aws:(backup:us-west-2:111122223333:|rds:us-west-2:111122223333:(cluster-)?snapshot:awsbackup:\*$|ec2:us-west-2::(snapshot|image)\/\*$)/,
        );
      }
    }
  });

  it("grants restores and restore metadata on every recovery point ARN form the vault's copies have", () => {
    // Prepare: one copy of each form (RDS/Aurora snapshot, EBS snapshot, AMI, AWS Backup point).
    const copies = [
      "arn:aws:rds:us-west-2:111122223333:snapshot:awsbackup:copyjob-0f7c6a2e-3f5e-4f51-9a57-1f2d3c4b5a69",
      "arn:aws:rds:us-west-2:111122223333:cluster-snapshot:awsbackup:copyjob-0f7c6a2e-3f5e-4f51-9a57-1f2d3c4b5a69",
      "arn:aws:ec2:us-west-2::snapshot/snap-0123456789abcdef0",
      "arn:aws:ec2:us-west-2::image/ami-0123456789abcdef0",
      "arn:aws:backup:us-west-2:111122223333:recovery-point:0f7c6a2e-3f5e-4f51-9a57-1f2d3c4b5a69",
    ];
    const glob = (pattern: string) =>
      new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
    const granted = (action: string, arn: string, policy: string) =>
      statements(template).some(
        (s) =>
          s.policy.startsWith(policy) &&
          actionsOf(s).includes(action) &&
          resourcesOf(s).some((r) => typeof r === "string" && glob(r).test(arn)),
      );
    // Assess
    for (const arn of copies) {
      expect(granted("backup:StartRestoreJob", arn, "StartRestores"), arn).toBe(true);
      expect(granted("backup:StartRestoreJob", arn, "PollRestores"), arn).toBe(true);
      expect(granted("backup:GetRecoveryPointRestoreMetadata", arn, "PlanRestores"), arn).toBe(true);
    }
    expect(granted("rds:ListTagsForResource", copies[0] as string, "PlanRestores")).toBe(true);
    expect(granted("backup:ListTags", copies[4] as string, "PlanRestores")).toBe(true);
  });

  it("passes only the restore role, only to AWS Backup", () => {
    const passRole = statements(template).filter(
      (s) => actionsOf(s).includes("iam:PassRole") && !s.policy.startsWith("DeployStack"),
    );
    expect(passRole.length).toBe(2); // startRestores, pollRestores
    for (const s of passRole) {
      const resources = resourcesOf(s) as { "Fn::GetAtt": [string, string] }[];
      expect(resources).toHaveLength(1);
      expect(resources[0]?.["Fn::GetAtt"]).toEqual([expect.stringMatching(/^RestoreRole/), "Arn"]);
      expect(s.Condition).toEqual({ StringEquals: { "iam:PassedToService": "backup.amazonaws.com" } });
    }
  });

  it("lets deployStack read the summary of the configured template only, and the template object", () => {
    // Act
    const deploy = statements(template).filter((s) => s.policy.startsWith("DeployStack"));
    const summary = deploy.filter((s) => actionsOf(s).includes("cloudformation:GetTemplateSummary"));
    const read = deploy.filter((s) => actionsOf(s).includes("s3:GetObject"));
    // Assess
    expect(summary).toHaveLength(1);
    expect(resourcesOf(summary[0] as Statement)).toEqual(["*"]);
    expect(summary[0]?.Condition).toEqual({
      StringEquals: { "cloudformation:TemplateUrl": config.stack.templateUrl },
    });
    expect(read.flatMap((s) => resourcesOf(s))).toContain(
      "arn:aws:s3:::shop-dr-templates-111122223333/shop-dr/dr-app.yaml",
    );
  });

  it("lets deployStack pass exactly the configured stack role, only to CloudFormation", () => {
    // Prepare
    const roleArn = config.stack.roleArn;
    expect(roleArn).toMatch(/^arn:aws:iam::111122223333:role\//);
    // Act
    const passRole = statements(template).filter(
      (s) => actionsOf(s).includes("iam:PassRole") && s.policy.startsWith("DeployStack"),
    );
    const anyPassOfIt = statements(template).filter(
      (s) => actionsOf(s).includes("iam:PassRole") && resourcesOf(s).includes(roleArn),
    );
    // Assess
    expect(passRole).toHaveLength(1);
    expect(actionsOf(passRole[0] as Statement)).toEqual(["iam:PassRole"]);
    expect(resourcesOf(passRole[0] as Statement)).toEqual([roleArn]);
    expect(passRole[0]?.Condition).toEqual({
      StringEquals: { "iam:PassedToService": "cloudformation.amazonaws.com" },
    });
    expect(anyPassOfIt.map((s) => s.policy)).toEqual([passRole[0]?.policy]);
  });

  it("lets cleanup delete only drill resources of this app", () => {
    const deletes = statements(template).filter((s) => actionsOf(s).includes("rds:DeleteDBInstance"));
    expect(deletes).toHaveLength(1);
    expect(deletes[0]?.Condition).toEqual({
      StringEquals: { "aws:ResourceTag/drctl:app": "shop", "aws:ResourceTag/drctl:mode": "drill" },
    });
    const stackDelete = statements(template).find(
      (s) => s.policy.startsWith("Cleanup") && actionsOf(s).includes("cloudformation:DeleteStack"),
    );
    expect(resourcesOf(stackDelete as Statement)).toEqual([
      "arn:aws:cloudformation:us-west-2:111122223333:stack/shop-dr-drill-*/*",
    ]);
  });

  it("lets DeployStack delete (replaceStack) only the failover stack a failover of this app created", () => {
    const stackDeletes = statements(template).filter((s) =>
      actionsOf(s).includes("cloudformation:DeleteStack"),
    );
    const byDeploy = stackDeletes.filter((s) => s.policy.startsWith("DeployStack"));
    expect(byDeploy).toHaveLength(1);
    expect(actionsOf(byDeploy[0] as Statement)).toEqual(["cloudformation:DeleteStack"]);
    expect(resourcesOf(byDeploy[0] as Statement)).toEqual([
      "arn:aws:cloudformation:us-west-2:111122223333:stack/shop-dr/*",
    ]);
    expect(byDeploy[0]?.Condition).toEqual({
      StringEquals: { "aws:ResourceTag/drctl:app": "shop", "aws:ResourceTag/drctl:mode": "failover" },
    });
    // Nobody else deletes the failover stack.
    const others = stackDeletes.filter((s) => s !== byDeploy[0]).flatMap((s) => resourcesOf(s));
    expect(others.filter((r) => String(r).includes("stack/shop-dr/"))).toEqual([]);
  });

  it("lets cleanup tag an untagged restore with the run's tags, which then satisfy its deletes", () => {
    // Prepare: a drill's runTags, and what an untagged restored resource carries after tagging
    const cleanupPolicy = (s: Statement & { policy: string }) => s.policy.startsWith("Cleanup");
    const tagging = statements(template).filter(
      (s) => cleanupPolicy(s) && actionsOf(s).includes("ec2:CreateTags"),
    );
    const deleting = statements(template).find(
      (s) => cleanupPolicy(s) && actionsOf(s).includes("ec2:DeleteVolume"),
    );
    const drill = {
      "drctl:execution": "drill-shop-20260301T0900Z",
      "drctl:mode": "drill",
      "drctl:app": "shop",
    };
    // Act
    const allows = (s: Statement, request: Record<string, string>, resource: Record<string, string>) =>
      conditionsHold(s.Condition ?? {}, request, resource);
    // Assess
    expect(tagging).toHaveLength(1);
    const tag = tagging[0] as Statement;
    expect(actionsOf(tag).sort()).toEqual(
      [
        "dynamodb:TagResource",
        "ec2:CreateTags",
        "elasticfilesystem:TagResource",
        "rds:AddTagsToResource",
      ].sort(),
    );
    expect(resourcesOf(tag)).toEqual(resourcesOf(deleting as Statement));
    expect(allows(tag, drill, {})).toBe(true); // untagged restore
    expect(allows(tag, drill, { "drctl:app": "shop", team: "web" })).toBe(true); // source tags copied
    expect(allows(deleting as Statement, {}, {})).toBe(false);
    expect(allows(deleting as Statement, {}, drill)).toBe(true); // after tagging
    // never: other keys, a failover's tags, another app's or a failover's resource
    expect(allows(tag, { ...drill, owner: "x" }, {})).toBe(false);
    expect(allows(tag, { ...drill, "drctl:mode": "failover" }, {})).toBe(false);
    expect(allows(tag, drill, { "drctl:mode": "failover" })).toBe(false);
    expect(allows(tag, drill, { "drctl:app": "other" })).toBe(false);
    expect(allows(tag, { ...drill, "drctl:app": "other" }, {})).toBe(false);
  });

  it("has no unsuppressed cdk-nag error or warning in any stack", () => {
    for (const stack of [stacks.orchestrator, stacks.drVault, stacks.protection, stacks.forwarder]) {
      if (!stack) throw new Error("a stack is missing");
      const annotations = Annotations.fromStack(stack);
      const errors = annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*"));
      const warnings = annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"));
      expect(
        errors.map((e) => `${e.id}: ${String(e.entry.data)}`),
        stack.stackName,
      ).toEqual([]);
      expect(
        warnings.map((e) => `${e.id}: ${String(e.entry.data)}`),
        stack.stackName,
      ).toEqual([]);
    }
  });
});

describe("protection", () => {
  it("backs up hourly in the primary region and copies to the DR vault", () => {
    const t = Template.fromStack(stacks.protection ?? stacks.orchestrator);
    expect(stacks.protection?.region).toBe("us-east-1");
    t.hasResourceProperties("AWS::Backup::BackupPlan", {
      BackupPlan: {
        BackupPlanRule: [
          Match.objectLike({
            ScheduleExpression: "cron(0 * * * ? *)",
            CopyActions: [
              Match.objectLike({
                DestinationBackupVaultArn: "arn:aws:backup:us-west-2:111122223333:backup-vault:dr-vault",
              }),
            ],
          }),
        ],
      },
    });
    t.hasResourceProperties("AWS::Backup::BackupSelection", {
      BackupSelection: Match.objectLike({
        ListOfTags: [{ ConditionKey: "backup", ConditionType: "STRINGEQUALS", ConditionValue: "true" }],
        Resources: config.resources.map((r) => r.sourceArn),
      }),
    });
    const vault = Template.fromStack(stacks.drVault ?? stacks.orchestrator);
    vault.hasResourceProperties("AWS::Backup::BackupVault", { BackupVaultName: "dr-vault" });
  });
});
