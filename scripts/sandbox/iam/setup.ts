/**
 * IAM for a sandbox deployment: the step roles synthesized from the app config the sandbox
 * uploads, the principals behind their credentials, and the roles that exist in the account.
 * Imported on demand (it loads the CDK app).
 */
import type { AppConfig } from "../../../functions/shared/config.js";
import { partitionOf } from "../../../infra/permissions.js";
import { SandboxIam } from "./index.js";
import { type PhysicalNames, synthesizedStepRoles } from "./policy-source.js";
import { PrincipalBook } from "./principals.js";

export interface IamSetup extends PhysicalNames {
  /** The state machine's own role (CreateStateMachine passes it to Step Functions). */
  orchestratorRoleArn: string;
  tagPropagationSeconds?: number;
}

export function sandboxIam(config: AppConfig, names: IamSetup): SandboxIam {
  const partition = partitionOf(names.region);
  const roles = synthesizedStepRoles(config, names);
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
