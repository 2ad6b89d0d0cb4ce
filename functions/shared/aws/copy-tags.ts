/**
 * Tags of the recovery points in the recovery region, read from the service that owns each copy:
 * AWS Backup's ListTags answers only for the types it fully manages (arn:aws:backup:…: EFS,
 * DynamoDB with advanced backup); an EBS copy is an EC2 snapshot, an EC2 copy an AMI, an RDS or
 * Aurora copy a DB (cluster) snapshot, and each carries the source resource's tags, which AWS Backup
 * copies onto the backup and on to its cross-region copy. Everything here is in the recovery
 * region, so tag selection works while the primary region does not answer.
 */
import { DescribeImagesCommand, DescribeSnapshotsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { ListTagsForResourceCommand, RDSClient } from "@aws-sdk/client-rds";
import { mapLimit } from "../collections.js";
import { type BackupApi, backupFor } from "./backup.js";
import { clientConfig, memoClient } from "./clients.js";
import { callAws } from "./errors.js";
import { chunks, fromTagList } from "./util.js";

export type Tags = Record<string, string>;

export interface CopyTagsApi {
  /** Tags per recovery point ARN; a copy that no longer exists (expired meanwhile) is left out. */
  tagsOf(recoveryPointArns: readonly string[]): Promise<Map<string, Tags>>;
}

/** Where a recovery point's tags live, by its ARN. */
export function copyKind(arn: string): "backup" | "rds" | "snapshot" | "image" | undefined {
  if (/^arn:aws[a-z-]*:backup:/.test(arn)) return "backup";
  if (/^arn:aws[a-z-]*:rds:[^:]*:\d*:(snapshot|cluster-snapshot):/.test(arn)) return "rds";
  if (/^arn:aws[a-z-]*:ec2:[^:]*:\d*:snapshot\//.test(arn)) return "snapshot";
  if (/^arn:aws[a-z-]*:ec2:[^:]*:\d*:image\//.test(arn)) return "image";
  return undefined;
}

const idOf = (arn: string) => arn.split("/").pop() ?? arn;
const CONCURRENCY = 10;
/** Ids per DescribeSnapshots/DescribeImages call (well under the request size limits). */
const BATCH = 100;
const NOT_FOUND = new Set(["InvalidSnapshot.NotFound", "InvalidAMIID.NotFound", "InvalidAMIID.Unavailable"]);

export function copyTagsApi(clients: { ec2: EC2Client; rds: RDSClient; backup: BackupApi }): CopyTagsApi {
  /** One DescribeSnapshots/DescribeImages call; on a missing id, each id alone (missing ones skipped). */
  const describe = async (kind: "snapshot" | "image", ids: string[]): Promise<[string, Tags][]> => {
    const op = kind === "snapshot" ? "DescribeSnapshots" : "DescribeImages";
    const one = (batch: string[]) =>
      callAws<[string, Tags][] | undefined>(
        "ec2",
        op,
        batch.join(","),
        async () => {
          if (kind === "snapshot") {
            const out = await clients.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: batch }));
            return (out.Snapshots ?? []).map((s): [string, Tags] => [
              s.SnapshotId ?? "",
              fromTagList(s.Tags),
            ]);
          }
          const out = await clients.ec2.send(new DescribeImagesCommand({ ImageIds: batch }));
          return (out.Images ?? []).map((i): [string, Tags] => [i.ImageId ?? "", fromTagList(i.Tags)]);
        },
        (err) => (NOT_FOUND.has(err.code) ? { value: undefined } : undefined),
      );
    const all = await one(ids);
    if (all !== undefined) return all;
    if (ids.length === 1) return [];
    const each = await mapLimit(ids, CONCURRENCY, async (id) => (await one([id])) ?? []);
    return each.flat();
  };

  return {
    async tagsOf(arns) {
      const out = new Map<string, Tags>();
      const byKind = (k: ReturnType<typeof copyKind>) => arns.filter((a) => copyKind(a) === k);
      await mapLimit(byKind("backup"), CONCURRENCY, async (arn) => {
        out.set(arn, await clients.backup.listTags(arn));
      });
      await mapLimit(byKind("rds"), CONCURRENCY, async (arn) => {
        const tags = await callAws<Tags | undefined>(
          "rds",
          "ListTagsForResource",
          arn,
          async () =>
            fromTagList(
              (await clients.rds.send(new ListTagsForResourceCommand({ ResourceName: arn }))).TagList,
            ),
          (err) =>
            err.code === "DBSnapshotNotFound" ||
            err.code === "DBSnapshotNotFoundFault" ||
            err.code === "DBClusterSnapshotNotFoundFault"
              ? { value: undefined }
              : undefined,
        );
        if (tags) out.set(arn, tags);
      });
      for (const kind of ["snapshot", "image"] as const) {
        const arnsOfKind = byKind(kind);
        const byId = new Map(arnsOfKind.map((a) => [idOf(a), a]));
        for (const batch of chunks([...byId.keys()], BATCH)) {
          for (const [id, tags] of await describe(kind, batch)) {
            const arn = byId.get(id);
            if (arn) out.set(arn, tags);
          }
        }
      }
      return out;
    },
  };
}

/** The copy-tag reader for this container and region. */
export const copyTagsFor = (region: string): CopyTagsApi =>
  memoClient(`copy-tags:${region}`, () =>
    copyTagsApi({
      ec2: new EC2Client(clientConfig("EC2", region)),
      rds: new RDSClient(clientConfig("RDS", region)),
      backup: backupFor(region),
    }),
  );
