/** One representative input per mapped operation (IAM mapping tests); the world answers most of them. */
import type { IamService } from "../../../scripts/sandbox/iam/operations.js";

const A = "111122223333";
const R = "us-west-2";
const RP = `arn:aws:backup:${R}:${A}:recovery-point:1EB3B5E7-9EB0-435A-A80B-108B488B0D45`;
const TAGS = [{ Key: "drctl:app", Value: "shop" }];
const MACHINE = `arn:aws:states:${R}:${A}:stateMachine:drctl-shop`;
const EXECUTION = `arn:aws:states:${R}:${A}:execution:drctl-shop:drill-shop-20260301T0900Z`;

export const SAMPLES: Record<IamService, Record<string, Record<string, unknown>>> = {
  backup: {
    ListBackupVaults: {},
    ListRecoveryPointsByBackupVault: { BackupVaultName: "dr-vault" },
    DescribeRecoveryPoint: { BackupVaultName: "dr-vault", RecoveryPointArn: RP },
    GetRecoveryPointRestoreMetadata: { BackupVaultName: "dr-vault", RecoveryPointArn: RP },
    StartRestoreJob: {
      RecoveryPointArn: RP,
      IamRoleArn: `arn:aws:iam::${A}:role/drctl-restore`,
      Metadata: {},
      ResourceType: "RDS",
    },
    DescribeRestoreJob: { RestoreJobId: "job-1" },
    ListRestoreJobs: {},
    ListBackupJobs: {},
    ListTags: { ResourceArn: RP },
  },
  cloudformation: {
    CreateStack: {
      StackName: "shop-dr-drill-1",
      TemplateURL: `https://s3.${R}.amazonaws.com/drctl-artifacts-${A}-${R}/templates/shop-dr.yaml`,
      RoleARN: `arn:aws:iam::${A}:role/shop-dr-cloudformation`,
      Tags: TAGS,
    },
    GetTemplateSummary: {
      TemplateURL: `https://drctl-artifacts-${A}-${R}.s3.${R}.amazonaws.com/templates/shop-dr.yaml`,
    },
    ValidateTemplate: { TemplateBody: "Resources: {}" },
    DescribeStacks: { StackName: "shop-dr-drill-1" },
    DescribeStackEvents: { StackName: `arn:aws:cloudformation:${R}:${A}:stack/shop-dr-drill-1/0a1b` },
    DeleteStack: { StackName: `arn:aws:cloudformation:${R}:${A}:stack/shop-dr-drill-1/0a1b` },
    ListStacks: {},
  },
  dynamodb: {
    DescribeTable: { TableName: "carts-drill" },
    DeleteTable: { TableName: "carts-drill" },
    TagResource: { ResourceArn: `arn:aws:dynamodb:${R}:${A}:table/carts-drill`, Tags: TAGS },
    UntagResource: { ResourceArn: `arn:aws:dynamodb:${R}:${A}:table/carts-drill`, TagKeys: ["drctl:app"] },
    ListTagsOfResource: { ResourceArn: `arn:aws:dynamodb:${R}:${A}:table/carts-drill` },
    ListTables: {},
  },
  ec2: {
    DescribeInstances: {},
    DescribeInstanceStatus: { InstanceIds: ["i-1"] },
    DescribeVolumes: {},
    DescribeSnapshots: { Filters: [{ Name: "tag:app", Values: ["shop"] }] },
    DescribeImages: { ImageIds: ["ami-0123456789abcdef0"] },
    AttachVolume: { VolumeId: "vol-1", InstanceId: "i-1", Device: "/dev/sdf" },
    DetachVolume: { VolumeId: "vol-1", InstanceId: "i-1" },
    DeleteVolume: { VolumeId: "vol-1" },
    TerminateInstances: { InstanceIds: ["i-1", "i-2"] },
    CreateTags: { Resources: ["vol-1", "i-1"], Tags: TAGS },
    DeleteTags: { Resources: ["vol-1"], Tags: [{ Key: "drctl:app" }] },
    DescribeSubnets: {},
    DescribeSecurityGroups: {},
    DescribeVpcs: {},
    DescribeAvailabilityZones: {},
  },
  efs: {
    DescribeFileSystems: { FileSystemId: "fs-1" },
    CreateMountTarget: { FileSystemId: "fs-1", SubnetId: "subnet-0dra", SecurityGroups: ["sg-0drdb"] },
    DescribeMountTargets: { FileSystemId: "fs-1" },
    DeleteMountTarget: { MountTargetId: "fsmt-1" },
    DeleteFileSystem: { FileSystemId: "fs-1" },
    TagResource: { ResourceId: "fs-1", Tags: TAGS },
    UntagResource: { ResourceId: "fs-1", TagKeys: ["drctl:app"] },
    ListTagsForResource: { ResourceId: "fs-1" },
  },
  rds: {
    DescribeDBInstances: { DBInstanceIdentifier: "orders-db-1" },
    DescribeDBClusters: {},
    CreateDBInstance: {
      DBInstanceIdentifier: "orders-db-1-i1",
      DBClusterIdentifier: "orders-db-1",
      DBSubnetGroupName: "dr-db-subnets",
      Tags: TAGS,
    },
    DeleteDBInstance: { DBInstanceIdentifier: "orders-db-1" },
    DeleteDBCluster: { DBClusterIdentifier: "orders-db-1", FinalDBSnapshotIdentifier: "final-1" },
    ListTagsForResource: { ResourceName: `arn:aws:rds:${R}:${A}:db:orders-db-1` },
    AddTagsToResource: { ResourceName: `arn:aws:rds:${R}:${A}:cluster:orders-db-1`, Tags: TAGS },
    RemoveTagsFromResource: { ResourceName: `arn:aws:rds:${R}:${A}:db:orders-db-1`, TagKeys: ["drctl:app"] },
  },
  route53: {
    ChangeResourceRecordSets: {
      HostedZoneId: "/hostedzone/Z0EXAMPLE12345",
      ChangeBatch: {
        Changes: [{ Action: "UPSERT", ResourceRecordSet: { Name: "App.Example.com.", Type: "CNAME" } }],
      },
    },
    GetChange: { Id: "/change/C2682N5HXP0BZ4" },
    ListResourceRecordSets: { HostedZoneId: "Z0EXAMPLE12345" },
    GetHostedZone: { Id: "Z0EXAMPLE12345" },
  },
  s3: {
    CreateBucket: { Bucket: "b" },
    PutObject: { Bucket: "b", Key: "runs/r/plan.json" },
    GetObject: { Bucket: "b", Key: "runs/r/plan.json" },
    HeadObject: { Bucket: "b", Key: "runs/r/plan.json" },
    DeleteObject: { Bucket: "b", Key: "runs/r/plan.json" },
    ListObjectsV2: { Bucket: "b", Prefix: "runs/" },
  },
  sns: {
    CreateTopic: { Name: "drctl-shop" },
    Publish: { TopicArn: `arn:aws:sns:${R}:${A}:drctl-shop`, Message: "m" },
  },
  ssm: {
    GetParameter: { Name: "/drctl/lock/shop" },
    PutParameter: { Name: "/drctl-drill/r/shop/db/endpoint", Value: "v", Tags: TAGS },
    DeleteParameter: { Name: "/drctl/lock/shop" },
    DeleteParameters: { Names: ["/a", "/b"] },
    GetParametersByPath: { Path: "/drctl-drill/r" },
    AddTagsToResource: { ResourceType: "Parameter", ResourceId: "/drctl/lock/shop", Tags: TAGS },
    ListTagsForResource: { ResourceType: "Parameter", ResourceId: "/drctl/lock/shop" },
    SendCommand: { DocumentName: "AWS-RunShellScript", InstanceIds: ["i-1"], Parameters: {} },
    GetCommandInvocation: { CommandId: "c-1", InstanceId: "i-1" },
    DescribeInstanceInformation: {},
    CreateOpsItem: { Title: "t", Description: "d", Source: "drctl", Tags: TAGS },
  },
  sfn: {
    CreateStateMachine: {
      name: "drctl-shop",
      roleArn: `arn:aws:iam::${A}:role/drctl-orchestrator`,
      definition: "{}",
    },
    DescribeStateMachine: { stateMachineArn: MACHINE },
    ListStateMachines: {},
    DeleteStateMachine: { stateMachineArn: MACHINE },
    StartExecution: { stateMachineArn: MACHINE },
    DescribeExecution: { executionArn: EXECUTION },
    DescribeStateMachineForExecution: { executionArn: EXECUTION },
    GetExecutionHistory: { executionArn: EXECUTION },
    ListExecutions: { stateMachineArn: MACHINE },
    StopExecution: { executionArn: EXECUTION },
    SendTaskSuccess: { taskToken: "token", output: "{}" },
    SendTaskFailure: { taskToken: "token", error: "FailoverRejected" },
    SendTaskHeartbeat: { taskToken: "token" },
    RedriveExecution: { executionArn: EXECUTION },
  },
  cloudwatch: {
    DescribeAlarms: { AlarmNames: ["shop-alb-5xx-high"], AlarmTypes: ["MetricAlarm", "CompositeAlarm"] },
    PutMetricAlarm: {
      AlarmName: "shop-alb-5xx-high",
      MetricName: "HTTPCode_ELB_5XX_Count",
      Namespace: "AWS/ApplicationELB",
      Tags: [{ Key: "app", Value: "shop" }],
    },
    SetAlarmState: { AlarmName: "shop-alb-5xx-high", StateValue: "ALARM", StateReason: "test" },
  },
};
