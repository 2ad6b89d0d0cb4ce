import {
  AttachVolumeCommand,
  CreateTagsCommand,
  DeleteVolumeCommand,
  DescribeInstanceStatusCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVolumesCommand,
  DetachVolumeCommand,
  EC2Client,
  type Filter,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { clientConfig, memoClient } from "./clients.js";
import { callAws, callAwsOptional } from "./errors.js";
import { noteTagged } from "./fresh-tags.js";
import { chunks, fromTagList, paginate, toTagList } from "./util.js";

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

const SERVICE = "ec2";
/** CreateTags takes up to 1000 resource ids; AWS recommends smaller batches. */
const TAG_BATCH = 200;

/** TagQuery → DescribeInstances/DescribeVolumes filters (ids as a filter: a gone id is no error). */
function filtersFor(query: TagQuery, stateFilter: string, idFilter: string): Filter[] {
  const filters: Filter[] = Object.entries(query.tags ?? {}).map(([k, v]) => ({
    Name: `tag:${k}`,
    Values: [v],
  }));
  if (query.states && query.states.length > 0) filters.push({ Name: stateFilter, Values: [...query.states] });
  if (query.ids) filters.push({ Name: idFilter, Values: [...query.ids] });
  return filters;
}

function describeQuery(query: TagQuery): string {
  const parts = [
    ...Object.entries(query.tags ?? {}).map(([k, v]) => `${k}=${v}`),
    ...(query.ids ?? []),
    ...(query.states ?? []),
  ];
  return parts.length > 0 ? parts.join(",") : "(all)";
}

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
    describeInstances: async (query) => {
      if (query.ids?.length === 0) return [];
      const filters = filtersFor(query, "instance-state-name", "instance-id");
      const reservations = await paginate((token) =>
        callAws(SERVICE, "DescribeInstances", describeQuery(query), async () => {
          const out = await client.send(
            new DescribeInstancesCommand({
              ...(filters.length > 0 && { Filters: filters }),
              MaxResults: 1000,
              ...(token !== undefined && { NextToken: token }),
            }),
          );
          return { items: out.Reservations, next: out.NextToken };
        }),
      );
      return reservations.flatMap((r) =>
        (r.Instances ?? []).flatMap((i): Instance[] => {
          if (!i.InstanceId) return [];
          const inst: Instance = {
            id: i.InstanceId,
            state: i.State?.Name ?? "",
            availabilityZone: i.Placement?.AvailabilityZone ?? "",
            tags: fromTagList(i.Tags),
          };
          if (i.SubnetId) inst.subnetId = i.SubnetId;
          return [inst];
        }),
      );
    },

    describeInstanceStatus: async (ids) => {
      if (ids?.length === 0) return [];
      const statuses = await paginate((token) =>
        callAws(SERVICE, "DescribeInstanceStatus", ids ? ids.join(",") : "(all)", async () => {
          const out = await client.send(
            new DescribeInstanceStatusCommand({
              IncludeAllInstances: true,
              ...(ids ? { InstanceIds: ids } : { MaxResults: 1000 }),
              ...(token !== undefined && { NextToken: token }),
            }),
          );
          return { items: out.InstanceStatuses, next: out.NextToken };
        }),
      );
      return statuses.flatMap((st): InstanceStatus[] =>
        st.InstanceId
          ? [
              {
                id: st.InstanceId,
                state: st.InstanceState?.Name ?? "",
                instanceStatus: st.InstanceStatus?.Status ?? "not-applicable",
                systemStatus: st.SystemStatus?.Status ?? "not-applicable",
              },
            ]
          : [],
      );
    },

    describeVolumes: async (query) => {
      if (query.ids?.length === 0) return [];
      const filters = filtersFor(query, "status", "volume-id");
      const volumes = await paginate((token) =>
        callAws(SERVICE, "DescribeVolumes", describeQuery(query), async () => {
          const out = await client.send(
            new DescribeVolumesCommand({
              ...(filters.length > 0 && { Filters: filters }),
              MaxResults: 500,
              ...(token !== undefined && { NextToken: token }),
            }),
          );
          return { items: out.Volumes, next: out.NextToken };
        }),
      );
      return volumes.flatMap((v): Volume[] =>
        v.VolumeId
          ? [
              {
                id: v.VolumeId,
                state: v.State ?? "",
                availabilityZone: v.AvailabilityZone ?? "",
                attachments: (v.Attachments ?? []).map((a) => ({
                  instanceId: a.InstanceId ?? "",
                  device: a.Device ?? "",
                  state: a.State ?? "",
                })),
                tags: fromTagList(v.Tags),
              },
            ]
          : [],
      );
    },

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
      if (ids.length === 0) return;
      const someGone = await terminate(ids);
      if (!someGone || ids.length === 1) return;
      // Some ids are gone (the whole call was rejected): terminate the others one by one.
      for (const id of ids) await terminate([id]);
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
      const subnets = await paginate((token) =>
        callAws(SERVICE, "DescribeSubnets", ids.join(","), async () => {
          const out = await client.send(
            new DescribeSubnetsCommand({ SubnetIds: ids, ...(token !== undefined && { NextToken: token }) }),
          );
          return { items: out.Subnets, next: out.NextToken };
        }),
      );
      return subnets.flatMap((s): Subnet[] =>
        s.SubnetId
          ? [{ id: s.SubnetId, vpcId: s.VpcId ?? "", availabilityZone: s.AvailabilityZone ?? "" }]
          : [],
      );
    },

    describeSecurityGroups: async (ids) => {
      if (ids.length === 0) return [];
      const groups = await paginate((token) =>
        callAws(SERVICE, "DescribeSecurityGroups", ids.join(","), async () => {
          const out = await client.send(
            new DescribeSecurityGroupsCommand({
              GroupIds: ids,
              ...(token !== undefined && { NextToken: token }),
            }),
          );
          return { items: out.SecurityGroups, next: out.NextToken };
        }),
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
