import {
  AttachVolumeCommand,
  CreateTagsCommand,
  DeleteVolumeCommand,
  DetachVolumeCommand,
  EC2Client,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { clientConfig, memoClient } from "./clients.js";
import {
  describeInstanceStatus,
  describeInstances,
  describeVolumes,
  type Instance,
  type InstanceStatus,
  type TagQuery,
  type Volume,
} from "./ec2-describe.js";
import { callAws, callAwsOptional } from "./errors.js";
import { noteTagged } from "./fresh-tags.js";
import { chunks, collectPages, toTagList } from "./util.js";

export type { Instance, InstanceStatus, TagQuery, Volume };

export interface Subnet {
  id: string;
  vpcId: string;
  availabilityZone: string;
}

export interface SecurityGroup {
  id: string;
  vpcId: string;
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

const SERVICE = "ec2";
/** CreateTags takes up to 1000 resource ids; AWS recommends smaller batches. */
const TAG_BATCH = 200;
/** TerminateInstances takes up to 1000 instance ids. */
const TERMINATE_BATCH = 1000;

export function ec2Api(client: EC2Client): Ec2Api {
  /** TerminateInstances; true when AWS rejected the call because an id does not exist. */
  const terminate = (ids: string[]) =>
    callAws<boolean>(
      SERVICE,
      "TerminateInstances",
      ids.join(","),
      async () => {
        await client.send(new TerminateInstancesCommand({ InstanceIds: ids }));
        return false;
      },
      (err) => (err.code === "InvalidInstanceID.NotFound" ? { value: true } : undefined),
    );

  return {
    describeInstances: (query) => describeInstances(client, query),
    describeInstanceStatus: (ids) => describeInstanceStatus(client, ids),
    describeVolumes: (query) => describeVolumes(client, query),

    attachVolume: (volumeId, instanceId, device) =>
      callAws(SERVICE, "AttachVolume", `${volumeId} to ${instanceId} as ${device}`, async () => {
        await client.send(
          new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: instanceId, Device: device }),
        );
      }),

    detachVolume: async (volumeId, force) => {
      await callAwsOptional(SERVICE, "DetachVolume", volumeId, ["InvalidVolume.NotFound"], async () => {
        await client.send(
          new DetachVolumeCommand({ VolumeId: volumeId, ...(force !== undefined && { Force: force }) }),
        );
      });
    },

    deleteVolume: async (volumeId) => {
      await callAwsOptional(SERVICE, "DeleteVolume", volumeId, ["InvalidVolume.NotFound"], async () => {
        await client.send(new DeleteVolumeCommand({ VolumeId: volumeId }));
      });
    },

    terminateInstances: async (ids) => {
      for (const batch of chunks(ids, TERMINATE_BATCH)) {
        const someGone = await terminate(batch);
        if (!someGone || batch.length === 1) continue;
        // Some ids are gone (the whole call was rejected): terminate the others one by one.
        for (const id of batch) await terminate([id]);
      }
    },

    createTags: async (resourceIds, tags) => {
      const list = toTagList(tags);
      if (resourceIds.length === 0 || list.length === 0) return;
      for (const batch of chunks(resourceIds, TAG_BATCH)) {
        await callAws(SERVICE, "CreateTags", batch.join(","), async () => {
          await client.send(new CreateTagsCommand({ Resources: batch, Tags: list }));
        });
        noteTagged(batch);
      }
    },

    describeSubnets: async (ids) => {
      if (ids.length === 0) return [];
      const subnets = await collectPages(
        paginateDescribeSubnets({ client, stopOnSameToken: true }, { SubnetIds: ids }),
        [SERVICE, "DescribeSubnets", ids.join(",")],
        (out) => out.Subnets,
      );
      return subnets.flatMap((s): Subnet[] =>
        s.SubnetId
          ? [{ id: s.SubnetId, vpcId: s.VpcId ?? "", availabilityZone: s.AvailabilityZone ?? "" }]
          : [],
      );
    },

    describeSecurityGroups: async (ids) => {
      if (ids.length === 0) return [];
      const groups = await collectPages(
        paginateDescribeSecurityGroups({ client, stopOnSameToken: true }, { GroupIds: ids }),
        [SERVICE, "DescribeSecurityGroups", ids.join(",")],
        (out) => out.SecurityGroups,
      );
      return groups.flatMap((g): SecurityGroup[] =>
        g.GroupId ? [{ id: g.GroupId, vpcId: g.VpcId ?? "" }] : [],
      );
    },
  };
}

/** The wrapper for this container and region (one client per service and region). */
export const ec2For = (region: string): Ec2Api =>
  memoClient(`ec2:${region}`, () => ec2Api(new EC2Client(clientConfig("EC2", region))));
