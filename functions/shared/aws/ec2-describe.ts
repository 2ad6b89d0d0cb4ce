/**
 * The EC2 Describe calls drctl makes for instances and volumes, within EC2's per-call limits:
 * DescribeInstanceStatus takes at most 100 explicit instance ids (and no MaxResults with them);
 * a Describe call carries at most 200 filter values, all filters together. Longer id lists are
 * split over several calls; each call follows its pages.
 */
import {
  type EC2Client,
  type EC2PaginationConfiguration,
  type Filter,
  paginateDescribeInstanceStatus,
  paginateDescribeInstances,
  paginateDescribeVolumes,
} from "@aws-sdk/client-ec2";
import { chunks, collectPages, fromTagList } from "./util.js";

export interface Instance {
  id: string;
  state: string;
  availabilityZone: string;
  subnetId?: string;
  /** ISO time the instance was launched. */
  launchTime?: string;
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

/** Filters for DescribeInstances/DescribeVolumes: tags as KEY=VALUE pairs, plus states. */
export interface TagQuery {
  tags?: Record<string, string>;
  states?: string[];
  ids?: string[];
}

const SERVICE = "ec2";
/** DescribeInstanceStatus: explicitly specified instance ids per call (EC2 answers InvalidRequest above). */
export const MAX_STATUS_IDS = 100;
/** Filter values per Describe call, all filters together (EC2 answers FilterLimitExceeded above). */
export const MAX_FILTER_VALUES = 200;

/** One set of filters per call: the tag and state filters in each, the ids split to fit the limit. */
function filterSets(query: TagQuery, stateFilter: string, idFilter: string): Filter[][] {
  const base: Filter[] = Object.entries(query.tags ?? {}).map(([k, v]) => ({
    Name: `tag:${k}`,
    Values: [v],
  }));
  if (query.states && query.states.length > 0) base.push({ Name: stateFilter, Values: [...query.states] });
  if (!query.ids) return [base];
  const room = Math.max(1, MAX_FILTER_VALUES - base.reduce((n, f) => n + (f.Values?.length ?? 0), 0));
  return chunks(query.ids, room).map((ids) => [...base, { Name: idFilter, Values: ids }]);
}

function describeQuery(query: TagQuery): string {
  const parts = [
    ...Object.entries(query.tags ?? {}).map(([k, v]) => `${k}=${v}`),
    ...(query.ids ?? []),
    ...(query.states ?? []),
  ];
  const text = parts.length > 0 ? parts.join(",") : "(all)";
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

/** Every page of every call, one call per filter set (ids as a filter: a gone id is no error). */
async function describeAll<P, T>(
  client: EC2Client,
  paginator: (config: EC2PaginationConfiguration, input: { Filters?: Filter[] }) => AsyncIterable<P>,
  [operation, query]: readonly [operation: string, query: TagQuery],
  sets: Filter[][],
  pick: (page: P) => readonly T[] | undefined,
): Promise<T[]> {
  const out: T[] = [];
  for (const filters of sets) {
    const pages = paginator(
      { client, pageSize: 1000, stopOnSameToken: true },
      filters.length > 0 ? { Filters: filters } : {},
    );
    out.push(...(await collectPages(pages, [SERVICE, operation, describeQuery(query)], pick)));
  }
  return out;
}

export async function describeInstances(client: EC2Client, query: TagQuery): Promise<Instance[]> {
  if (query.ids?.length === 0) return [];
  const reservations = await describeAll(
    client,
    paginateDescribeInstances,
    ["DescribeInstances", query],
    filterSets(query, "instance-state-name", "instance-id"),
    (out) => out.Reservations,
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
      if (i.LaunchTime) inst.launchTime = i.LaunchTime.toISOString();
      return [inst];
    }),
  );
}

/** DescribeInstanceStatus (IncludeAllInstances) for the given ids (100 per call), or all when omitted. */
export async function describeInstanceStatus(client: EC2Client, ids?: string[]): Promise<InstanceStatus[]> {
  if (ids?.length === 0) return [];
  const batches: (string[] | undefined)[] = ids ? chunks(ids, MAX_STATUS_IDS) : [undefined];
  const statuses = [];
  for (const batch of batches) {
    const pages = paginateDescribeInstanceStatus(
      // EC2 refuses MaxResults together with InstanceIds.
      { client, stopOnSameToken: true, ...(!batch && { pageSize: 1000 }) },
      { IncludeAllInstances: true, ...(batch && { InstanceIds: batch }) },
    );
    const site = ["DescribeInstanceStatus", describeQuery({ ids: batch ?? [] })] as const;
    statuses.push(...(await collectPages(pages, [SERVICE, ...site], (out) => out.InstanceStatuses)));
  }
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
}

export async function describeVolumes(client: EC2Client, query: TagQuery): Promise<Volume[]> {
  if (query.ids?.length === 0) return [];
  const volumes = await describeAll(
    client,
    paginateDescribeVolumes,
    ["DescribeVolumes", query],
    filterSets(query, "status", "volume-id"),
    (out) => out.Volumes,
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
}
