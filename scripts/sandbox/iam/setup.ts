/**
 * IAM for a sandbox deployment: the step roles synthesized from the app config the sandbox
 * uploads, the principals behind their credentials, and the roles that exist in the account.
 * Imported on demand (it loads the CDK app).
 */
import type { AppConfig } from "../../../functions/shared/config.js";
import { partitionOf } from "../../../infra/permissions.js";
import type { OrchestratorStack } from "../../../infra/stacks/orchestrator-stack.js";
import { SandboxIam } from "./index.js";
import { orchestratorStack, type PhysicalNames, stepRolesFrom } from "./policy-source.js";
import { PrincipalBook } from "./principals.js";

export interface IamSetup extends PhysicalNames {
  /** The state machine's own role (CreateStateMachine passes it to Step Functions). */
  orchestratorRoleArn: string;
  tagPropagationSeconds?: number;
}

/** `stack`: the synthesized orchestrator stack when the caller built it already. */
export function sandboxIam(config: AppConfig, names: IamSetup, stack?: OrchestratorStack): SandboxIam {
  const partition = partitionOf(names.region);
  const roles = stepRolesFrom(stack ?? orchestratorStack(config), names);
  return new SandboxIam({
    principals: new PrincipalBook(names.account, partition, roles),
    partition,
    roles: [
      names.restoreRoleArn,
      names.orchestratorRoleArn,
      ...(config.stack.roleArn ? [config.stack.roleArn] : []),
      ...Object.values(roles).map((r) => r.roleArn),
    ],
    ...(names.tagPropagationSeconds !== undefined
      ? { tagPropagationSeconds: names.tagPropagationSeconds }
      : {}),
  });
}
