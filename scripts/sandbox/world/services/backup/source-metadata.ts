/**
 * GetRecoveryPointRestoreMetadata: the protected resource's configuration at backup time, keys as
 * AWS Backup returns them per type (the create/restore API parameters of the owning service:
 * RestoreDBInstanceFromDBSnapshot, RestoreDBClusterFromSnapshot, RunInstances, CreateVolume,
 * CreateFileSystem, RestoreTableFromBackup), for a production source: deletion protection on,
 * the primary's own parameter/option groups, key pair, network and KMS key (also nested inside
 * BlockDeviceMappings, a JSON string). The scenario's `source` block overrides the defaults.
 */
import type { ScenarioResource } from "../../../scenario.js";
import type { RecoveryPoint, WorldCore } from "../../model.js";
import { azOf, hashHex, sourceId, uuidFrom } from "../../naming.js";

export interface SourceSettings {
  deletionProtection: boolean;
  dbParameterGroup?: string;
  dbClusterParameterGroup?: string;
  optionGroup?: string;
  keyName?: string;
  kmsKeyId: string;
}

/** The resource's production settings: the scenario's `source` block over the defaults. */
export function sourceSettings(w: WorldCore, res: ScenarioResource): SourceSettings {
  const src = res.source;
  const out: SourceSettings = {
    deletionProtection: src.deletionProtection ?? true,
    kmsKeyId: src.kmsKeyId ?? uuidFrom(w.scenario.name, "primary-kms", res.name),
  };
  if (res.type === "rds") {
    out.dbParameterGroup = src.dbParameterGroup ?? `${res.name}-params`;
    out.optionGroup = src.optionGroup ?? `${res.name}-options`;
  }
  if (res.type === "aurora")
    out.dbClusterParameterGroup = src.dbClusterParameterGroup ?? `${res.name}-cluster-params`;
  if (res.type === "ec2") out.keyName = src.keyName ?? `${w.app}-ops`;
  return out;
}

export function restoreMetadata(w: WorldCore, rp: RecoveryPoint): Record<string, string> {
  const s = w.scenario;
  const res = rp.resource;
  const src = sourceSettings(w, res);
  const pnet = w.primary.network;
  const paz = azOf(w.primary.name, 0);
  const sgs = JSON.stringify(pnet?.securityGroupIds ?? []);
  const kmsArn = `arn:aws:kms:${w.primary.name}:${w.account}:key/${src.kmsKeyId}`;
  const protection = String(src.deletionProtection);
  switch (res.type) {
    case "rds":
      return {
        DBInstanceIdentifier: res.name,
        DBInstanceClass: "db.r6g.large",
        Engine: "postgres",
        EngineVersion: "15.4",
        DBSubnetGroupName: pnet?.dbSubnetGroup ?? "default",
        VpcSecurityGroupIds: sgs,
        MultiAZ: "false",
        AvailabilityZone: paz,
        Port: "5432",
        PubliclyAccessible: "false",
        StorageType: "gp3",
        CopyTagsToSnapshot: "true",
        DeletionProtection: protection,
        AutoMinorVersionUpgrade: "true",
        LicenseModel: "postgresql-license",
        DBParameterGroupName: src.dbParameterGroup ?? "",
        OptionGroupName: src.optionGroup ?? "",
        KmsKeyId: kmsArn,
      };
    case "aurora":
      return {
        DBClusterIdentifier: res.name,
        Engine: "aurora-postgresql",
        EngineVersion: "15.4",
        EngineMode: "provisioned",
        DBSubnetGroupName: pnet?.dbSubnetGroup ?? "default",
        VpcSecurityGroupIds: sgs,
        AvailabilityZones: JSON.stringify([0, 1, 2].map((i) => azOf(w.primary.name, i))),
        Port: "5432",
        StorageEncrypted: "true",
        KmsKeyId: kmsArn,
        DeletionProtection: protection,
        CopyTagsToSnapshot: "true",
        BackupRetentionPeriod: "7",
        DBClusterParameterGroupName: src.dbClusterParameterGroup ?? "",
      };
    case "ec2":
      return {
        InstanceType: "t3.large",
        SubnetId: pnet?.subnetIds[0] ?? "",
        SecurityGroupIds: sgs,
        ImageId: `ami-0${hashHex(rp.arn).slice(0, 16)}`,
        KeyName: src.keyName ?? "",
        EbsOptimized: "true",
        DisableApiTermination: protection,
        InstanceInitiatedShutdownBehavior: "stop",
        RequireIMDSv2: "true",
        Placement: JSON.stringify({ AvailabilityZone: paz, Tenancy: "default" }),
        BlockDeviceMappings: JSON.stringify([
          {
            DeviceName: "/dev/xvda",
            Ebs: {
              DeleteOnTermination: true,
              Encrypted: true,
              KmsKeyId: kmsArn,
              VolumeSize: res.recoveryPoints.sizeGiB,
              VolumeType: "gp3",
            },
          },
        ]),
      };
    case "ebs":
      return {
        availabilityZone: paz,
        volumeType: "gp3",
        volumeSize: String(res.recoveryPoints.sizeGiB),
        encrypted: "true",
        kmsKeyId: kmsArn,
        iops: "3000",
        throughput: "125",
      };
    case "efs":
      return {
        "file-system-id": sourceId(s, res),
        newFileSystem: "true",
        Encrypted: "true",
        KmsKeyId: kmsArn,
        PerformanceMode: "generalPurpose",
        CreationToken: `${res.name}-${hashHex(rp.arn).slice(0, 8)}`,
      };
    case "dynamodb":
      return {
        targetTableName: res.name,
        encryptionType: "KMS",
        kmsMasterKeyArn: kmsArn,
        deletionProtection: protection,
      };
  }
}
