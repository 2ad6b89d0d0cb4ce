/**
 * IAM for a sandbox deployment: the step roles synthesized from the app config the sandbox
 * uploads, the principals behind their credentials, and the roles that exist in the account.
 * The roles come from the synthesized app (synthesized.ts).
 */
import type { AppConfig } from "../../../functions/shared/config.js";
import { partitionOf } from "../../../infra/permissions.js";
import type { FunctionKey } from "../../../state-machines/names.js";
import { SandboxIam } from "./index.js";
import type { PhysicalNames } from "./policy-source.js";
import { PrincipalBook, type StepRole } from "./principals.js";

export interface IamSetup extends PhysicalNames {
  /** The state machine's own role (CreateStateMachine passes it to Step Functions). */
  orchestratorRoleArn: string;
  tagPropagationSeconds?: number;
}

/** `roles`: the step roles as the CDK app synthesizes them (synthesized.ts). */
export function sandboxIam(
  config: AppConfig,
  names: IamSetup,
  roles: Record<FunctionKey, StepRole>,
): SandboxIam {
  const partition = partitionOf(names.region);
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
