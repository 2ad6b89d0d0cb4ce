/** The resources a COMPLETED restore job creates in the recovery region (at the job's completion time). */
import type { ScenarioResource } from "../../../scenario.js";
import type { Region, RestoreJob, WorldCore } from "../../model.js";
import { azOf, recoveryPointId, resourceArn } from "../../naming.js";
import { newTable } from "../dynamodb.js";
import { launchInstance } from "../ec2.js";
import { newFileSystem } from "../efs.js";
import { newDbCluster, newDbInstance } from "../rds.js";
import { protectIfAsked } from "./protection.js";
import { mdValue, parseList } from "./restore-checks.js";

/** A completed restore creates its resources in the region (scheduled at the job's endsAt). */
export function settleRestoreJob(w: WorldCore, region: Region, j: RestoreJob, now: number): void {
  if (j.materialized || j.fate !== "COMPLETED" || j.endsAt > now) return;
  j.materialized = true;
  j.createdResourceArn = materialize(w, region, j);
}

function materialize(w: WorldCore, region: Region, j: RestoreJob): string {
  const md = (key: string) => mdValue(j.metadata, key);
  const at = j.endsAt;
  const res: ScenarioResource = j.resource;
  const tags = j.copyTags ? { ...res.tags } : {};
  const common = { tags, createdByJob: j.id };
  const remember = (...keys: string[]) => {
    for (const k of keys) w.remember(k, res.name);
  };
  switch (res.type) {
    case "rds": {
      const az = md("AvailabilityZone");
      const d = newDbInstance(w, region, at, at, {
        ...common,
        id: (md("DBInstanceIdentifier") ?? res.name).toLowerCase(),
        instanceClass: md("DBInstanceClass") ?? "db.r6g.large",
        engine: md("Engine") ?? "postgres",
        subnetGroup: md("DBSubnetGroupName") ?? "default",
        sgIds: parseList(md("VpcSecurityGroupIds")),
        multiAz: md("MultiAZ") === "true",
        port: Number(md("Port") ?? 5432),
        storageGiB: res.recoveryPoints.sizeGiB,
        ...(az ? { az } : {}),
      });
      remember(d.id, d.arn);
      protectIfAsked("rds", j.metadata, d);
      return d.arn;
    }
    case "aurora": {
      const version = md("EngineVersion");
      const c = newDbCluster(w, region, at, {
        ...common,
        id: (md("DBClusterIdentifier") ?? res.name).toLowerCase(),
        engine: md("Engine") ?? "aurora-postgresql",
        subnetGroup: md("DBSubnetGroupName") ?? "default",
        sgIds: parseList(md("VpcSecurityGroupIds")),
        port: Number(md("Port") ?? 5432),
        ...(version ? { engineVersion: version } : {}),
      });
      remember(c.id, c.arn);
      protectIfAsked("aurora", j.metadata, c);
      return c.arn;
    }
    case "ebs": {
      const id = `vol-0${w.nextHex("volume", 16)}`;
      const v = {
        id,
        arn: resourceArn("ebs", region.name, w.account, id),
        az: md("availabilityZone") ?? azOf(region.name, 0),
        sizeGiB: Number(md("volumeSize") ?? res.recoveryPoints.sizeGiB),
        volumeType: md("volumeType") ?? "gp3",
        encrypted: md("encrypted") !== "false",
        iops: Number(md("iops") ?? 3000),
        snapshotId: recoveryPointId(j.recoveryPointArn),
        createdAt: at,
        readyAt: at,
        ...common,
      };
      region.volumes.set(id, v);
      remember(id, v.arn);
      return v.arn;
    }
    case "ec2": {
      const image = md("ImageId");
      const inst = launchInstance(w, region, at, {
        subnetId: md("SubnetId") ?? "",
        tags,
        instanceType: md("InstanceType") ?? "t3.large",
        sgIds: parseList(md("SecurityGroupIds")),
        ...(image ? { imageId: image } : {}),
      });
      inst.createdByJob = j.id;
      remember(inst.id, inst.arn);
      protectIfAsked("ec2", j.metadata, inst);
      return inst.arn;
    }
    case "efs": {
      const f = newFileSystem(w, region, at, {
        ...common,
        creationToken: md("CreationToken") ?? `${res.name}-${j.id.slice(0, 8).toLowerCase()}`,
        encrypted: md("Encrypted") !== "false",
        performanceMode: md("PerformanceMode") ?? "generalPurpose",
        sizeBytes: Math.floor(j.sizeBytes / 4),
      });
      remember(f.id, f.arn);
      return f.arn;
    }
    case "dynamodb": {
      const t = newTable(w, region, at, {
        ...common,
        name: md("targetTableName") ?? res.name,
        sizeBytes: j.sizeBytes,
      });
      remember(t.name, t.arn);
      protectIfAsked("dynamodb", j.metadata, t);
      return t.arn;
    }
  }
}
