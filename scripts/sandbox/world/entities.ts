import type { PutMetricAlarmInput, StateValue } from "@aws-sdk/client-cloudwatch";
import type { ScenarioResource } from "../scenario.js";
import type { Tags } from "./model.js";

interface Lifecycle {
  createdAt: number;
  /** When it became usable (available / ACTIVE / running). */
  readyAt: number;
  /** When deletion started. */
  deletingAt?: number;
  /** When it disappears from the API (removed by settle). */
  goneAt?: number;
  tags: Tags;
  /** Restore job that created it. */
  createdByJob?: string;
  deletionProtection?: boolean; // RDS DeletionProtection, DynamoDB …Enabled, EC2 DisableApiTermination
}

export interface DbInstance extends Lifecycle {
  id: string;
  arn: string;
  resourceId: string;
  instanceClass: string;
  engine: string;
  engineVersion: string;
  clusterId?: string;
  subnetGroup: string;
  sgIds: string[];
  az: string;
  multiAz: boolean;
  port: number;
  endpoint: string;
  storageGiB: number;
}

export interface DbCluster extends Lifecycle {
  id: string;
  arn: string;
  resourceId: string;
  engine: string;
  engineVersion: string;
  subnetGroup: string;
  sgIds: string[];
  azs: string[];
  port: number;
  endpoint: string;
  readerEndpoint: string;
}

export interface Attachment {
  instanceId: string;
  device: string;
  attachedAt: number;
  /** When the attachment is complete (state attached). */
  readyAt: number;
  detachingAt?: number;
  /** When the volume becomes available again. */
  detachedAt?: number;
}

export interface Instance extends Lifecycle {
  id: string;
  arn: string;
  instanceType: string;
  imageId: string;
  az: string;
  subnetId: string;
  vpcId: string;
  sgIds: string[];
  privateIp: string;
  /** Status checks: ok when true, impaired when false. */
  healthy: boolean;
  stackId?: string;
}

/** A CloudWatch metric alarm (the sandbox has no metrics: its state is what was set). */
export interface MetricAlarm {
  name: string;
  arn: string;
  /** PutMetricAlarm's configuration as given (metric, threshold, actions, …), tags excepted. */
  config: Omit<PutMetricAlarmInput, "AlarmName" | "Tags">;
  state: StateValue;
  reason: string;
  reasonData?: string;
  configUpdatedAt: number;
  stateUpdatedAt: number;
  stateTransitionedAt: number;
  tags: Tags;
}

export interface Volume extends Lifecycle {
  id: string;
  arn: string;
  az: string;
  sizeGiB: number;
  volumeType: string;
  encrypted: boolean;
  iops: number;
  snapshotId?: string;
  attachment?: Attachment;
}

export interface FileSystem extends Lifecycle {
  id: string;
  arn: string;
  creationToken: string;
  encrypted: boolean;
  performanceMode: string;
  sizeBytes: number;
}

export interface MountTarget extends Lifecycle {
  id: string;
  fileSystemId: string;
  subnetId: string;
  az: string;
  vpcId: string;
  ip: string;
  sgIds: string[];
  eni: string;
}

export interface Table extends Lifecycle {
  name: string;
  arn: string;
  tableId: string;
  itemCount: number;
  sizeBytes: number;
}

export interface Parameter {
  name: string;
  type: string;
  value: string;
  version: number;
  modifiedAt: number;
  description?: string;
  tags: Tags;
}

export interface CommandResult {
  status: "InProgress" | "Success" | "Failed";
  stdout: string;
  stderr: string;
}

export interface Command {
  id: string;
  document: string;
  comment: string;
  instanceIds: string[];
  commands: string[];
  requestedAt: number;
  doneAt: number;
  results: Record<string, { status: "Success" | "Failed"; stdout: string; stderr: string }>;
}

export interface RecoveryPoint {
  arn: string;
  resource: ScenarioResource;
  vault: string;
  /** The source backup's start (a copy keeps its source's CreationDate). */
  createdAt: number;
  /** In the recovery vault, CREATING, from here (the copy job's start). */
  listedAt: number;
  /** COMPLETED from here. */
  completedAt: number;
  sizeBytes: number;
  /** The copy's source: ARN of the resource in the primary region. */
  resourceArn: string;
  /** 0 = newest at t=0; older ones 1, 2, …; copies made after t=0 -1, -2, … */
  index: number;
  /** The copy's own tags (the source resource's, copied by AWS Backup). */
  tags: Tags;
}

export interface RestoreJob {
  id: string;
  recoveryPointArn: string;
  resource: ScenarioResource;
  resourceType: string;
  roleArn: string;
  metadata: Record<string, string>;
  token?: string;
  createdAt: number;
  /** RUNNING from here. */
  runningAt: number;
  /** COMPLETED / FAILED / ABORTED at this time. */
  endsAt: number;
  fate: "COMPLETED" | "FAILED" | "ABORTED";
  fateMessage?: string;
  /** Whole-job estimate (minutes, from restoreSeconds only): ExpectedCompletionTimeMinutes of the linear progress model. */
  expectedMinutes: number;
  sizeBytes: number;
  /** Set when the job completed and its resource exists. */
  createdResourceArn?: string;
  materialized: boolean;
  copyTags: boolean;
}

export interface OpsItem {
  id: string;
  arn: string;
  title: string;
  description: string;
  source: string;
  severity?: string;
  category?: string;
  operationalData: Record<string, string>;
  createdAt: number;
}

export interface SnsMessage {
  messageId: string;
  topicArn: string;
  subject?: string;
  message: string;
  at: number;
}

export interface DnsChange {
  id: string;
  submittedAt: number;
  insyncAt: number;
  comment?: string;
}

export interface RecordSet {
  name: string;
  type: string;
  ttl?: number;
  values: string[];
  alias?: { hostedZoneId: string; dnsName: string; evaluateTargetHealth: boolean };
}

export interface Subnet {
  id: string;
  vpcId: string;
  az: string;
  cidr: string;
  tags: Tags;
}

export interface SecurityGroup {
  id: string;
  name: string;
  vpcId: string;
  description: string;
  tags: Tags;
}
