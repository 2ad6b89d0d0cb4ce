/**
 * Builds the drctl CDK app from the validated config: the orchestrator (recovery region) and,
 * unless switched off by context, the DR vault (recovery), the primary backup plan and the event
 * forwarder (primary). cdk-nag AwsSolutions checks run on everything.
 *
 * Context: config (file path), notifyEmail, drillSchedule, drillTimezone, drillScheduleEnabled,
 * protection (false: no vault/backup plan stacks), forwarder (false: no primary forwarder).
 */
import { type App, Aspects } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import type { AppConfig } from "../functions/shared/config.js";
import { ConfigError, loadAppConfig, resolveConfigPath } from "./config.js";
import { OrchestratorStack } from "./stacks/orchestrator-stack.js";
import { PrimaryForwarderStack } from "./stacks/primary-forwarder-stack.js";
import { DrVaultStack, ProtectionStack } from "./stacks/protection-stack.js";

export interface DrctlStacks {
  config: AppConfig;
  orchestrator: OrchestratorStack;
  drVault?: DrVaultStack;
  protection?: ProtectionStack;
  forwarder?: PrimaryForwarderStack;
}

function contextFlag(app: App, name: string, fallback: boolean): boolean {
  const value: unknown = app.node.tryGetContext(name);
  if (value === undefined || value === null || value === "") return fallback;
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  throw new ConfigError(`context '${name}' must be true or false (got ${JSON.stringify(value)})`);
}

function contextString(app: App, name: string): string | undefined {
  const value: unknown = app.node.tryGetContext(name);
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") {
    throw new ConfigError(`context '${name}' must be a string (got ${JSON.stringify(value)})`);
  }
  return value;
}

export function buildDrctlApp(app: App, config?: AppConfig): DrctlStacks {
  const cfg = config ?? loadAppConfig(resolveConfigPath(app.node.tryGetContext("config")));
  const recovery = { account: cfg.account, region: cfg.regions.recovery };
  const primary = { account: cfg.account, region: cfg.regions.primary };
  const prefix = `drctl-${cfg.app}`;
  const stacks: DrctlStacks = {
    config: cfg,
    orchestrator: new OrchestratorStack(app, "Orchestrator", {
      stackName: `${prefix}-orchestrator`,
      description: `drctl: disaster-recovery orchestrator for ${cfg.app} (${cfg.regions.primary} -> ${cfg.regions.recovery})`,
      env: recovery,
      config: cfg,
      notifyEmail: contextString(app, "notifyEmail"),
      drillSchedule: contextString(app, "drillSchedule"),
      drillTimezone: contextString(app, "drillTimezone"),
      drillScheduleEnabled: contextFlag(app, "drillScheduleEnabled", true),
    }),
  };
  if (contextFlag(app, "protection", true)) {
    stacks.drVault = new DrVaultStack(app, "DrVault", {
      stackName: `${prefix}-dr-vault`,
      description: `drctl: DR backup vault ${cfg.vault} for ${cfg.app}`,
      env: recovery,
      config: cfg,
    });
    stacks.protection = new ProtectionStack(app, "Protection", {
      stackName: `${prefix}-protection`,
      description: `drctl: hourly backups of ${cfg.app} copied to ${cfg.regions.recovery}`,
      env: primary,
      config: cfg,
    });
    stacks.protection.addStackDependency(stacks.drVault, "copy actions target the DR vault");
    stacks.orchestrator.addStackDependency(stacks.drVault, "restores read the DR vault");
  }
  if (contextFlag(app, "forwarder", true)) {
    stacks.forwarder = new PrimaryForwarderStack(app, "PrimaryForwarder", {
      stackName: `${prefix}-primary-forwarder`,
      description: `drctl: forwards ${cfg.app} failover triggers from ${cfg.regions.primary}`,
      env: primary,
      config: cfg,
    });
    stacks.forwarder.addStackDependency(stacks.orchestrator, "the recovery-region rules must exist first");
  }
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  return stacks;
}
