/**
 * Lazily built API wrappers, one client per service and region per Lambda container.
 * Handlers pass these to the pure step logic; tests pass wrappers over mocked clients instead.
 */
import { BackupClient } from "@aws-sdk/client-backup";
import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EC2Client } from "@aws-sdk/client-ec2";
import { EFSClient } from "@aws-sdk/client-efs";
import { RDSClient } from "@aws-sdk/client-rds";
import { Route53Client } from "@aws-sdk/client-route-53";
import { S3Client } from "@aws-sdk/client-s3";
import { SFNClient } from "@aws-sdk/client-sfn";
import { SNSClient } from "@aws-sdk/client-sns";
import { SSMClient } from "@aws-sdk/client-ssm";
import { type BackupApi, backupApi } from "./aws/backup.js";
import { clientConfig } from "./aws/clients.js";
import { type CloudFormationApi, cloudFormationApi } from "./aws/cloudformation.js";
import { type CloudWatchApi, cloudWatchApi } from "./aws/cloudwatch.js";
import { type DynamoDbApi, dynamoDbApi } from "./aws/dynamodb.js";
import { type Ec2Api, ec2Api } from "./aws/ec2.js";
import { type EfsApi, efsApi } from "./aws/efs.js";
import { type RdsApi, rdsApi } from "./aws/rds.js";
import { type Route53Api, route53Api } from "./aws/route53.js";
import { type S3Api, s3Api } from "./aws/s3.js";
import { type SfnApi, sfnApi } from "./aws/sfn.js";
import { type SnsApi, snsApi } from "./aws/sns.js";
import { type SsmApi, ssmApi } from "./aws/ssm.js";

const cache = new Map<string, unknown>();
function memo<T>(key: string, make: () => T): T {
  if (!cache.has(key)) cache.set(key, make());
  return cache.get(key) as T;
}

// One top-level export per service: a bundle that imports this module as a namespace
// (`import * as apis from "./apis.js"`, then `apis.ec2(region)`) keeps only the SDK clients it
// calls (esbuild tree-shakes namespace member accesses, not the members of an object literal).
export const backup = (region: string): BackupApi =>
  memo(`backup:${region}`, () => backupApi(new BackupClient(clientConfig("BACKUP", region))));
export const rds = (region: string): RdsApi =>
  memo(`rds:${region}`, () => rdsApi(new RDSClient(clientConfig("RDS", region))));
export const ec2 = (region: string): Ec2Api =>
  memo(`ec2:${region}`, () => ec2Api(new EC2Client(clientConfig("EC2", region))));
export const efs = (region: string): EfsApi =>
  memo(`efs:${region}`, () => efsApi(new EFSClient(clientConfig("EFS", region))));
export const dynamodb = (region: string): DynamoDbApi =>
  memo(`dynamodb:${region}`, () => dynamoDbApi(new DynamoDBClient(clientConfig("DYNAMODB", region))));
export const cloudformation = (region: string): CloudFormationApi =>
  memo(`cfn:${region}`, () =>
    cloudFormationApi(new CloudFormationClient(clientConfig("CLOUDFORMATION", region))),
  );
// Route 53 is a global service signed in us-east-1.
export const route53 = (): Route53Api =>
  memo("route53", () => route53Api(new Route53Client(clientConfig("ROUTE_53", "us-east-1"))));
export const ssm = (region: string): SsmApi =>
  memo(`ssm:${region}`, () => ssmApi(new SSMClient(clientConfig("SSM", region))));
export const sns = (region: string): SnsApi =>
  memo(`sns:${region}`, () => snsApi(new SNSClient(clientConfig("SNS", region))));
export const sfn = (region: string): SfnApi =>
  memo(`sfn:${region}`, () => sfnApi(new SFNClient(clientConfig("SFN", region))));
export const s3 = (region: string): S3Api =>
  memo(`s3:${region}`, () => s3Api(new S3Client(clientConfig("S3", region))));
export const cloudwatch = (region: string): CloudWatchApi =>
  memo(`cloudwatch:${region}`, () => cloudWatchApi(new CloudWatchClient(clientConfig("CLOUDWATCH", region))));

/** Every factory in one object (kept for existing callers; it pulls every SDK client into a bundle). */

/** Drops every cached client (tests and the sandbox re-point endpoints between runs). */
export function resetApis(): void {
  cache.clear();
}
