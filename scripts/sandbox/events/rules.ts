/**
 * The EventBridge rules of the orchestrator stack as the CDK app synthesizes them (the same
 * in-process OrchestratorStack the IAM policies come from, iam/policy-source.ts): each rule's event
 * pattern and its targets' ARN and input (Input or InputTransformer), with the intrinsics resolved
 * to the sandbox's physical names. A target's RoleArn is not read (see docs/fidelity.md).
 */
import * as events from "aws-cdk-lib/aws-events";
import type { OrchestratorStack } from "../../../infra/stacks/orchestrator-stack.js";
import {
  type PhysicalNames,
  physicalValues,
  pseudoParameters,
  resolveIntrinsics,
} from "../iam/policy-source.js";
import type { TargetInput } from "./transformer.js";

export interface RuleTarget extends TargetInput {
  arn: string;
}

export interface EventRule {
  /** The rule's construct path (diagnostics). */
  name: string;
  pattern: Record<string, unknown>;
  targets: RuleTarget[];
}

interface CfnTarget {
  arn: unknown;
  input?: string;
  inputTransformer?: { inputPathsMap?: Record<string, string>; inputTemplate: string };
}

export function eventRulesFrom(stack: OrchestratorStack, names: PhysicalNames): EventRule[] {
  const physical = physicalValues(stack, names);
  const pseudo = pseudoParameters(stack, names);
  const rules: EventRule[] = [];
  for (const c of stack.node.findAll()) {
    if (!(c instanceof events.CfnRule)) continue;
    const where = c.node.path;
    const resolve = (v: unknown) => resolveIntrinsics(stack.resolve(v), physical, pseudo, where);
    const targets = ((stack.resolve(c.targets) ?? []) as CfnTarget[]).map((t) => {
      const target: RuleTarget = { arn: String(resolve(t.arn)) };
      if (t.input !== undefined) target.input = String(resolve(t.input));
      if (t.inputTransformer) {
        target.inputTransformer = resolve(t.inputTransformer) as NonNullable<TargetInput["inputTransformer"]>;
      }
      return target;
    });
    rules.push({ name: where, pattern: resolve(c.eventPattern) as Record<string, unknown>, targets });
  }
  return rules;
}
