/**
 * The recovery-region copies as their own services see them: an EBS copy is an EC2 snapshot, an
 * EC2 copy an AMI, an RDS/Aurora copy a DB (cluster) snapshot, each carrying the tags AWS Backup
 * copied from the source resource. AWS Backup's ListTags answers only for the types it fully manages
 * (arn:aws:backup:…); these tags are read through EC2 DescribeSnapshots/DescribeImages and RDS
 * ListTagsForResource, as on AWS.
 */
import { SandboxError } from "../../../types.js";
import { stringList } from "../../errors.js";
import { type Ec2, type Rds, type ServiceHandlers, serviceHandlers } from "../../handlers.js";
import type { RecoveryPoint, Region } from "../../model.js";
import { recoveryPointId } from "../../naming.js";
import type { OpInput } from "../../typed.js";
import { describePage, filtersOf, matches } from "../ec2-describe.js";
import { toTagList } from "../tags.js";
import { rpStatus } from "./recovery-points.js";

const copiesOf = (region: Region, kind: "snapshot" | "image") =>
  region.recoveryPoints.filter((rp) => rp.arn.includes(`::${kind}/`));

function pick(
  region: Region,
  kind: "snapshot" | "image",
  input: OpInput<Ec2, "DescribeSnapshots"> | OpInput<Ec2, "DescribeImages">,
  ids: string[],
  notFound: (id: string) => SandboxError,
): { items: RecoveryPoint[]; next?: string } {
  const all = copiesOf(region, kind);
  for (const id of ids) if (!all.some((rp) => recoveryPointId(rp.arn) === id)) throw notFound(id);
  const filters = filtersOf(input);
  const list = all.filter(
    (rp) =>
      (ids.length === 0 || ids.includes(recoveryPointId(rp.arn))) &&
      matches(filters, rp.tags, { [`${kind}-id`]: [recoveryPointId(rp.arn)] }),
  );
  return describePage(list, input, { scope: `ec2:${kind}s`, pageLimit: 1000, ids });
}

const ownerId = (rp: RecoveryPoint, region: Region) => rp.resourceArn.split(":")[4] ?? region.name;

export const ec2CopyHandlers = serviceHandlers<Ec2>()({
  DescribeSnapshots({ region, input, now }) {
    const page = pick(
      region,
      "snapshot",
      input,
      stringList(input, "SnapshotIds"),
      (id) => new SandboxError("InvalidSnapshot.NotFound", `The snapshot '${id}' does not exist.`, 400),
    );
    return {
      Snapshots: page.items.map((rp) => ({
        SnapshotId: recoveryPointId(rp.arn),
        VolumeId: "vol-ffffffff",
        // A copy still in flight is a pending snapshot (its recovery point CREATING).
        ...(rpStatus(rp, now) === "COMPLETED"
          ? { State: "completed", Progress: "100%" }
          : { State: "pending" }),
        StartTime: new Date(rp.createdAt),
        OwnerId: ownerId(rp, region),
        Description: `This snapshot is created by the AWS Backup service.`,
        VolumeSize: Math.max(1, Math.round(rp.sizeBytes / 1024 ** 3)),
        Encrypted: true,
        Tags: toTagList(rp.tags),
      })),
      ...(page.next ? { NextToken: page.next } : {}),
    };
  },

  DescribeImages({ region, input, now }) {
    const page = pick(
      region,
      "image",
      input,
      stringList(input, "ImageIds"),
      (id) => new SandboxError("InvalidAMIID.NotFound", `The image id '[${id}]' does not exist`, 400),
    );
    return {
      Images: page.items.map((rp) => ({
        ImageId: recoveryPointId(rp.arn),
        State: rpStatus(rp, now) === "COMPLETED" ? "available" : "pending",
        CreationDate: new Date(rp.createdAt).toISOString(),
        OwnerId: ownerId(rp, region),
        Name: `AwsBackup_${rp.resource.name}_${recoveryPointId(rp.arn)}`,
        Description: "This image is created by the AWS Backup service.",
        Architecture: "x86_64",
        ImageType: "machine",
        RootDeviceType: "ebs",
        RootDeviceName: "/dev/xvda",
        VirtualizationType: "hvm",
        Public: false,
        Tags: toTagList(rp.tags),
      })),
      ...(page.next ? { NextToken: page.next } : {}),
    };
  },
});

/** RDS ListTagsForResource that also answers for the DB (cluster) snapshots the vault holds. */
export function withSnapshotTags(rds: ServiceHandlers<Rds>): ServiceHandlers<Rds> {
  const base = rds.ListTagsForResource;
  return serviceHandlers<Rds>()({
    ...rds,
    ListTagsForResource(ctx) {
      const arn = ctx.input.ResourceName ?? "";
      const m = /^arn:aws[a-z-]*:rds:[^:]+:\d{12}:(snapshot|cluster-snapshot):(.+)$/.exec(arn);
      if (!m || !base) return base ? base(ctx) : { TagList: [] };
      const rp = ctx.region.recoveryPoints.find((r) => r.arn === arn);
      if (!rp) {
        throw m[1] === "snapshot"
          ? new SandboxError("DBSnapshotNotFound", `DBSnapshot ${m[2]} not found.`, 404)
          : new SandboxError("DBClusterSnapshotNotFoundFault", `DBClusterSnapshot ${m[2]} not found.`, 404);
      }
      return { TagList: toTagList(rp.tags) };
    },
  });
}
