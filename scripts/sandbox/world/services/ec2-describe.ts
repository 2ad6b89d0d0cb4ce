/**
 * The rules every EC2 Describe* request follows, shared by the EC2 handlers: filters (names, glob
 * values, at most 200 values per call), MaxResults (at least 5; above the operation's page limit
 * AWS returns a full page instead of an error), the operations that refuse MaxResults together
 * with explicit ids, and the explicit-id limit of DescribeInstanceStatus.
 * Sources: the EC2 API reference (botocore ec2 models, MaxResults documentation) and the errors
 * AWS answers (cited in docs/fidelity.md, section "EC2, EFS, RDS, …: limits and lifecycles").
 */
import type { Filter as Ec2Filter } from "@aws-sdk/client-ec2";
import { SandboxError } from "../../types.js";
import { invalid, optNumber, optString } from "../errors.js";
import type { Tags } from "../model.js";
import { type Page, paginate } from "../paging.js";

export type Filter = { Name: string; Values: string[] };

/** Filter values (all filters together) one Describe call may carry. */
export const MAX_FILTER_VALUES = 200;
/** Smallest MaxResults EC2 accepts. */
export const MIN_MAX_RESULTS = 5;
/** DescribeInstanceStatus: explicitly specified instance ids per call. */
export const MAX_STATUS_INSTANCE_IDS = 100;

export function filtersOf(input: { Filters?: Ec2Filter[] | undefined }): Filter[] {
  const f = input.Filters;
  if (!Array.isArray(f)) return [];
  const filters = f.map((x) => ({
    Name: String(x.Name ?? ""),
    Values: Array.isArray(x.Values) ? x.Values.map(String) : [],
  }));
  const values = filters.reduce((n, x) => n + x.Values.length, 0);
  if (values > MAX_FILTER_VALUES) {
    throw new SandboxError(
      "FilterLimitExceeded",
      `The maximum number of filter values specified on a single call is ${MAX_FILTER_VALUES}`,
      400,
    );
  }
  return filters;
}

const glob = (pattern: string, value: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
  ).test(value);

/** Whether a resource passes the filters; `tags` undefined: the operation has no tag filters. */
export function matches(
  filters: Filter[],
  tags: Tags | undefined,
  fields: Record<string, string[]>,
): boolean {
  return filters.every((f) => {
    let values: string[] | undefined;
    if (tags === undefined) values = fields[f.Name];
    else if (f.Name.startsWith("tag:")) {
      const v = tags[f.Name.slice(4)];
      values = v === undefined ? [] : [v];
    } else if (f.Name === "tag-key") values = Object.keys(tags);
    else if (f.Name === "tag-value") values = Object.values(tags);
    else values = fields[f.Name];
    if (values === undefined) {
      throw new SandboxError("InvalidParameterValue", `The filter '${f.Name}' is invalid`, 400);
    }
    return f.Values.some((pattern) => values.some((v) => glob(pattern, v)));
  });
}

const badToken = (token: string) =>
  new SandboxError("InvalidPaginationToken", `Invalid pagination token: ${token}`, 400);

export interface DescribePaging {
  scope: string;
  /** Largest page: a bigger MaxResults returns this many. */
  pageLimit: number;
  /** Explicit ids of the request (InstanceIds, VolumeIds, …). */
  ids: string[];
  /** Set when AWS refuses MaxResults with explicit ids: the ids parameter's wire name (instancesSet). */
  idsExcludeMaxResults?: string;
}

/**
 * One page of a Describe call. Without MaxResults EC2 returns every match (unpaginated); with it,
 * at most min(MaxResults, pageLimit) and a NextToken.
 */
export function describePage<T>(
  list: readonly T[],
  input: { MaxResults?: number | undefined; NextToken?: string | undefined },
  o: DescribePaging,
): Page<T> {
  const max = optNumber(input, "MaxResults");
  if (max !== undefined && o.idsExcludeMaxResults && o.ids.length > 0) {
    throw new SandboxError(
      "InvalidParameterCombination",
      `The parameter ${o.idsExcludeMaxResults} cannot be used with the parameter maxResults`,
      400,
    );
  }
  if (max !== undefined && max < MIN_MAX_RESULTS) {
    throw invalid(
      "ec2",
      `Value ( ${max} ) for parameter maxResults is invalid. Expecting a value greater than ${MIN_MAX_RESULTS}.`,
    );
  }
  const limit = max === undefined ? Math.max(list.length, 1) : Math.min(max, o.pageLimit);
  return paginate(
    list,
    { max: limit, token: optString(input, "NextToken"), defaultMax: limit, scope: o.scope },
    badToken,
  );
}

/** DescribeInstanceStatus refuses more than 100 explicitly specified instance ids. */
export function checkStatusIds(ids: string[]): void {
  if (ids.length > MAX_STATUS_INSTANCE_IDS) {
    throw new SandboxError(
      "InvalidRequest",
      `${ids.length} exceeds the maximum number of instance IDs that can be specificied (${MAX_STATUS_INSTANCE_IDS}). Please specify fewer than ${MAX_STATUS_INSTANCE_IDS} instance IDs.`,
      400,
    );
  }
}
