/** IAM test helpers: the example app's synthesized step roles and one-call authorization. */
import type { AppConfig } from "../../../functions/shared/config.js";
import { SandboxIam } from "../../../scripts/sandbox/iam/index.js";
import { orchestratorStack, stepRolesFrom } from "../../../scripts/sandbox/iam/policy-source.js";
import {
  functionCredentials,
  PrincipalBook,
  type StepRole,
} from "../../../scripts/sandbox/iam/principals.js";
import type { IamWorld } from "../../../scripts/sandbox/iam/resource-tags.js";
import type { SandboxError, ServiceName } from "../../../scripts/sandbox/types.js";
import { Region } from "../../../scripts/sandbox/world/model.js";
import type { FunctionKey } from "../../../state-machines/names.js";

export const NAMES = {
  account: "111122223333",
  region: "us-west-2",
  bucket: "drctl-artifacts-111122223333-us-west-2",
  restoreRoleArn: "arn:aws:iam::111122223333:role/drctl-restore",
  topicArn: "arn:aws:sns:us-west-2:111122223333:drctl-shop",
  stateMachineName: "drctl-shop",
};

export function rolesFor(config: AppConfig): Record<FunctionKey, StepRole> {
  return stepRolesFrom(orchestratorStack(config), NAMES);
}

/** A world with no resources (enough for calls whose authorization needs no world state). */
export function emptyWorld(): IamWorld {
  const regions = new Map<string, Region>();
  return {
    account: NAMES.account,
    s3: new Map(),
    get recovery() {
      return this.region(NAMES.region);
    },
    region(name: string) {
      const r = regions.get(name) ?? new Region(name, undefined);
      regions.set(name, r);
      return r;
    },
  };
}

export interface Authorizer {
  iam: SandboxIam;
  /** The error a step's call gets, or undefined when IAM allows it. */
  check(
    step: FunctionKey,
    service: ServiceName,
    operation: string,
    input: Record<string, unknown>,
    region?: string,
    world?: IamWorld,
  ): SandboxError | undefined;
}

export function authorizer(roles: Record<FunctionKey, StepRole>, extraRoles: string[] = []): Authorizer {
  const iam = new SandboxIam({
    principals: new PrincipalBook(NAMES.account, "aws", roles),
    roles: [NAMES.restoreRoleArn, ...extraRoles],
  });
  return {
    iam,
    check(step, service, operation, input, region = NAMES.region, world = emptyWorld()) {
      try {
        iam.authorize(
          world,
          { service, operation, region, input },
          { accessKeyId: functionCredentials(step).accessKeyId },
          Date.parse("2026-03-01T09:00:00Z"),
        );
        return undefined;
      } catch (e) {
        return e as SandboxError;
      }
    },
  };
}
