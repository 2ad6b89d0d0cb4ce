/**
 * Identity-based policy evaluation within one account, as IAM documents it: an explicit Deny in
 * any applicable statement wins; otherwise an applicable Allow allows; otherwise the request is
 * implicitly denied.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_AccessPolicyLanguage_Interplay.html
 *
 * A statement applies when its Action (or NotAction) matches the action (service prefix and
 * action name compared case-insensitively, `*` and `?` wildcards), its Resource (or NotResource)
 * matches the resource ARN (segment-wise, see arnMatches), and its Condition holds.
 */
import {
  arnMatches,
  type ConditionBlock,
  conditionsHold,
  globRegExp,
  type RequestContext,
} from "./conditions.js";

export interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: ConditionBlock;
}

export interface PolicyDocument {
  Version?: string;
  Statement: Statement | Statement[];
}

/** One authorization question: may the principal do `action` on `resource` in this context? */
export interface AuthorizationRequest {
  /** `service:Action`, e.g. `ec2:AttachVolume`. */
  action: string;
  /** The resource ARN, or `*` for actions that support no resource-level permissions. */
  resource: string;
  context: RequestContext;
}

export type Decision =
  | { effect: "Allow"; statement: Statement }
  | { effect: "ExplicitDeny"; statement: Statement }
  | { effect: "ImplicitDeny" };

const list = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

export function statementsOf(doc: PolicyDocument): Statement[] {
  return Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
}

/** Action patterns are case-insensitive (`ec2:attachvolume` = `EC2:AttachVolume`). */
export function actionMatches(pattern: string, action: string): boolean {
  if (pattern === "*") return true;
  return globRegExp(pattern, "i").test(action);
}

/** Resource patterns: `*` matches everything, ARNs compare segment-wise and case-sensitively. */
export function resourceMatches(pattern: string, resource: string): boolean {
  if (pattern === "*") return true;
  if (resource === "*") return false;
  return arnMatches(pattern, resource);
}

function applies(s: Statement, req: AuthorizationRequest): boolean {
  if (s.Action !== undefined && s.NotAction !== undefined) {
    throw new Error(`statement ${s.Sid ?? ""} has both Action and NotAction`);
  }
  const actionOk =
    s.NotAction !== undefined
      ? !list(s.NotAction).some((p) => actionMatches(p, req.action))
      : list(s.Action).some((p) => actionMatches(p, req.action));
  if (!actionOk) return false;
  const resourceOk =
    s.NotResource !== undefined
      ? !list(s.NotResource).some((p) => resourceMatches(p, req.resource))
      : list(s.Resource).some((p) => resourceMatches(p, req.resource));
  if (!resourceOk) return false;
  return conditionsHold(s.Condition, req.context);
}

/** Evaluates a principal's identity-based policies for one request. */
export function evaluate(policies: readonly PolicyDocument[], req: AuthorizationRequest): Decision {
  let allow: Statement | undefined;
  for (const doc of policies) {
    for (const s of statementsOf(doc)) {
      if (!applies(s, req)) continue;
      if (s.Effect === "Deny") return { effect: "ExplicitDeny", statement: s };
      if (s.Effect === "Allow") allow ??= s;
      else throw new Error(`statement ${s.Sid ?? ""} has Effect ${JSON.stringify(s.Effect)}`);
    }
  }
  return allow ? { effect: "Allow", statement: allow } : { effect: "ImplicitDeny" };
}

/** Builds a request context from plain values (keys are case-insensitive). */
export function requestContext(keys: Record<string, string | readonly string[] | undefined>): RequestContext {
  const out = new Map<string, readonly string[]>();
  for (const [k, v] of Object.entries(keys)) {
    if (v === undefined) continue;
    out.set(k.toLowerCase(), typeof v === "string" ? [v] : [...v]);
  }
  return out;
}
