/**
 * Routing tables: SigV4 signing names → sandbox services, and each service's wire protocol with
 * the constants the SDK clients use (JSON target prefix, query API version, XML namespace).
 * Operation metadata itself comes from the SDK clients' embedded schemas (schema.ts).
 */
import { createRequire } from "node:module";
import type { ServiceName } from "../types.js";
import { modelFromModule, type ServiceModel } from "./schema.js";

export type Protocol = "awsJson1_0" | "awsJson1_1" | "restJson1" | "awsQuery" | "ec2Query" | "restXml";

export interface ServiceSpec {
  name: ServiceName;
  protocol: Protocol;
  /** SigV4 signing name (credential scope service). */
  signingName: string;
  /** X-Amz-Target prefix (awsJson). */
  target?: string;
  /** API version (query protocols; also the restXml URI prefix date). */
  version?: string;
  /** XML namespace of responses. */
  xmlns?: string;
  /**
   * awsJson service with the `awsQueryCompatible` trait: its errors also carry the awsQuery code
   * and fault in the `x-amzn-query-error` header (`Code;Sender`), which the SDK reads first.
   */
  queryCompatible?: boolean;
  /** The SDK client package whose embedded schemas model the service. */
  client: string;
  load: () => Promise<Record<string, unknown>>;
}

const spec = (s: Omit<ServiceSpec, "load">): ServiceSpec => ({
  ...s,
  load: () => import(s.client) as Promise<Record<string, unknown>>,
});

export const SERVICE_SPECS: Record<ServiceName, ServiceSpec> = {
  backup: spec({
    name: "backup",
    protocol: "restJson1",
    signingName: "backup",
    client: "@aws-sdk/client-backup",
  }),
  efs: spec({
    name: "efs",
    protocol: "restJson1",
    signingName: "elasticfilesystem",
    client: "@aws-sdk/client-efs",
  }),
  dynamodb: spec({
    name: "dynamodb",
    protocol: "awsJson1_0",
    signingName: "dynamodb",
    target: "DynamoDB_20120810",
    client: "@aws-sdk/client-dynamodb",
  }),
  ssm: spec({
    name: "ssm",
    protocol: "awsJson1_1",
    signingName: "ssm",
    target: "AmazonSSM",
    client: "@aws-sdk/client-ssm",
  }),
  sfn: spec({
    name: "sfn",
    protocol: "awsJson1_0",
    signingName: "states",
    target: "AWSStepFunctions",
    client: "@aws-sdk/client-sfn",
  }),
  rds: spec({
    name: "rds",
    protocol: "awsQuery",
    signingName: "rds",
    version: "2014-10-31",
    xmlns: "http://rds.amazonaws.com/doc/2014-10-31/",
    client: "@aws-sdk/client-rds",
  }),
  cloudformation: spec({
    name: "cloudformation",
    protocol: "awsQuery",
    signingName: "cloudformation",
    version: "2010-05-15",
    xmlns: "http://cloudformation.amazonaws.com/doc/2010-05-15/",
    client: "@aws-sdk/client-cloudformation",
  }),
  sns: spec({
    name: "sns",
    protocol: "awsQuery",
    signingName: "sns",
    version: "2010-03-31",
    xmlns: "http://sns.amazonaws.com/doc/2010-03-31/",
    client: "@aws-sdk/client-sns",
  }),
  ec2: spec({
    name: "ec2",
    protocol: "ec2Query",
    signingName: "ec2",
    version: "2016-11-15",
    xmlns: "http://ec2.amazonaws.com/doc/2016-11-15/",
    client: "@aws-sdk/client-ec2",
  }),
  route53: spec({
    name: "route53",
    protocol: "restXml",
    signingName: "route53",
    version: "2013-04-01",
    xmlns: "https://route53.amazonaws.com/doc/2013-04-01/",
    client: "@aws-sdk/client-route-53",
  }),
  s3: spec({
    name: "s3",
    protocol: "restXml",
    signingName: "s3",
    version: "2006-03-01",
    xmlns: "http://s3.amazonaws.com/doc/2006-03-01/",
    client: "@aws-sdk/client-s3",
  }),
  // The SDK (3.x) speaks awsJson1_0 to CloudWatch (its runtime config: AwsJson1_0Protocol,
  // serviceTarget GraniteServiceVersion20100801, awsQueryCompatible).
  cloudwatch: spec({
    name: "cloudwatch",
    protocol: "awsJson1_0",
    signingName: "monitoring",
    target: "GraniteServiceVersion20100801",
    queryCompatible: true,
    client: "@aws-sdk/client-cloudwatch",
  }),
};

const BY_SIGNING_NAME = new Map<string, ServiceSpec>(
  Object.values(SERVICE_SPECS).map((spec) => [spec.signingName, spec]),
);

/** The sandbox service for a SigV4 signing name (credential scope), or undefined. */
export function serviceForSigningName(signingName: string): ServiceSpec | undefined {
  return BY_SIGNING_NAME.get(signingName);
}

const requireClient = createRequire(import.meta.url);
const loaded = new Map<ServiceName, ServiceModel>();
const models = new Map<ServiceName, Promise<ServiceModel>>();

/** The service's model, loaded lazily from its SDK client package (EC2's takes ~1 s). */
export function modelFor(service: ServiceName): Promise<ServiceModel> {
  let model = models.get(service);
  if (!model) {
    const now = loaded.get(service);
    model = now
      ? Promise.resolve(now)
      : SERVICE_SPECS[service].load().then((mod) => {
          const read = modelFromModule(mod as Record<string, unknown>);
          loaded.set(service, read);
          return read;
        });
    models.set(service, model);
  }
  return model;
}

/**
 * The service's model, read synchronously (for the world, which answers without awaiting: an
 * injected fault's HTTP status comes from the error shape the model gives).
 */
export function modelNow(service: ServiceName): ServiceModel {
  let model = loaded.get(service);
  if (!model) {
    model = modelFromModule(requireClient(SERVICE_SPECS[service].client) as Record<string, unknown>);
    loaded.set(service, model);
  }
  return model;
}
