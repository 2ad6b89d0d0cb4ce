/**
 * DescribeDBInstances / DescribeDBClusters over every page, optionally only for given identifiers
 * (the db-instance-id / db-cluster-id filters accept identifiers and ARNs), so one call describes
 * up to 100 resources instead of one call each.
 */
import type { RDSClient, RDSPaginationConfiguration } from "@aws-sdk/client-rds";
import { chunks, collectPages } from "./util.js";

const SERVICE = "rds";
/** Values per RDS filter in one call (the sandbox's and drctl's bound; see docs/fidelity.md). */
const MAX_FILTER_VALUES = 100;
type FilteredInput = { Filters?: { Name: string; Values: string[] }[] };

/** Every page of a Describe call (100 records each); with `ids`, filtered by them, 100 values per call. */
export async function describeAll<P, T>(
  client: RDSClient,
  paginator: (config: RDSPaginationConfiguration, input: FilteredInput) => AsyncIterable<P>,
  [operation, filter]: readonly [operation: string, filter: string],
  ids: string[] | undefined,
  pick: (page: P) => readonly T[] | undefined,
): Promise<T[]> {
  const groups = ids === undefined ? [undefined] : chunks(ids, MAX_FILTER_VALUES);
  const pages = await Promise.all(
    groups.map((values) =>
      collectPages(
        paginator(
          { client, pageSize: 100, stopOnSameToken: true },
          values ? { Filters: [{ Name: filter, Values: values }] } : {},
        ),
        [SERVICE, operation, values ? `${values.length} ids` : "(all)"],
        pick,
      ),
    ),
  );
  return pages.flat();
}
