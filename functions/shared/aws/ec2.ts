import type { EC2Client } from "@aws-sdk/client-ec2";

export interface Instance {
  id: string;
  state: string;
  availabilityZone: string;
  subnetId?: string;
  tags: Record<string, string>;
}

export interface InstanceStatus {
  id: string;
  state: string;
  /** "ok" | "impaired" | "insufficient-data" | "not-applicable" | "initializing" */
  instanceStatus: string;
  systemStatus: string;
}

export interface Volume {
  id: string;
  state: string;
  availabilityZone: string;
  attachments: { instanceId: string; device: string; state: string }[];
  tags: Record<string, string>;
}

export interface Subnet {
  id: string;
  vpcId: string;
  availabilityZone: string;
}

export interface SecurityGroup {
  id: string;
  vpcId: string;
}

/** Filters for DescribeInstances/DescribeVolumes: tags as KEY=VALUE pairs, plus states. */
export interface TagQuery {
  tags?: Record<string, string>;
  states?: string[];
  ids?: string[];
}

/** The Amazon EC2 operations drctl uses. Pagination happens inside. */
export interface Ec2Api {
  describeInstances(query: TagQuery): Promise<Instance[]>;
  /** DescribeInstanceStatus (IncludeAllInstances) for the given ids, or all when omitted. */
  describeInstanceStatus(ids?: string[]): Promise<InstanceStatus[]>;
  describeVolumes(query: TagQuery): Promise<Volume[]>;
  attachVolume(volumeId: string, instanceId: string, device: string): Promise<void>;
  detachVolume(volumeId: string, force?: boolean): Promise<void>;
  /** DeleteVolume; no-op when already gone. */
  deleteVolume(volumeId: string): Promise<void>;
  /** TerminateInstances; no-op for ids already gone. */
  terminateInstances(ids: string[]): Promise<void>;
  createTags(resourceIds: string[], tags: Record<string, string>): Promise<void>;
  describeSubnets(ids: string[]): Promise<Subnet[]>;
  describeSecurityGroups(ids: string[]): Promise<SecurityGroup[]>;
}

export function ec2Api(_client: EC2Client): Ec2Api {
  throw new Error("ec2Api: not implemented yet");
}
