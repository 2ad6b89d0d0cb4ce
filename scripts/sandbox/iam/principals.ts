/**
 * Who calls the sandbox. On AWS each step's Lambda function signs its calls with temporary
 * credentials of its own execution role (session name = the function name); everyone else (the
 * local runner, the AWS CLI, boto3 users of the standalone sandbox) is, for the sandbox, the
 * account's administrator.
 *
 * The sandbox's Lambda invoker runs each handler inside `runAsFunction`, which installs the
 * function's credentials for the SDK clients it builds (functions/shared/aws/clients.ts
 * useClientScope). The wire layer reads the access key id of the SigV4 Authorization header;
 * `PrincipalBook.of` maps it back to the step role, or to the administrator for any other key.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { createHash } from "node:crypto";
import { type ClientScope, useClientScope } from "../../../functions/shared/aws/clients.js";
import { FUNCTIONS, type FunctionKey } from "../../../state-machines/names.js";
import type { PolicyDocument } from "./evaluator.js";

/** Function name of a step on AWS and in the sandbox. */
export const functionName = (fn: FunctionKey): string => `drctl-${fn}`;

/** Temporary credentials (ASIA…) of a step function's role session; deterministic per function. */
export function functionCredentials(fn: FunctionKey): ClientScope["credentials"] {
  const hex = createHash("sha256").update(`drctl-sandbox:${fn}`).digest("hex").toUpperCase();
  return {
    accessKeyId: `ASIA${hex.slice(0, 16)}`,
    secretAccessKey: hex.slice(16, 56),
    sessionToken: `sandbox-session-${fn}`,
  };
}

const invocation = new AsyncLocalStorage<ClientScope>();

/** Runs `body` as one invocation of the step's function (its clients, its credentials). */
export function runAsFunction<T>(fn: FunctionKey, body: () => T): T {
  return invocation.run({ container: functionName(fn), credentials: functionCredentials(fn) }, body);
}

let installed = 0;

/**
 * Makes the SDK clients of functions/ read the invocation in progress (see runAsFunction); the
 * returned function undoes it once every sandbox that installed it has closed.
 */
export function installClientScope(): () => void {
  installed++;
  useClientScope(() => invocation.getStore());
  let done = false;
  return () => {
    if (done) return;
    done = true;
    installed--;
    if (installed === 0) useClientScope(undefined);
  };
}

export interface AdminPrincipal {
  kind: "admin";
  arn: string;
}

export interface RolePrincipal {
  kind: "role";
  step: FunctionKey;
  roleName: string;
  roleArn: string;
  /** `arn:aws:sts::<account>:assumed-role/<role>/<session>`, as AWS names the caller in errors. */
  arn: string;
  policies: readonly PolicyDocument[];
}

export type Principal = AdminPrincipal | RolePrincipal;

export interface StepRole {
  roleName: string;
  roleArn: string;
  policies: readonly PolicyDocument[];
}

export class PrincipalBook {
  private readonly byKey = new Map<string, RolePrincipal>();
  readonly admin: AdminPrincipal;

  constructor(
    readonly account: string,
    readonly partition: string,
    roles: Record<FunctionKey, StepRole>,
  ) {
    this.admin = { kind: "admin", arn: `arn:${partition}:iam::${account}:user/sandbox-admin` };
    for (const fn of FUNCTIONS) {
      const role = roles[fn];
      this.byKey.set(functionCredentials(fn).accessKeyId, {
        kind: "role",
        step: fn,
        roleName: role.roleName,
        roleArn: role.roleArn,
        arn: `arn:${partition}:sts::${account}:assumed-role/${role.roleName}/${functionName(fn)}`,
        policies: role.policies,
      });
    }
  }

  /** The principal behind an access key id (any key no step uses is the administrator's). */
  of(accessKeyId: string | undefined): Principal {
    return (accessKeyId !== undefined && this.byKey.get(accessKeyId)) || this.admin;
  }

  /** The role principal of a step (tests). */
  step(fn: FunctionKey): RolePrincipal {
    const p = this.byKey.get(functionCredentials(fn).accessKeyId);
    if (!p) throw new Error(`no role for ${fn}`);
    return p;
  }
}
