/** A CloudFormation stack of the world: its template's resources on the virtual clock, its outputs and events. */
import type { Capability, ResourceStatus } from "@aws-sdk/client-cloudformation";
import type { Tags } from "../model.js";

export interface StackEvent {
  at: number;
  logicalId: string;
  type: string;
  physicalId: string;
  status: ResourceStatus;
  reason?: string;
}

/** A resource of a stack, as its template declares it, with its creation times. */
export interface StackResource {
  logicalId: string;
  type: string;
  physicalId: string;
  /** CREATE_IN_PROGRESS from here; CREATE_COMPLETE at endAt (unless the stack failed first). */
  startAt: number;
  endAt: number;
  /** Properties with every intrinsic function resolved. */
  properties: Record<string, unknown>;
  /** What Fn::GetAtt returns (a load balancer's DNSName, …). */
  attributes: Record<string, unknown>;
}

export interface StackParameter {
  key: string;
  value: string;
  noEcho: boolean;
  /** SSM parameter types: the value read from Parameter Store. */
  resolved?: string;
}

export interface Stack {
  id: string;
  name: string;
  token?: string;
  templateUrl?: string;
  /** Service role the stack's operations use (CreateStack RoleARN). */
  roleArn?: string;
  /** The template's text (GetTemplateSummary with StackName reads it). */
  templateBody: string;
  description?: string;
  parameters: StackParameter[];
  tags: Tags;
  capabilities: Capability[];
  createdAt: number;
  /** The template's resources, in creation order. */
  resources: StackResource[];
  outputs: { OutputKey: string; OutputValue: string; Description?: string; ExportName?: string }[];
  /** CREATE_COMPLETE time, when the stack succeeds. */
  completeAt?: number;
  /** The create fails at failAt and ends in `failStatus` (after a rollback when ROLLBACK_*). */
  failAt?: number;
  failStatus?: "ROLLBACK_COMPLETE" | "ROLLBACK_FAILED" | "CREATE_FAILED";
  /** The resource that failed (undefined when the stack failed before creating any, e.g. parameter validation). */
  failedResource?: string;
  failReason?: string;
  deletingAt?: number;
  deletedAt?: number;
  /** Instances launched by the stack's Auto Scaling groups and instances (created when it completes). */
  instanceIds: string[];
  materialized: boolean;
}
