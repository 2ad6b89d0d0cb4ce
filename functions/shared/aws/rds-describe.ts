/**
 * DescribeDBInstances / DescribeDBClusters over every page, optionally only for given identifiers
 * (the db-instance-id / db-cluster-id filters accept identifiers and ARNs), so one call describes
 * up to 100 resources instead of one call each.
 */
import { callAws } from "./errors.js";
import { paginate } from "./util.js";

const SERVICE = "rds";
/** Values per RDS filter in one call (the sandbox's and drctl's bound; see docs/fidelity.md). */
const MAX_FILTER_VALUES = 100;
type DescribePage = { Filters?: { Name: string; Values: string[] }[]; MaxRecords: number; Marker?: string };

/** Every page of a Describe call (100 records each); with `ids`, filtered by them, 100 values per call. */
export async function describeAll<T>(
  operation: string,
  filter: string,
  ids: string[] | undefined,
  send: (input: DescribePage) => Promise<{ items: T[] | undefined; next: string | undefined }>,
): Promise<T[]> {
  const groups: (string[] | undefined)[] = [];
  if (ids === undefined) groups.push(undefined);
  else
    for (let i = 0; i < ids.length; i += MAX_FILTER_VALUES) groups.push(ids.slice(i, i + MAX_FILTER_VALUES));
  const pages = await Promise.all(
    groups.map((values) =>
      paginate((marker) =>
        callAws(SERVICE, operation, values ? `${values.length} ids` : "(all)", () =>
          send({
            ...(values && { Filters: [{ Name: filter, Values: values }] }),
            MaxRecords: 100,
            ...(marker !== undefined && { Marker: marker }),
          }),
        ),
      ),
    ),
  );
  return pages.flat();
}
