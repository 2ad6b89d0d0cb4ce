/**
 * The app configuration (AppConfig) the sandbox uploads for a scenario, derived with the same
 * naming functions the world uses, so source ARNs, the hosted zone id and the primary instances'
 * tag always agree with what the sandbox answers.
 *
 * Resources: every scenario resource by name, except those the scenario's `selection` tags match
 * (the config then selects them by those tags).
 *
 * App name: the first '-'-separated word of app.stackName, lowercased ("shop-dr" → "shop"), or the
 * scenario name when that is not a valid app name (see appName in ./scenario.ts).
 */
import { AppConfig, type AppConfigInput } from "../../functions/shared/config.js";
import { appName, type Scenario } from "./scenario.js";
import { selectedByTags } from "./scenario-selection.js";
import { hostedZoneId, primaryInstanceTag, sourceArn } from "./world/naming.js";

export interface ConfigFromScenarioOptions {
  /** URL of the DR app stack's template in the sandbox's S3 (deployToSandbox uploads templates/dr-app.yaml there). */
  templateUrl: string;
  /** Restore attempts per resource (AppConfig default 2). */
  maxRestoreAttempts?: number;
}

/** The DR stack's CloudFormation service role in the scenario's account. */
export const stackRoleArn = (s: Scenario): string =>
  `arn:aws:iam::${s.account}:role/${appName(s)}-dr-cloudformation`;

/** InstanceRoleTag=<value> when every `role=` tag the scenario's integrations name has that one value. */
function roleTagParameter(s: Scenario): Record<string, string> {
  const roles = new Set(
    s.resources.flatMap((r) => {
      const tag = r.integrate.attachToTag;
      return tag?.startsWith("role=") ? [tag.slice("role=".length)] : [];
    }),
  );
  const [role] = roles;
  return roles.size === 1 && role !== undefined ? { InstanceRoleTag: role } : {};
}

export function configFromScenario(s: Scenario, opts: ConfigFromScenarioOptions): AppConfigInput {
  const app = appName(s);
  const config: AppConfigInput = {
    app,
    regions: { primary: s.regions.primary, recovery: s.regions.recovery },
    account: s.account,
    vault: s.vault,
    objectives: { rtoMinutes: s.objectives.rtoMinutes, rpoMinutes: s.objectives.rpoMinutes },
    stack: {
      name: s.app.stackName,
      templateUrl: opts.templateUrl,
      roleArn: stackRoleArn(s),
      // templates/dr-app.yaml's network parameters, and its instances' role tag when the EBS
      // integrations attach to role=<value>; the rest keep their defaults.
      parameters: {
        VpcId: s.network.vpcId,
        SubnetIds: s.network.subnetIds.join(","),
        ...roleTagParameter(s),
      },
      loadBalancerZoneOutput: "LoadBalancerHostedZoneId",
    },
    network: {
      vpcId: s.network.vpcId,
      subnetIds: [...s.network.subnetIds],
      securityGroupIds: [...s.network.securityGroupIds],
      dbSubnetGroup: s.network.dbSubnetGroup,
    },
    dns: { hostedZoneId: hostedZoneId(s), record: s.dns.record, type: "CNAME", ttl: 60 },
    detect: {
      alarmNames: s.primary.alarms.map((a) => a.name),
      primaryInstanceTag: primaryInstanceTag(app),
    },
    resources: s.resources
      .filter((r) => !selectedByTags(s, r))
      .map((r) => ({
        name: r.name,
        type: r.type,
        sourceArn: sourceArn(s, r),
        dependsOn: [...r.dependsOn],
        integrate: { ...r.integrate },
      })),
  };
  if (s.selection) config.selection = { tags: { ...s.selection.tags } };
  if (opts.maxRestoreAttempts !== undefined) config.maxRestoreAttempts = opts.maxRestoreAttempts;
  if (s.approval) config.approval = { mode: s.approval.mode, windowMinutes: s.approval.windowMinutes };
  return config;
}

/** configFromScenario, validated and with AppConfig's defaults applied. */
export function parsedConfigFromScenario(s: Scenario, opts: ConfigFromScenarioOptions): AppConfig {
  return AppConfig.parse(configFromScenario(s, opts));
}
