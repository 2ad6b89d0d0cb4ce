/**
 * IAM in the sandbox: every call a step's function makes is authorized against that step role's
 * policies, as the CDK app synthesizes them (policy-source.ts), before the world handles it.
 *
 * The caller is the principal behind the SigV4 access key (principals.ts): a step role (evaluated)
 * or, for any other key, the account's administrator (allowed). The call becomes the IAM requests
 * AWS makes for it (operations.ts), each evaluated (evaluator.ts) with the request context: the
 * region of the call, the principal, the request's tags and service keys, and the tags IAM sees
 * on each resource (resource-tags.ts, with the propagation delay of tag changes). A denied request
 * answers the service's own AccessDenied (errors.ts).
 */
import type { Caller, SandboxCall } from "../types.js";
import { AccessDenied, deniedSentence } from "./errors.js";
import { type AuthorizationRequest, evaluate, requestContext } from "./evaluator.js";
import { authorizationFor, hasMapping } from "./operations.js";
import type { Principal, PrincipalBook } from "./principals.js";
import type { MapCtx } from "./requests.js";
import { currentTags, type IamWorld, resourceKeys, TagHistory } from "./resource-tags.js";

export { TAG_PROPAGATION_SECONDS } from "./resource-tags.js";

export interface SandboxIamOptions {
  principals: PrincipalBook;
  /** Role ARNs that exist in the account (iam:PassRole targets): the restore role, the stack role, … */
  roles: Iterable<string>;
  partition?: string;
  /** Seconds before tag-based authorization sees a tag change (default TAG_PROPAGATION_SECONDS). */
  tagPropagationSeconds?: number;
}

/** One authorization decision (tests and diagnostics). */
export interface IamDecision {
  at: number;
  principal: string;
  action: string;
  resource: string;
  effect: "Allow" | "ExplicitDeny" | "ImplicitDeny";
}

export class SandboxIam {
  readonly principals: PrincipalBook;
  readonly roles: Set<string>;
  readonly partition: string;
  readonly tags: TagHistory;
  /** Every decision on a step role's request, in order. */
  readonly decisions: IamDecision[] = [];

  constructor(opts: SandboxIamOptions) {
    this.principals = opts.principals;
    this.roles = new Set(opts.roles);
    this.partition = opts.partition ?? opts.principals.partition;
    this.tags = new TagHistory(opts.tagPropagationSeconds);
  }

  /**
   * Authorizes a call at virtual time `now`. Throws what the service answers when IAM denies it;
   * returns what to run once the handler succeeded (it records the tag changes the call made).
   */
  authorize(world: IamWorld, call: SandboxCall, caller: Caller, now: number): () => void {
    const principal = this.principals.of(caller.accessKeyId);
    const ctx: MapCtx = {
      world,
      region: call.region,
      account: world.account,
      partition: this.partition,
      input: call.input ?? {},
      roles: this.roles,
    };
    // The administrator is allowed everything; its tag changes still take time to propagate.
    if (principal.kind === "admin" && !hasMapping(call.service, call.operation)) return () => undefined;
    const auth = authorizationFor(call.service, call.operation, ctx);
    if (principal.kind === "role") {
      for (const required of auth.required) {
        for (const resource of required.resources) {
          const req: AuthorizationRequest = {
            action: required.action,
            resource: resource.arn,
            context: this.context(world, principal, call, resource.arn, required.context, now),
          };
          const decision = evaluate(principal.policies, req);
          this.decisions.push({ at: now, principal: principal.arn, ...req, effect: decision.effect });
          if (decision.effect === "Allow") continue;
          if (required.deniedAs) throw required.deniedAs(deniedSentence(principal, req, decision));
          throw new AccessDenied(call.service, principal, req, decision);
        }
      }
    }
    auth.check?.();
    const changed = auth.tagsChanged ?? [];
    for (const arn of changed) this.tags.before(arn, currentTags(world, arn));
    return () => {
      for (const arn of changed) this.tags.after(arn, now, currentTags(world, arn));
    };
  }

  /** The tags IAM sees on a resource now (aws:ResourceTag/*). */
  resourceTags(world: IamWorld, arn: string, now: number): Record<string, string> | undefined {
    return this.tags.effective(arn, now, currentTags(world, arn));
  }

  private context(
    world: IamWorld,
    principal: Principal,
    call: SandboxCall,
    resource: string,
    extra: Record<string, string | string[]> | undefined,
    now: number,
  ) {
    const keys: Record<string, string | string[]> = {
      "aws:RequestedRegion": call.region,
      "aws:PrincipalArn": principal.kind === "role" ? principal.roleArn : principal.arn,
      "aws:PrincipalAccount": world.account,
      "aws:PrincipalType": principal.kind === "role" ? "AssumedRole" : "User",
      "aws:SecureTransport": "true",
      "aws:CurrentTime": new Date(now).toISOString(),
      ...extra,
    };
    if (resource !== "*") {
      Object.assign(keys, resourceKeys(world, resource));
      const service = resource.split(":")[2];
      for (const [k, v] of Object.entries(this.resourceTags(world, resource, now) ?? {})) {
        keys[`aws:ResourceTag/${k}`] = v;
        if (service === "ec2") keys[`ec2:ResourceTag/${k}`] = v;
        // ssm:resourceTag/* names the tags of the resource an SSM action acts on (SendCommand: the instance).
        if (call.service === "ssm") keys[`ssm:resourceTag/${k}`] = v;
      }
    }
    return requestContext(keys);
  }
}
